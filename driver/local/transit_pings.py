"""The pings of a Transit Gateway lab's check, and why one is lost.

Both ways between each VPC's test host and each site's, and between the sites, each
expected as the lab's route tables decide (driver/lab/transit_routes.py); a lost one is
explained by the tables the gateway routes by (the emulator's, applied), the lab's
selectors, or the CHILD_SAs a site's customer gateway negotiated.
"""

from __future__ import annotations

import ipaddress
import time

from driver.checks import remote_commands
from driver.checks.runner import PING_COUNT, CheckResult, parse_ping
from driver.checks.vici_fields import installed_children, text
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab
from driver.local.shared.node_access import sa_up
from driver.local.transit_dataplane import TransitDataPlane


def pings(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
    """Both ways between each VPC's test host and each site's, and between the sites'
    (through the gateway too), expected as the tables decide."""
    hosts = [
        (f"vpc:{v.name}", tdp.hosts[v.name], tdp.host_ip(v.name), v.private_subnet_cidr)
        for v in tdp.lab.vpcs
    ] + [
        (f"site:{p.site.name}", p.dp.ns["onprem"], p.dp.plan.onprem_test_ip,
         p.site.onprem.private_subnet_cidr)
        for p in tdp.sites
    ]  # fmt: skip
    rows = []
    for first, second in tgw.ping_pairs(hosts):
        legs = [(first, second), (second, first)]
        for source, target in legs:
            rows.append(_ping(tdp, source, target, legs, runners))
            progress(f"{rows[-1].verdict} {rows[-1].name} {rows[-1].detail}")
    return rows


def _ping(tdp: TransitDataPlane, source, target, legs, runners: dict) -> CheckResult:
    """A ping from ``source``'s test host to ``target``'s (each ``(attachment, namespace,
    address, subnet)``): a reply is expected where the lab's tables carry the request
    and the reply (``legs``: both directions); a lost one is explained by the tables
    the gateway routes by (the emulator's, applied)."""
    lab = tdp.lab
    started = time.monotonic()
    why_not = [why for a, b in legs if (why := tgw.not_carried(lab, a[0], b[0], b[3])) is not None]
    expected = not why_not
    address = target[2]
    output = source[1].exec(*remote_commands.ping(address)[0].split(), check=False).stdout
    replies, rtt = parse_ping(output)
    detail = f"{replies}/{PING_COUNT} replies from {address}" + (f", rtt {rtt} ms" if rtt else "")
    if why_not:
        detail += f"; none expected: {'; '.join(why_not)}"
    passed = (replies > 0) == expected
    built = [why for a, b in legs if (why := tdp.tables.missed(a[0], b[0], b[3])) is not None]
    if not passed and expected and built:
        detail += f"; but the route tables as applied do not: {'; '.join(built)}"
    elif not passed and not expected and not built:  # a reply the lab's tables would not give
        detail += "; but the Transit Gateway's tables as applied carry it both ways"
    elif not passed and expected:
        gaps = _selector_gaps(lab, source, target)
        narrowed = _negotiated_gaps(runners, source, target)
        detail += "; the Transit Gateway routes it both ways" + (
            f", but {'; '.join(gaps)} (lab-network-cidrs)"
            if gaps
            else f", but {'; '.join(narrowed)}"
            if narrowed
            else ": the sites' rows say why not"
        )
    name = f"{source[0]} → {target[0]}: ping {address} ({'YES' if expected else 'NO'})"
    # What this host cannot show of a site's tunnels (identical policy-based selectors
    # with userspace ESP: DataPlaneRunner.caveat), where the reply came
    caveats = [
        f"{end[0]}: {said}"
        for end in (source, target)
        if passed and expected and end[0].startswith("site:")
        and (said := runners[end[0].removeprefix("site:")].caveat(None))
    ]  # fmt: skip
    if caveats:
        detail += f"; but {'; '.join(caveats)}"
    seconds = round(time.monotonic() - started, 2)
    return CheckResult(name, passed, seconds, detail, warning=bool(caveats))


def _selector_gaps(lab: Lab, source, target) -> list[str]:
    """Where a site's tunnels' selectors leave out this traffic: its own subnet outside
    its local network CIDR, or the other end's outside its remote one."""
    gaps = []
    for end, other in ((source, target), (target, source)):
        if not end[0].startswith("site:"):
            continue
        vpn = next(s for s in lab.sites if f"site:{s.name}" == end[0]).vpn
        for subnet, cidr, side in ((end[3], vpn.local_network_cidr, "local"),
                                   (other[3], vpn.remote_network_cidr, "remote")):  # fmt: skip
            if not subnet.subnet_of(cidr):
                gaps.append(f"{end[0]}'s tunnels carry {side} {cidr} only, not {subnet}")
    return gaps


def _negotiated_gaps(runners: dict, source, target) -> list[str]:
    """Where the CHILD_SAs a site's customer gateway negotiated leave out this traffic:
    the other end's subnet outside every installed CHILD_SA's selector on AWS's side
    (a customer's files that propose less than the connection carries)."""
    gaps = []
    for end, other in ((source, target), (target, source)):
        if not end[0].startswith("site:"):
            continue
        sas = runners[end[0].removeprefix("site:")].sas("vgw")
        shown = {
            text(ts)
            for sa in sas.values()
            if sa_up(sa)
            for child in installed_children(sa)
            for ts in child.get("local-ts", [])
        }
        networks = [n for n in map(_network, shown) if n is not None]
        if (
            networks
            and len(networks) == len(shown)
            and not any(other[3].version == n.version and other[3].subnet_of(n) for n in networks)
        ):
            gaps.append(
                f"{end[0]}'s CHILD_SAs carry {', '.join(sorted(shown))} on AWS's side "
                f"only, not {other[3]}: its customer gateway proposed no more"
            )
    return gaps


def _network(selector: str):
    """A traffic selector as vici shows it (``10.0.0.0/16``), or None where it is more
    than a network (a protocol or port: ``10.0.0.0/16[tcp]``, a range: ``a..b``)."""
    try:
        return ipaddress.ip_network(selector, strict=False)
    except ValueError:
        return None


def answered(rows: list[CheckResult]) -> set[tuple[str, str]]:
    """(source, target) of the pings that came back as expected: where a VPC's traffic
    really reaches a site (its customer's SAs may carry less than the lab says)."""
    return {
        tuple(row.name.split(": ping ", 1)[0].split(" → "))
        for row in rows
        if row.passed and row.name.endswith("(YES)")
    }
