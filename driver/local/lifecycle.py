"""The SA lifecycle AWS drives, in compressed time, on an established lab.

A tunnel that comes up can still fail within the hour: AWS rekeys the CHILD_SA
itself inside its rekey margin, with PFS in the phase 2 DH groups, and rekeys
(IKEv2) or reauthenticates (IKEv1) the IKE SA; the customer gateway rekeys on
its own schedule too. A customer gateway without PFS, or with a PFS group the
tunnel options do not allow, is the classic "the tunnel drops after an hour".
So each check makes all three happen now, over vici, and reads the outcome
from the SAs themselves (a new INSTALLED CHILD_SA, a new IKE SA) and from the
charons' logs: strongSwan's rekey command reports success as soon as the
exchange is queued, whatever the peer answers.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from driver.checks import pluto_log
from driver.checks.runner import CheckResult
from driver.checks.vici_fields import installed_children, text
from driver.local.emulation import stretched
from driver.local.shared.node_access import sa_up

# A rekey in these namespaces takes ~0.1 s; the step returns as soon as the new SA
# (or a refusal) shows, so the bound only matters on a loaded machine.
STEP_TIMEOUT = 10.0
POLL = 0.02


@dataclass(frozen=True)
class Step:
    name: str
    node: str  # who initiates: "vgw" (AWS) or "server" (the customer gateway)
    sa: str  # "child" or "ike"


STEPS = (
    Step("AWS rekeys each CHILD_SA, with PFS", "vgw", "child"),
    Step("AWS rekeys each IKE SA (IKEv1: reauthenticates)", "vgw", "ike"),
    Step("the customer gateway rekeys each CHILD_SA", "server", "child"),
)


def run_lifecycle(runner, tunnels: list[str]) -> list[CheckResult]:
    """One row per step; ``tunnels`` are the names of the established ones."""
    return [_step(runner, step, tunnels) for step in STEPS]


def _step(runner, step: Step, tunnels: list[str]) -> CheckResult:
    started = time.monotonic()
    before = {t: _snapshot(runner, t) for t in tunnels}
    logs = {daemon: len(daemon.log()) for daemon in runner.dp.charons.values()}
    pending, outcome = set(tunnels), {}
    for tunnel in tunnels:
        problem = _initiate(runner, step, tunnel)
        if problem:
            outcome[tunnel] = (False, problem)
            pending.discard(tunnel)
    bound = stretched(STEP_TIMEOUT)  # under the guest's emulation a rekey is slower too
    deadline = started + bound
    while pending and time.monotonic() < deadline:
        runner.dp.assert_daemons_running()  # a peer that died is a fault, not a slow rekey
        for tunnel in list(pending):
            done = _settled(runner, step, tunnel, before[tunnel], logs)
            if done is not None:
                outcome[tunnel] = done
                pending.discard(tunnel)
        time.sleep(POLL)
    for tunnel in pending:
        why = _why(runner, tunnel, logs)
        outcome[tunnel] = (False, f"no new SA within {bound:.0f} s: {why}")
    passed = all(ok for ok, _ in outcome.values())
    detail = per_tunnel({t: outcome[t][1] for t in tunnels})
    return CheckResult(
        f"lifecycle: {step.name}", passed, round(time.monotonic() - started, 2), detail
    )


def per_tunnel(details: dict[str, str]) -> str:
    """Each tunnel's outcome, said once for the tunnels it is the same for: a failed
    rekey's diagnosis runs to ~900 characters, and both tunnels often share it."""
    tunnels_by_detail: dict[str, list[str]] = {}
    for tunnel, detail in details.items():
        tunnels_by_detail.setdefault(detail, []).append(tunnel)
    return "; ".join(
        f"{' and '.join(tunnels)}: {detail}" for detail, tunnels in tunnels_by_detail.items()
    )


def _snapshot(runner, tunnel: str) -> tuple[str, set[str], set[str]]:
    """(the VGW's current IKE SA id for a tunnel, its installed CHILD_SAs' inbound
    SPIs, the ids of every IKE SA the tunnel has then: none of those is a step's)."""
    current = runner.sas("vgw").get(tunnel, {})
    there = {text(sa.get("uniqueid", "")) for sa in _ike_sas(runner, tunnel)}
    return text(current.get("uniqueid", "")), _spis(current), there


def _ike_sas(runner, tunnel: str) -> list[dict]:
    """Every IKE SA AWS's endpoint holds for ``tunnel`` (two while one replaces another)."""
    return [sa for name, sa in runner.dp.vgw_endpoint(tunnel).list_sas() if name == tunnel]


def _spis(sa: dict) -> set[str]:
    return {_spi(c) for c in installed_children(sa)}


def _spi(child: dict) -> str:
    return text(child.get("spi-in"))


def _initiate(runner, step: Step, tunnel: str) -> str | None:
    """Ask the initiating charon to rekey; a problem if it cannot even ask."""
    if step.node == "vgw":
        name = tunnel
        version = text(runner.sas("vgw").get(tunnel, {}).get("version", "2"))
    else:  # the customer's own name for the tunnel: its SA to that VGW address
        address = runner.dp.plan.tunnel_addresses[int(tunnel.removeprefix("Tunnel")) - 1]
        found = [
            (name, sa)
            for name, sa in runner.sas("server").items()
            if text(sa.get("remote-host")) == address and sa_up(sa)
        ]
        if not found:  # and why, if its own log says (Libreswan's pluto)
            causes = pluto_log.causes(runner.dp.charons["server"].log())
            return f"the customer gateway has no established SA to {address}" + "".join(
                f": {cause}" for cause in causes[:1]
            )
        name, sa = found[0]
        version = text(sa.get("version", "2"))
        if step.sa == "child":
            children = list(sa.get("child-sas", {}).values())
            name = text(children[0].get("name", name)) if children else name
    request = {step.sa: name}
    if step.sa == "ike" and version == "1":
        request["reauth"] = "yes"
    daemon = runner.dp.vgw_endpoint(tunnel) if step.node == "vgw" else runner.dp.charons["server"]
    answer = daemon.rekey(request)
    if text(answer.get("success")) != "yes":
        return f"{daemon.program} refused to start it: {text(answer.get('errmsg', '?'))}"
    return None


def _settled(runner, step, tunnel, before, logs) -> tuple[bool, str] | None:
    """(passed, detail) once the outcome is known, else None. Only an SA the step made
    counts: a tunnel set up anew meanwhile (a DPD restart, a peer's delete) brings a
    new IKE SA and, from its IKE_AUTH, a new CHILD_SA without any rekey."""
    ike_id, spis, there = before
    held = {text(sa.get("uniqueid", "")): sa for sa in _ike_sas(runner, tunnel)}
    fresh = {uid: sa for uid, sa in held.items() if uid not in there}
    # The CHILD_SAs of an IKEv2 IKE SA move to the one that rekeys it, SPIs and all.
    heirs = [uid for uid, sa in fresh.items() if spis & _spis(sa)]
    anew = [uid for uid, sa in fresh.items() if uid not in heirs and sa_up(sa)]
    # Until the snapshotted one is gone or carries nothing, a new one may be a duplicate
    # the peer set up beside it (a losing tunnel's retry), while the rekey goes on.
    carried = bool(installed_children(held.get(ike_id, {})))
    if step.sa == "child":
        for uid in [ike_id, *heirs]:
            new = [c for c in installed_children(held.get(uid, {})) if _spi(c) not in spis]
            if new:
                dh = text(new[0].get("dh-group", "")) or "no PFS group"
                return True, f"new CHILD_SA {_spi(new[0])} ({dh})"
        if anew and not heirs and not carried:
            return False, _set_up_anew(runner, tunnel, ike_id, anew[0], logs)
    else:
        if up := [uid for uid in heirs if sa_up(held[uid])]:
            return True, f"new IKE SA #{up[0]}"
        # IKEv1 reauthenticates: a new IKE SA with new CHILD_SAs is its outcome.
        if v1 := [uid for uid in anew if text(held[uid].get("version")) == "1"]:
            return True, f"new IKE SA #{v1[0]}"
        if anew and not carried:
            return False, _set_up_anew(runner, tunnel, ike_id, anew[0], logs)
    refusal = _refusal(runner, step, tunnel, logs)
    return (False, refusal) if refusal else None


def _set_up_anew(runner, tunnel: str, old: str, new: str, logs: dict) -> str:
    """Why a step's outcome is no rekey: the tunnel was negotiated again meanwhile."""
    log = _since(runner.dp.vgw_endpoint(tunnel), logs)
    said = [
        line.strip()
        for line in log.splitlines()
        if re.search(r"DELETE|giving up|dead|restart|retransmit", line)
    ]
    why = f": AWS's endpoint logged {' | '.join(said[:3])}" if said else ""
    # and the customer gateway's own words for it, where its log has them (pluto's),
    # this tunnel's first
    causes = pluto_log.causes(_since(runner.dp.charons["server"], logs))
    causes = [c for c in causes if f"conn {tunnel}'s" in c] or causes
    return (
        f"the tunnel was set up anew, not rekeyed: IKE SA #{old} carries it no more, and "
        f"#{new} came with CHILD_SAs of its own (its IKE_AUTH's), so this step proves nothing"
        + "".join(f"; {cause}" for cause in causes[:1])
        + why
    )


def _refusal(runner, step: Step, tunnel: str, logs: dict) -> str | None:
    """Why the rekey was refused, from what the charons logged since it began."""
    vgw = _since(runner.dp.vgw_endpoint(tunnel), logs)
    server = _since(runner.dp.charons["server"], logs)
    responder, initiator = (server, vgw) if step.node == "vgw" else (vgw, server)
    # Final only once the initiator is told no; the responder's "no acceptable
    # KEY_EXCHANGE_METHOD" for one proposal of several is no verdict, nor is an
    # INVALID_KE_PAYLOAD strongSwan retries with the group asked for.
    notified = re.search(r"received ((?!INVALID_KE)\w+) notify", initiator)
    if not notified:
        return None
    configured = re.findall(r"configured proposals: (.+)", responder)
    received = re.findall(r"received proposals: (.+)", responder)
    # Each side's own: the responder logs its configured proposals and the ones it received.
    customer, aws = (configured, received) if step.node == "vgw" else (received, configured)
    theirs = customer[-1].strip() if customer else "?"
    groups = _groups(runner.dp.lab.tunnels[0].options.phase2.dh_groups)
    if step.sa == "child" and customer and not _has_dh(customer[-1]):
        return (
            f"refused: no PFS — the customer gateway's ESP proposals carry no DH group "
            f"({theirs}), and AWS requires PFS in phase 2 ({groups}); add one, e.g. "
            f"{runner.dp.cgw.pfs_fix}"
        )
    if step.sa == "child" and "KEY_EXCHANGE_METHOD" in responder:
        return (
            f"refused: DH group not allowed — AWS rekeys with {groups}; the customer gateway "
            f"offers {theirs}"
        )
    ours = aws[-1].strip() if aws else "?"
    return f"refused ({notified.group(1)}): the customer gateway offers {theirs}; AWS {ours}"


def _has_dh(proposals: str) -> bool:
    return bool(re.search(r"MODP_|ECP_|CURVE_|ECP\d|MODP\d", proposals))


def _groups(groups: tuple[int, ...]) -> str:
    return "DH group" + ("s " if len(groups) > 1 else " ") + ", ".join(map(str, groups))


def _why(runner, tunnel: str, logs: dict) -> str:
    tail = _since(runner.dp.vgw_endpoint(tunnel), logs).strip().splitlines()[-2:]
    return " | ".join(line.strip() for line in tail) or "nothing in the VGW's log"


def _since(daemon, logs: dict) -> str:
    """What ``daemon`` logged since the step began (``logs``: each log's length then)."""
    return daemon.log()[logs[daemon] :]
