"""The emulated virtual private gateway: strongSwan responders configured as AWS.

Its proposals, lifetimes, DPD and keys come from the same tunnel options as
the VPN connection (driver/render/proposals.py), so a customer gateway that agrees
with it agrees with what AWS was told. AWS probes a silent peer every 10 s and
declares it dead after the tunnel's DPD timeout; charon's retransmission
schedule is sized so its dead-peer verdict takes as long.

charon's retransmission schedule is one for the whole daemon, but its DPD
delay is per connection: a dead-peer verdict comes ``dpd_delay`` after the
last packet plus the retransmissions. So the schedule is sized to the smaller
DPD timeout and each tunnel's ``dpd_delay`` makes up the rest of its own
(AWS's probes come every 10 s; on a tunnel with a longer timeout, charon's
first probe comes later, and its verdict at the same time as AWS's).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import jinja2

from driver.lab import aws_rules, topology
from driver.lab.model import Lab, Phase
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.dataplane.netns import Namespace
from driver.render.cloud_init import (
    CharonOptions,
    ServerValues,
    strongswan_files,
    tunnel_context,
)
from driver.render.settings_string import quoted

AWS_DPD_INTERVAL = 10  # seconds between AWS's DPD probes
RETRANSMIT_TRIES = 3
RETRANSMIT_BASE = 1.4

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
templates.filters["quoted"] = quoted  # every value that is not the lab's own literal

# AWS DPD timeout action -> swanctl CHILD dpd_action. AWS's 'none' keeps the
# dead SA (traffic keeps going into it): a tunnel with 'none' gets no DPD at
# all (dpd_delay 0), so charon never declares its peer dead either.
DPD_ACTION = {"clear": "clear", "none": "clear", "restart": "restart"}
_SCHEDULE = sum(RETRANSMIT_BASE**i for i in range(RETRANSMIT_TRIES + 1))


def _retransmission_seconds(lab: Lab) -> float:
    """How long charon retransmits an unanswered DPD before it gives up: the
    smallest DPD timeout (of the tunnels that do DPD) less one AWS interval."""
    timeouts = [t.options.dpd_timeout for t in lab.tunnels if t.options.dpd_action != "none"]
    return max(min(timeouts, default=30) - AWS_DPD_INTERVAL, 1)


def _retransmit_timeout(lab: Lab) -> float:
    """charon's first retransmission timeout (strongswan.conf), rounded as written."""
    return round(_retransmission_seconds(lab) / _SCHEDULE, 2)


def dpd_delay(lab: Lab, tunnel: int) -> int:
    """The tunnel's charon dpd_delay: its DPD timeout less the retransmissions,
    or 0 (no DPD) for timeout action 'none'. IKEv1 has a dpd_timeout of its
    own (set from the tunnel's), so there the probe interval stays AWS's."""
    options = lab.tunnels[tunnel].options
    if options.dpd_action == "none":
        return 0
    if "ikev2" not in options.ike_versions:
        return AWS_DPD_INTERVAL
    retransmits = _retransmit_timeout(lab) * _SCHEDULE
    return max(round(options.dpd_timeout - retransmits), 1)


def charon_options(lab: Lab, log_file: str, libipsec: bool) -> CharonOptions:
    """Retransmits that, with each tunnel's dpd_delay, make charon's dead-peer
    verdict take the tunnel's DPD timeout."""
    return CharonOptions(
        libipsec=libipsec,
        log_file=log_file,
        retransmit_tries=RETRANSMIT_TRIES,
        retransmit_timeout=_retransmit_timeout(lab),
        retransmit_base=RETRANSMIT_BASE,
        af_alg=False,
    )


def in_awss_order(lab: Lab) -> Lab:
    """The lab with each phase's algorithms in AWS's order of preference.

    AWS's tunnel endpoints "evaluate proposals from your customer gateway
    starting with the lowest configured value from the list below, regardless
    of the proposal order from the customer gateway" (Site-to-Site VPN user
    guide, VPNTunnels.html): AES128 before AES256, SHA1 before SHA2-256, DH 2
    before 14. charon as a responder prefers its own configured order
    (``prefer_configured_proposals``, on by default), so the VGW's proposals
    are written in AWS's order, whatever order the lab lists them in.
    """

    def ordered(phase: Phase) -> Phase:
        return dataclasses.replace(
            phase,
            encryption=tuple(e for e in aws_rules.ENCRYPTION if e in phase.encryption),
            integrity=tuple(i for i in aws_rules.INTEGRITY if i in phase.integrity),
            dh_groups=tuple(g for g in aws_rules.DH_GROUPS if g in phase.dh_groups),
        )

    tunnels = tuple(
        dataclasses.replace(
            t,
            options=dataclasses.replace(
                t.options, phase1=ordered(t.options.phase1), phase2=ordered(t.options.phase2)
            ),
        )
        for t in lab.tunnels
    )
    return dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))


def rekey_window(lifetime: int, margin: int, fuzz: int) -> tuple[int, int]:
    """charon's (rekey_time, rand_time) for AWS's rekey: inside the margin before the
    SA expires, "the exact time randomly selected" over fuzz percent of that window
    (AWS's RekeyMarginTimeSeconds and RekeyFuzzPercentage, EC2 API reference). charon
    rekeys at rekey_time less a random part of rand_time, so the window is
    [lifetime - margin, lifetime - margin + fuzz% of margin], kept a second short of
    the expiry itself. (strongSwan's own rekeyfuzz widens the margin instead: a
    customer gateway rekeys earlier than lifetime - margin.)"""
    start = lifetime - margin
    latest = min(start + margin * fuzz // 100, lifetime - 1)
    return latest, latest - start


def strongswan_conf(lab: Lab, log_file: str, libipsec: bool, route_based: bool = False) -> str:
    """The VGW's strongswan.conf: the VPN server's template, with the VGW's retransmits
    (and no routes of charon's own when the tunnels are interfaces)."""
    values = ServerValues(topology.DEFAULT_PUBLIC_IP, topology.DEFAULT_TUNNEL_ADDRESSES)
    options = dataclasses.replace(
        charon_options(lab, log_file, libipsec), install_routes=not route_based
    )
    return strongswan_files(lab, values, options)["/etc/strongswan.conf"]


def swanctl_conf(
    lab: Lab,
    tunnel_addresses: tuple[str, str],
    cgw_id: str,
    psks: tuple[str, str],
    interfaces: str | None = None,
) -> str:
    """The VGW's connections; with ``interfaces`` (vti | xfrm) each tunnel's SAs are
    bound to its own interface (marks or if_ids ``n``) and ``UPDOWN`` routes into it."""
    values = ServerValues(public_ip=cgw_id, tunnel_addresses=tunnel_addresses)
    tunnels = tunnel_context(in_awss_order(lab), values)
    for n, (t, tunnel, psk) in enumerate(zip(tunnels, lab.tunnels, psks, strict=True)):
        t["psk"] = psk
        t["dpd_delay"] = dpd_delay(lab, n)
        t["replay_window"] = tunnel.options.replay_window
        t["dpd_action"] = DPD_ACTION[tunnel.options.dpd_action]
        t["start_action"] = "start" if tunnel.options.startup_action == "start" else "none"
        margin, fuzz = tunnel.options.rekey_margin, tunnel.options.rekey_fuzz
        for sa, phase in (("ike", tunnel.options.phase1), ("child", tunnel.options.phase2)):
            t[f"{sa}_rekey"], t[f"{sa}_rand"] = rekey_window(phase.lifetime, margin, fuzz)
    return templates.get_template("vgw-swanctl.conf.j2").render(
        lab=lab, tunnels=tunnels, cgw_id=cgw_id, interfaces=interfaces, updown=UPDOWN
    )


# --- route-based tunnels (a kernel with ESP and VTI or XFRM interfaces) -------------

UPDOWN = "/etc/vpnlab/vgw-updown.sh"


def interface(n: int) -> str:
    """The VGW's interface of tunnel ``n`` (1, 2)."""
    return f"tunnel{n}"


def interface_kind(kernel: KernelFeatures, customer: str | None) -> str | None:
    """The VGW's tunnels as interfaces (vti | xfrm), as AWS's are, where the kernel
    has them: the customer's kind, since one kernel must not load both (Debian 6.1
    then drops XFRM-interface traffic); else policy-based (None: userspace ESP)."""
    if not kernel.esp:
        return None
    has = {"xfrm": kernel.xfrmi, "vti": kernel.vti}
    return next((k for k in (customer, "xfrm", "vti") if k and has[k]), None)


def make_interfaces(
    ns: Namespace, lab: Lab, kind: str, plan: topology.AddressPlan, cgw_ip: str
) -> None:
    """The VGW's tunnel interfaces: AWS's side of each tunnel's inside CIDR (.1; the
    customer gateway has .2), key or if_id ``n``."""
    pairs = zip(lab.tunnels, plan.tunnel_addresses, strict=True)
    with ns.batch():
        for n, (tunnel, address) in enumerate(pairs, 1):
            name, inside = interface(n), tunnel.inside_cidr
            if kind == "vti":
                link = ("type", "vti", "local", address, "remote", cgw_ip, "key", str(n))
            else:
                link = ("type", "xfrm", "dev", "wan", "if_id", str(n))
            ns.ip("link", "add", name, *link)
            ns.ip("addr", "add", f"{inside[1]}/{inside.prefixlen}", "dev", name)
            ns.ip("link", "set", name, "up", "mtu", "1419")  # AWS's tunnel MTU
    if kind == "vti":  # decrypted packets carry no policy to check again (AWS's sample)
        ns.sysctl({f"net.ipv4.conf.{interface(n)}.disable_policy": "1" for n in (1, 2)})


def updown_script(into_tunnels: list) -> str:
    """charon's updown on the VGW: the VPN connection's routes go into a tunnel while
    it is up, and leave it when it goes down; tunnel 1 is preferred when both are up
    (AWS picks one tunnel for static routing; ``preferring`` tries the other)."""
    nets = " ".join(str(n) for n in into_tunnels)
    return templates.get_template("vgw-updown.sh.j2").render(nets=nets, table=INTO_TUNNELS_TABLE)


@contextlib.contextmanager
def preferring(ns: Namespace, into_tunnels: list, n: int) -> Iterator[None]:
    """For a block, the VGW sends the VPN connection's traffic into tunnel ``n``
    (routes ahead of the updown script's). AWS picks the tunnel it sends on at
    random when both are up, and the customer gateway cannot choose it (AWS
    knowledge center, vpn-configure-tunnel-preference): a check tries each."""
    routes = [
        (str(net), "dev", interface(n), "metric", "0", "table", str(INTO_TUNNELS_TABLE))
        for net in into_tunnels
    ]
    with ns.batch():
        for route in routes:
            ns.ip("route", "replace", *route)
    try:
        yield
    finally:
        with ns.batch():
            for route in routes:
                ns.ip("route", "del", *route)


INTO_TUNNELS_TABLE = 30  # driver/local/dataplane/routing.py
