"""``<gateway>::bgp::TunnelN::ESTABLISHED`` against the local data plane's FRR.

A bounded wait on the gateway's bgpd, polled through vtysh, that ends early
where BGP itself has ended the session for good (the VGW's 100-prefix limit:
FRR, as AWS, does not restart it) or refused it for its configuration (an OPEN
message error: the peer AS, the hold time; every retry meets the same answer).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from driver.checks import aws_tunnel_log
from driver.lab import aws_rules, topology
from driver.lab.model import Lab
from driver.local.dataplane import vgw_bgp
from driver.local.dataplane.frr import Frr

POLL = 0.25  # one vtysh per poll (~0.2 s under the guest's emulation)


def peer_of(lab: Lab, node: str, tunnel: str) -> str | None:
    """The other end's inside address of a tunnel, as ``node``'s bgpd knows it."""
    ends = topology.customer_inside_addresses if node == "vgw" else topology.aws_inside_addresses
    peers = {f"Tunnel{n}": str(a) for n, a in enumerate(ends(lab), start=1)}
    return peers.get(tunnel)


def probe(
    frr: Frr,
    peer: str,
    timeout: float,
    progress: Callable[[str], None],
    lab: Lab | None = None,
    limit: int = aws_rules.MAX_ADVERTISED_PREFIXES,
) -> tuple[bool, str]:
    """``lab``: the VGW's (its ``limit`` is rechecked once the session settles: AWS's
    quota on the prefixes a customer gateway advertises, 1,000 on a Transit Gateway)."""
    started = time.monotonic()
    announced = rechecked = False
    before: dict = {}
    while True:
        neighbor = frr.neighbors().get(peer, {})
        settled = _updated(neighbor, before) or time.monotonic() > started + timeout
        before = neighbor
        over = vgw_bgp.accepted(neighbor) > limit
        if neighbor.get("bgpState") == "Established" and settled:
            if lab is None or not over:
                return True, established(frr, peer, neighbor, time.monotonic() - started)
            if not rechecked:  # then wait for bgpd to end it (it may take a poll or two)
                vgw_bgp.recheck_prefix_limit(frr, lab, peer, limit)
                rechecked = True
        if neighbor.get("prefixesConfigExceedMax"):
            return False, _aws_says(lab, "bgp-prefix-limit", peer) + (
                f"{vgw_bgp.session_state(neighbor)}: the customer gateway announced more "
                f"prefixes than the VGW accepts ({limit}: Site-to-Site VPN quotas), and the VGW "
                "closed the session; announce fewer, e.g. one summary route"
            )
        elapsed = time.monotonic() - started
        if neighbor.get("bgpState") != "Established" and _refused(neighbor):
            said = _aws_says(lab, _log_key(neighbor), peer)
            state = vgw_bgp.session_state(neighbor)
            return False, f"{said}{state} with {peer} after {elapsed:.0f} s{_why(neighbor)}"
        if elapsed > timeout and over:
            return False, _aws_says(lab, "bgp-prefix-limit", peer) + (
                f"{vgw_bgp.accepted(neighbor)} prefixes accepted, more than the VGW's "
                f"{limit}, and bgpd kept the session: "
                "AWS would have closed it"
            )
        if elapsed > timeout:
            state = vgw_bgp.session_state(neighbor) if neighbor else "no such neighbour"
            said = _aws_says(lab, _log_key(neighbor), peer) if neighbor else ""
            return False, f"{said}{state} with {peer} after {elapsed:.0f} s{_why(neighbor)}"
        if not announced and elapsed > 2:
            progress(f"  waiting for the BGP session with {peer} (up to {timeout:.0f} s)...")
            announced = True
        time.sleep(POLL)


def established(frr: Frr, peer: str, neighbor: dict, waited: float) -> str:
    hold = neighbor.get("bgpTimerHoldTimeMsecs", 0) // 1000
    keepalive = neighbor.get("bgpTimerKeepAliveIntervalMsecs", 0) // 1000
    prefixes = sorted(frr.received(peer))
    return (
        f"Established with {peer} (AS {neighbor.get('remoteAs', '?')}) after {waited:.1f} s, "
        f"hold {hold} s, keepalive {keepalive} s; {vgw_bgp.accepted(neighbor)} prefixes "
        f"accepted" + (f": {', '.join(prefixes)}" if prefixes else "")
    )


def _updated(neighbor: dict, before: dict) -> bool:
    """The peer has sent its table: its End-of-RIB where both ends do graceful
    restart, else its UPDATEs have stopped coming (none queued, the count as at
    the poll ``before``). Only then is the session's verdict its own: the 101st
    prefix may come in a later UPDATE and end it."""
    if neighbor.get("neighborCapabilities", {}).get("gracefulRestart") == "advertisedAndReceived":
        eor = neighbor.get("gracefulRestartInfo", {}).get("endOfRibRecv", {})
        return bool(eor.get("ipv4Unicast"))
    stats = neighbor.get("messageStats", {})
    return (
        stats.get("updatesRecv", 0) > 0
        and stats.get("depthInq", 0) == 0
        and vgw_bgp.accepted(neighbor) == vgw_bgp.accepted(before)
        and stats.get("updatesRecv") == before.get("messageStats", {}).get("updatesRecv")
    )


def _why(neighbor: dict) -> str:
    """What FRR says of the session's last end, where it says anything."""
    reason = neighbor.get("lastNotificationReason") or neighbor.get("lastResetDueTo")
    if neighbor.get("remoteAs") is None:
        return ""
    return f" (last: {reason})" if reason else " (no session yet: its tunnel, or the peer's bgpd)"


def _log_key(neighbor: dict) -> str:
    """Which of AWS's BGP log messages a session that did not come up matches."""
    reason = str(neighbor.get("lastNotificationReason") or neighbor.get("lastResetDueTo") or "")
    if "Hold Timer Expired" in reason:
        return "bgp-hold-timer"
    if neighbor.get("bgpState") in ("Connect", "Active") and not reason:
        return "bgp-stuck-connect"  # AWS's explanation: check TCP 179 on the customer gateway
    return "bgp-down"


def _aws_says(lab: Lab | None, key: str, peer: str) -> str:
    """AWS's BGP log line first, for the VGW's side (``lab`` given), as for IKE."""
    return f"{aws_tunnel_log.bgp_quoted(key, peer)}; " if lab is not None else ""


def _refused(neighbor: dict) -> bool:
    """An OPEN refused for what is configured (RFC 4271 6.2): no retry changes it."""
    reason = neighbor.get("lastNotificationReason") or neighbor.get("lastResetDueTo") or ""
    return reason.startswith("OPEN Message Error")
