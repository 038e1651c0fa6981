"""A lab's expectations against the local data plane, and failover measured on it.

Waiting is separate from asserting (strongSwan's ``expect-connection``): a
tunnel check polls vici every 50 ms up to a bound, and stops early when the
charon logs already say why it cannot succeed.
"""

from __future__ import annotations

import dataclasses
import subprocess
import time
from collections.abc import Callable

from driver.checks import pluto_log, remote_commands
from driver.checks.charon_lines import last_lines
from driver.checks.diagnosis import HOST_POLICIES, Diagnosis, diagnose, is_final
from driver.checks.runner import PING_COUNT, ExpectationRunner, TunnelReport, parse_ping
from driver.checks.vici_fields import current_child, installed_children, text
from driver.core.errors import Fault
from driver.lab.expectations import Expectation
from driver.local import bgp_probe, initiators, ping_explanation, tunnels_ready
from driver.local.dataplane import routing, vgw, vgw_bgp, xfrm_counters
from driver.local.dataplane.network import DataPlane
from driver.local.reply_clock import ReplyClock
from driver.local.shared.node_access import sa_up

POLL = 0.05
SETTLE = 0.3  # a definitive log verdict is trusted after this long
# After the traffic that starts a trap-based tunnel, this share of its bound with no IKE
# SA at AWS's endpoint: none started (5 s of the guest's 30 s); not in BGP labs (bgpd's).
TRAP_SETTLE = 1 / 6
DROPS_STAND = 3.0  # s: drops in a gap this short are the next ping's (one ping's tries)


class DataPlaneRunner(ExpectationRunner):
    """Expectations against the local data plane's namespaces."""

    def __init__(self, dp: DataPlane, progress: Callable[[str], None] = lambda m: None):
        self.dp = dp
        self.progress = progress
        self._drops_before: dict[tuple[str, str], int] = {}
        self._drops_stand_until = 0.0  # _drops_before stands for a ping started before this
        self._routes_waited = False
        self._xfrm_before: dict[str, dict[str, int]] = {}
        self.cut: str | None = None  # the tunnel --failover cut (its SAs are in flux after)

    def placeholders(self) -> dict[str, str]:
        return self.dp.plan.placeholders()

    def sas(self, node: str) -> dict[str, dict]:
        """Each connection's current IKE SA. While one is rekeyed or reauthenticated
        (IKEv1 keeps the old one, REKEYING, for seconds after its CHILD_SAs moved)
        a name has several: the one carrying installed CHILD_SAs, else the newest."""
        # the VGW: each endpoint's own tunnel
        listed = [pair for daemon in self.dp.charons_of(node) for pair in daemon.list_sas()]
        current: dict[str, dict] = {}
        for name, sa in listed:
            if name not in current or _fresher(sa, current[name]):
                current[name] = sa
        return current

    def diagnoses(self) -> list[Diagnosis]:
        """What the logs say went wrong, each fix in the customer's configuration's
        words where it has its own (a router's twin: FortiOS's, IOS's)."""
        vpn = self.dp.lab.vpn
        found = diagnose(
            self.dp.vgw_log(),
            self.dp.charons["server"].log(),
            str(vpn.local_network_cidr),
            str(vpn.remote_network_cidr),
            self.dp.plan.tunnel_addresses,
            self.dp.plan.public_ip,
        )
        return [self._worded(d) for d in found]

    def _worded(self, found: Diagnosis) -> Diagnosis:
        """A diagnosis with its fix in the customer's configuration's words, if it has them."""
        fixes = self.dp.cgw.fixes if self.dp.cgw else {}  # none: the local target's
        return dataclasses.replace(found, hint=fixes[found.log]) if found.log in fixes else found

    def _tunnel(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        started = time.monotonic()
        deadline = started + timeout
        announced = False
        initiators.start_on_traffic(self.dp, e.argument, self.progress)
        nobody = initiators.never_initiated(self.dp, e.argument)
        nobody = self._worded(nobody) if nobody else None
        # a trap's traffic was sent: its IKE_SA_INIT reaches AWS in well under the settle
        trap = initiators.customer_start(self.dp, e.argument) == "trap"
        settle = SETTLE if not trap else timeout * TRAP_SETTLE
        if trap and self.dp.lab.vpn.routing == "bgp":
            settle = timeout
        while True:
            self.dp.assert_daemons_running()  # a dead daemon is a fault, not a slow tunnel
            sa = self.sas(e.node).get(e.argument)
            if sa and sa_up(sa):
                return (
                    True,
                    f"{text(sa['state'])}, CHILD_SA INSTALLED, {text(sa.get('remote-host', '?'))}",
                )
            elapsed = time.monotonic() - started
            reasons = [d for d in self.diagnoses() if d.tunnel in (None, e.argument)]
            self._refuse_a_host_limit(reasons)
            # A verdict only at a final state: established (above), the customer
            # gateway told why it failed, or the bound ran out. A step strongSwan
            # recovers from (INVALID_KE_PAYLOAD, a retransmit) decides nothing.
            server_log = self.dp.charons["server"].log()
            final = [d for d in reasons if is_final(d, server_log, e.argument)]
            if final and elapsed > SETTLE:
                return False, "; ".join(d.text() for d in final)
            # (a trap's IKE under way is no silence)
            silent = not reasons and not (trap and sa)
            if nobody and silent and elapsed > settle:
                return False, nobody.text()
            if time.monotonic() > deadline:
                state = f"{text(sa['state'])} without an installed CHILD_SA" if sa else "no IKE SA"
                # A step the customer gateway was never told of (a KE retry) is no cause.
                told = [d for d in reasons if d.notify is None or d in final] or reasons
                waited = time.monotonic() - self.started  # since the tunnels' checks began
                return False, f"{state} after {waited:.0f} s: {self._why(told, e.argument)}"
            if not announced and elapsed > 2:
                self.progress(f"  waiting for {e.argument} on {e.node} (up to {timeout:.0f} s)...")
                announced = True
            time.sleep(POLL)

    def _refuse_a_host_limit(self, reasons: list[Diagnosis]) -> None:
        """Userspace ESP that cannot install the server's policies is this host's
        limit (host_limits.py names the known ones before the run), never a verdict."""
        for d in reasons:
            if d.cause == HOST_POLICIES and not self.dp.kernel.esp:
                raise Fault(
                    f"this host's userspace ESP could not install the VPN server's IPsec "
                    f"policies ({d.detail}): a limit of this machine, not a verdict on the "
                    "configuration; the guest kernel runs it (--dataplane vm)"
                )

    def _bgp(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        frr = self.dp.frr.get(e.node)
        peer = bgp_probe.peer_of(self.dp.lab, e.node, e.argument)
        if frr is None or peer is None:
            what = "no BGP speaker" if frr is None else f"no tunnel {e.argument}"
            return False, f"{what} on {e.node} (a BGP lab has Tunnel1 and Tunnel2 on both)"
        vgw_lab = self.dp.lab if e.node == "vgw" else None
        aws = self.dp.transit or vgw_bgp.AwsSide.of_vgw(self.dp.lab)  # its prefix quota
        return bgp_probe.probe(frr, peer, timeout, self.progress, vgw_lab, aws.max_prefixes)

    def _why(self, reasons: list[Diagnosis], tunnel: str) -> str:
        if reasons:
            return "; ".join(d.text() for d in reasons)
        if waiting := initiators.never_initiated(self.dp, tunnel):
            return self._worded(waiting).text()
        logs = {"vgw": self.dp.vgw_log(), "server": self.dp.charons["server"].log()}
        said = [
            f"{node}: {line.strip()}"
            for node, log in logs.items()
            for line in last_lines(log, tunnel)
        ]
        return "no diagnosis in the charon logs; their last lines on this tunnel: " + (
            " | ".join(said) or "(none: the tunnel was never tried)"
        )

    def _ping(self, e: Expectation) -> tuple[bool, str]:
        """With route-based tunnels both up, once with each tunnel as the one AWS
        sends on: AWS picks it at random, so a configuration must work either way.
        With no tunnel up nothing can cross: the ping is not sent (the rows say why)."""
        if e.expected == "YES" and not any(sa_up(sa) for sa in self.sas("vgw").values()):
            return False, "not sent: no tunnel is up (the tunnel rows say why)"
        preferable = self._preferable_tunnels()
        if len(preferable) < 2:
            return super()._ping(e)
        nets = routing.into_tunnels(self.dp.view.tables)
        tries = {}
        for n in preferable:
            with vgw.preferring(self.dp.ns["vgw"], nets, n):
                tries[f"Tunnel{n}"] = super()._ping(e)
        if all(passed for passed, _ in tries.values()):
            first = next(iter(tries.values()))[1]
            return True, f"{first} (and as much with AWS sending on either tunnel)"
        said = "; ".join(f"AWS sending on {name}: {detail}" for name, (_, detail) in tries.items())
        return False, (
            f"{said}. AWS sends on one tunnel it picks at random while both are up "
            "(knowledge center: vpn-configure-tunnel-preference): the customer gateway "
            "must accept AWS's traffic on both"
        )

    def caveat(self, e: Expectation) -> str | None:
        """Two policy-based tunnels with identical selectors: a Linux kernel (an EC2
        VPN server's) keeps one policy for both, bound to one tunnel, and drops what
        arrives over the other. Where the pings could not try each tunnel AWS may
        send on (``_ping``), the pass is only as good as that."""
        if self.dp.vgw_interfaces:
            return None  # the pings tried each tunnel
        shared = _identical_selectors(self.sas("server"))
        if not shared:
            return None
        here = (
            "this host's VGW has no tunnel interfaces to send on each in turn"
            if self.dp.kernel.esp
            else "userspace ESP (this host) accepts AWS's traffic on both"
        )
        return (
            f"{' and '.join(shared)} are policy-based with identical selectors: {here}; a "
            "Linux kernel accepts it only on the tunnel its one policy for them names, and "
            "AWS sends on a tunnel it picks at random (knowledge center: "
            "vpn-configure-tunnel-preference); the guest kernel shows it (--dataplane vm)"
        )

    def _preferable_tunnels(self) -> list[int]:
        """Tunnels the VGW could send on now: route-based ones that are up."""
        if not self.dp.vgw_interfaces or self.dp.frr:
            return []  # with BGP, BGP's path choice says which tunnel AWS sends on
        sas = self.sas("vgw")
        return [n for n in (1, 2) if sa_up(sas.get(f"Tunnel{n}", {}))]

    def ping_output(self, node: str, address: str) -> str:
        if not self._routes_waited:
            self._routes_waited = True  # once: the updown scripts have run by then
            tunnels_ready.wait(self)
        # What drops it, if it fails: read anew unless a ping just lost nothing (~0.7 s each)
        if time.monotonic() >= self._drops_stand_until:
            self._drops_before = self.dp.drops()
        self._xfrm_before = self._xfrm_counters()
        said = self.dp.ns[node].exec(*remote_commands.ping(address)[0].split(), check=False)
        lost = parse_ping(said.stdout)[0] < PING_COUNT
        self._drops_stand_until = 0.0 if lost else time.monotonic() + DROPS_STAND
        return said.stdout

    def _xfrm_counters(self) -> dict[str, dict[str, int]]:
        """Kernel IPsec counters of the tunnel ends (userspace ESP has none)."""
        if not self.dp.kernel.esp:
            return {}
        return {node: xfrm_counters.read(self.dp.ns[node]) for node in ("server", "vgw")}

    def unanswered(self, e: Expectation, output: str) -> str:
        dropped = {
            where: count - self._drops_before.get(where, 0)
            for where, count in self.dp.drops().items()
        }
        said = ping_explanation.explain(
            self.dp.view, self.dp.plan, e.node, e.argument, output, dropped
        )
        after = self._xfrm_counters()
        kernel = [
            phrase
            for node, counters in after.items()
            for phrase in xfrm_counters.explain(
                ping_explanation.NAMES.get(node, "the emulated VGW"),
                xfrm_counters.moved(self._xfrm_before.get(node, {}), counters),
            )
        ]
        phrases = ([said.removeprefix(": ")] if said else []) + kernel
        phrases += pluto_log.causes(self.dp.charons["server"].log())
        return ": " + "; ".join(phrases) if phrases else ""

    def tunnels(self) -> list[TunnelReport]:
        """Both tunnels as the VGW sees them, with what each carried."""
        sas = self.sas("vgw")
        reports = []
        for n, address in enumerate(self.dp.plan.tunnel_addresses, start=1):
            name = f"Tunnel{n}"
            sa = sas.get(name, {})
            child = current_child(sa)
            report = TunnelReport(
                name,
                address,
                text(sa.get("state", "DOWN")),
                text(child.get("state", "NONE")),
                *(
                    int(text(child.get(k, 0)))
                    for k in ("packets-in", "packets-out", "bytes-in", "bytes-out")
                ),
            )
            if report.packets_out:
                report.carries.append("AWS -> on-prem")
            if report.packets_in:
                report.carries.append("on-prem -> AWS")
            reports.append(report)
        return reports

    def _carried(self) -> dict[str, int]:
        """Packets the VGW sent into each tunnel (AWS -> on-prem), by tunnel."""
        return {t.name: t.packets_out for t in self.tunnels()}

    def _resumed_elsewhere(self, cut: str, at_cut: dict[str, int], loss: float):
        """The failover's proof: after the gap, the traffic is on another tunnel."""
        moved = {n: c - at_cut.get(n, 0) for n, c in self._carried().items() if n != cut}
        carrier = max(moved, key=moved.get) if moved else None
        if carrier is None or moved[carrier] <= 0:
            return None, f"{cut} cut: replies came back, but over no other tunnel"
        return round(loss, 1), (
            f"{cut} carried the traffic before the cut; traffic resumed over the other "
            f"tunnel ({carrier}, {moved[carrier]} packets since the cut) after {loss:.1f} s "
            "of loss"
        )

    def failover(
        self, tunnels: list[TunnelReport], timeout: float, source=None
    ) -> tuple[float | None, str]:
        """Cut the path of the tunnel that carries AWS -> on-prem traffic now; return
        the seconds of ping loss until another tunnel carries it.

        With two policy-based tunnels only one carries each direction (shared
        reqid), and which one can change with every rekey: the carrier is the
        tunnel whose counters move under this very ping, or there is no failover
        to measure. ``tunnels`` names the lab's tunnels and their addresses; ``source``
        is the namespace that pings (default: the lab's AWS test host).
        """
        target = self.dp.plan.onprem_test_ip
        addresses = {t.name: t.address for t in tunnels}
        address = None  # the cut, once there is one
        pinging = (source or self.dp.ns["aws"]).name
        ping = subprocess.Popen(
            ["ip", "netns", "exec", pinging, "ping", "-n", "-D", "-i", "0.2", "-W", "1", target],
            stdout=subprocess.PIPE,
        )
        try:
            replies = ReplyClock(ping)
            last = replies.next(deadline=time.monotonic() + 5)
            if last is None:
                return None, "no ping replies before the cut"
            before = self._carried()
            last = replies.next(deadline=time.monotonic() + 5) or last  # one more, counted
            moved = {n: c - before.get(n, 0) for n, c in self._carried().items()}
            carrier = max(moved, key=moved.get) if moved else None
            if carrier is None or moved[carrier] <= 0:  # proof that a cut will matter
                return None, "no tunnel carried the ping before the cut: nothing to fail over"
            address = addresses[carrier]
            self.cut = carrier
            self.dp.cut_tunnel_path(address)
            cut_at = time.time()
            at_cut = self._carried()
            self.progress(
                f"  cut the path to {carrier} ({address}), which carries the ping; waiting "
                f"for traffic to flow over the other tunnel (up to {timeout:.0f} s)..."
            )
            index = list(addresses).index(carrier)
            kept = self.dp.lab.tunnels[index].options.dpd_action == "none"
            if kept:  # the VGW never gives up on it: waiting past its timeout proves that
                timeout = self.dp.lab.tunnels[index].options.dpd_timeout + vgw.AWS_DPD_INTERVAL
            deadline = time.monotonic() + timeout
            while (stamp := replies.next(deadline)) is not None:
                if stamp - last > 0.5:
                    loss = stamp - max(last, cut_at)
                    return self._resumed_elsewhere(carrier, at_cut, loss)
                if stamp - cut_at > 3:
                    return None, (
                        f"{carrier} cut, and the replies never stopped: the cut changed "
                        "nothing, so this is no failover"
                    )
                last = stamp
            if kept:
                sent = self._carried().get(carrier, 0) - at_cut.get(carrier, 0)
                return None, (
                    f"{carrier} cut: traffic did not resume within {timeout:.0f} s: its DPD "
                    "timeout action is none, so the VGW keeps the dead SA and sent "
                    f"{sent} packets into it since the cut, as AWS does ('take no action'); "
                    "set dpd_action to clear or restart for the other tunnel to take over"
                )
            return None, f"{carrier} cut: traffic did not resume within {timeout:.0f} s"
        finally:
            ping.kill()
            ping.wait()
            if address:
                self.dp.restore_tunnel_path(address)


def _identical_selectors(sas: dict[str, dict]) -> list[str]:
    """Tunnels (IKE SA names) whose installed CHILD_SAs have the same selectors."""
    by_selectors: dict[tuple, list[str]] = {}
    for name, sa in sas.items():
        for child in installed_children(sa):
            selectors = tuple(
                tuple(sorted(text(ts) for ts in child.get(key, [])))
                for key in ("local-ts", "remote-ts")
            )
            by_selectors.setdefault(selectors, []).append(name)
    return next((sorted(set(names)) for names in by_selectors.values() if len(set(names)) > 1), [])


def _fresher(sa: dict, than: dict) -> bool:
    """Is ``sa`` the connection's current IKE SA rather than ``than``?"""

    def rank(candidate: dict) -> tuple[bool, bool, int]:
        uniqueid = text(candidate.get("uniqueid", "0"))
        return (
            sa_up(candidate),
            text(candidate.get("state")) == "ESTABLISHED",
            int(uniqueid) if uniqueid.isdecimal() else 0,
        )

    return rank(sa) > rank(than)
