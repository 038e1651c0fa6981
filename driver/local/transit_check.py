"""``vpnlab check`` of a Transit Gateway lab: every site's VPN connection against the
Transit Gateway's endpoints, then traffic between every VPC and every site through
the gateway's route tables (driver/local/transit_dataplane.py).

Per site, as a VGW lab's check does (its rows named after the site): both tunnels,
with BGP both sessions (AWS's side announcing the connection's route table,
accepting 1,000 prefixes, with ECMP both tunnels), AWS's rekeys and the customer's,
what was negotiated. Then, both ways between each VPC's test host and each site's,
a ping whose expected outcome is what the Transit Gateway's tables decide: a reply
where they route both ways, none where a table has no route, a blackhole or the
other attachment (the row says which table and route). The tables as they stand
are rows of their own.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import ipaddress
import time
from collections.abc import Callable
from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.checks import remote_commands
from driver.checks.report import Report
from driver.checks.runner import PING_COUNT, TUNNEL_TIMEOUT, CheckResult, parse_ping
from driver.checks.vici_fields import installed_children, text
from driver.core.errors import Fault
from driver.lab import transit_routes as tgw
from driver.lab.aws_rules import generate_psk
from driver.lab.expectations import of_lab as expectations_of_lab
from driver.lab.model import Lab
from driver.local import daemon_logs, lint_rows, replacement, transit_ecmp
from driver.local.check_command import (
    SERVER_RETRANSMITS,
    aws_side,
    configuration_loaded,
    customer_gateway,
    keys_not_compared,
    negotiated,
    torn_down,
    workdir,
)
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel
from driver.local.dataplane_runner import DataPlaneRunner
from driver.local.emulation import stretched
from driver.local.lifecycle import run_lifecycle
from driver.local.shared.node_access import sa_up
from driver.local.transit_dataplane import TransitDataPlane
from driver.render.cloud_init import CharonOptions


def run_transit_check(
    lab: Lab,
    *,
    cgw_config: Path | None = None,
    cgw_secrets: Path | None = None,
    cgw_daemon: str | None = None,
    site: str | None = None,
    keep: bool = False,
    lifecycle: bool = True,
    lint: bool = True,
    progress: Callable[[str], None] = lambda m: None,
    dataplane: str = "",
    logs: Path | None = None,
    failover: bool = False,
    replace_endpoint: bool = False,
) -> Report:
    """Build, check, tear down (unless ``keep``), prove nothing is left; ``cgw_config``
    (``cgw_secrets``, ``cgw_daemon``): site ``site``'s customer gateway, as a VGW lab's
    check runs one, the other sites' VPN servers rendered from the lab; ``logs``: a
    folder for each site's daemons' logs as the check ended; ``failover``: each
    site's tunnel that carries a VPC's traffic cut, last (its rekeys are done);
    ``replace_endpoint``: each site's Tunnel1 endpoint replaced, before that."""
    started = time.monotonic()
    features = kernel.probe()
    charon = CharonOptions(
        libipsec=not features.esp, log_file="/run/charon.log", af_alg=False, **SERVER_RETRANSMITS
    )
    found = lint_rows.findings(lab, None, None) if lint else []
    customer, customers_rows = None, []
    tdp = TransitDataPlane(lab, workdir(lab), features)
    for i in range(len(lab.sites)):
        view = tgw.site_view(lab, i)
        name = lab.sites[i].name
        if cgw_config is not None and name == site:
            gateway, psks, uncompared = customer_gateway(
                view, cgw_config, cgw_secrets, cgw_daemon, charon
            )
            theirs = lint_customer(view, cgw_config, cgw_secrets, cgw_daemon) if lint else []
            customer = (name, gateway, theirs)
            customers_rows = lint_rows.rows(theirs) + keys_not_compared(uncompared)
        else:
            psks = tuple(t.preshared_key or generate_psk() for t in view.tunnels)
            networks = tgw.routed_to(lab, f"site:{name}")
            gateway = cgw_module.rendered(view, psks, charon, networks)
        tdp.add_site(i, aws_side(view, gateway.tunnel_addresses, psks), gateway, psks)
    report = Report(
        lab.name,
        False,
        [],
        customer_gateway=(
            f"site {site}: {customer[1].source}; the other sites' VPN servers rendered from the lab"
            if customer
            else "each site's VPN server rendered from the lab"
        ),
        esp=features.describe(),
        dataplane=dataplane,
    )
    tdp.claim()  # before the try: a refusal tears down nothing of anyone else's
    try:
        progress(
            f"building lab {lab.name}: a Transit Gateway, {len(lab.vpcs)} VPCs, "
            f"{len(lab.sites)} sites ({features.describe()})"
        )
        tdp.build()
        rows, report.tunnels = checked(
            tdp,
            lifecycle=lifecycle,
            failover=failover,
            progress=progress,
            replace_endpoint=replace_endpoint,
        )
        if customer:  # their files' findings and load, named after their site
            name, _, theirs = customer
            customers_rows += configuration_loaded(tdp.site(name).dp, cgw_config)
            customers_rows = [
                dataclasses.replace(row, name=f"site {name}: {row.name}") for row in customers_rows
            ]
            lint_rows.cite([r for r in rows if f"site:{name}" in r.name], theirs)
        report.checks = lint_rows.rows(found) + customers_rows + rows
        for plane in tdp.sites:
            plane.dp.assert_daemons_running()
        report.passed = bool(report.checks) and all(c.passed for c in report.checks)
    except Fault as fault:
        after = "the lab is kept as it failed" if keep else "the lab was torn down"
        raise Fault(f"{fault}; {after}") from None
    finally:
        kept = daemon_logs.gathered_transit(tdp) if logs else {}  # before teardown
        if not keep:
            torn_down(tdp, report)
        if logs:
            daemon_logs.keep(kept, logs)
        report.seconds = round(time.monotonic() - started, 2)
    return report


def checked(
    tdp: TransitDataPlane,
    *,
    lifecycle: bool,
    failover: bool,
    progress: Callable[[str], None],
    replace_endpoint: bool = False,
) -> tuple[list[CheckResult], list]:
    """The rows of a running Transit Gateway data plane (``vpnlab check`` builds it,
    ``vpnlab verify`` finds the applied one) and what each tunnel carried;
    ``replace_endpoint``: each site's Tunnel1 endpoint replaced, as AWS's tunnel
    maintenance does, after the pings (its rekeys are done)."""
    bound = stretched(TUNNEL_TIMEOUT)
    rows, runners = [], {}
    for plane in tdp.sites:
        runners[plane.site.name], site_rows = _site(plane, bound, lifecycle, progress)
        rows += site_rows
    rows += _pings(tdp, runners, progress)
    rows += _ecmp(tdp, runners, progress)
    tunnels = [  # after the pings, before a cut: what each tunnel carried
        dataclasses.replace(t, name=f"{name} {t.name}")
        for name, runner in runners.items()
        for t in runner.tunnels()
    ]
    if replace_endpoint:
        rows += _replacements(tdp, runners, progress)
    if failover:
        rows += _failovers(tdp, runners, progress)
    return rows + _tables(tdp), tunnels


def _replacements(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
    """Each site's Tunnel1 endpoint replaced (driver/local/replacement.py), the sites
    side by side: each its own endpoints and customer gateway, as on AWS."""

    def replaced(plane) -> CheckResult:
        return replacement.replace_endpoint(runners[plane.site.name])

    with concurrent.futures.ThreadPoolExecutor(len(tdp.sites) or 1) as pool:
        done = list(pool.map(replaced, tdp.sites))
    rows = [
        dataclasses.replace(row, name=f"site {plane.site.name}: {row.name}")
        for plane, row in zip(tdp.sites, done, strict=True)
    ]
    for row in rows:
        progress(f"{row.verdict} {row.name} {row.detail}")
    return rows


def _site(plane, bound: float, lifecycle: bool, progress) -> tuple[DataPlaneRunner, list]:
    """One site's connection, checked as a VGW lab's is; its rows named after it."""
    name = plane.site.name
    runner = DataPlaneRunner(plane.dp, lambda m: progress(f"{name}: {m}"))
    wanted = expectations_of_lab(
        tuple(e for e in plane.dp.lab.checks.expect if "::ping::" not in e),
        plane.dp.lab.vpn.routing,
    )
    if plane.dp.lab.vpn.routing == "bgp" and not any(e.probe == "bgp" for e in wanted):
        wanted += expectations_of_lab(
            ("vgw::bgp::Tunnel1::ESTABLISHED", "vgw::bgp::Tunnel2::ESTABLISHED"), "bgp"
        )
    rows = runner.run(wanted, bound)
    up = [tunnel for tunnel, sa in runner.sas("vgw").items() if sa_up(sa)]
    if lifecycle and up:
        rows += run_lifecycle(runner, sorted(up))
    rows += negotiated(runner.sas("vgw"), plane.dp.lab, plane.dp.plan.public_ip)
    return runner, [dataclasses.replace(row, name=f"site {name}: {row.name}") for row in rows]


def _pings(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
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
    for i, first in enumerate(hosts):
        for second in hosts[i + 1 :]:
            if first[0].startswith("vpc:") and second[0].startswith("vpc:"):
                continue  # VPC to VPC: no VPN in between, not this lab's to prove
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
    why_not = [why for a, b in legs if (why := _missed(lab, a[0], b[0], b[3])) is not None]
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
        detail += f"; but the Transit Gateway's tables as applied do not: {'; '.join(built)}"
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


def _ecmp(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
    """Each BGP site's two tunnels share a VPC's flows (``VpnEcmpSupport``), or one of
    them carries them all (without it), where the site's VGW node has tunnel interfaces
    to count them on (kernel ESP). With one tunnel up there is no choice to show: SKIP."""
    rows = []
    for plane in tdp.sites:
        if plane.site.vpn.routing != "bgp" or not plane.dp.vgw_interfaces:
            continue
        up = sorted(t for t, sa in runners[plane.site.name].sas("vgw").items() if sa_up(sa))
        if len(up) < 2:
            rows.append(
                CheckResult(
                    f"site {plane.site.name}: "
                    + transit_ecmp.row_name(tdp.lab.transit_gateway.ecmp),
                    True,
                    0.0,
                    f"not shown: {', '.join(up) or 'no tunnel'} up; how AWS spreads flows or "
                    "picks a tunnel shows with both up (the tunnel rows say why not)",
                    skipped=True,
                )
            )
            continue
        vpc = _reaching_vpc(tdp.lab, plane)
        if vpc is None:
            continue  # no VPC reaches it: its ping rows say so
        rows.append(
            transit_ecmp.check(
                plane.site.name, f"vpc:{vpc.name}", tdp.hosts[vpc.name],
                plane.dp.plan.onprem_test_ip,
                plane.dp.ns["vgw"],
                tdp.lab.transit_gateway.ecmp,
            )
        )  # fmt: skip
        progress(f"{rows[-1].verdict} {rows[-1].name} {rows[-1].detail}")
    return rows


def _failovers(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
    """Per site, as a VGW lab's --failover: a VPC's test host pings the site's, the
    tunnel carrying it is cut, and the seconds until the other carries it are the
    row's (bounded by the DPD timeout, AWS's endpoint's only way to know)."""
    rows = []
    for plane in tdp.sites:
        name = f"site {plane.site.name}: failover"
        vpc = _reaching_vpc(tdp.lab, plane)
        if vpc is None:
            why = "no VPC's ping reaches the site and comes back (its ping rows say why)"
            rows.append(CheckResult(name, True, 0.0, f"not measured: {why}", skipped=True))
            continue
        runner = runners[plane.site.name]
        timeout = max(t.options.dpd_timeout for t in plane.dp.lab.tunnels) + 30
        seconds, detail = runner.failover(runner.tunnels(), timeout, tdp.hosts[vpc.name])
        detail = f"vpc:{vpc.name} pinging: {detail}"
        rows.append(CheckResult(name, seconds is not None, seconds or 0.0, detail))
        progress(f"{rows[-1].verdict} {rows[-1].name} {rows[-1].detail}")
    return rows


def _reaching_vpc(lab: Lab, plane):
    """The first VPC whose test host's ping to the site's the gateway carries both ways
    and the site's selectors let through (its ping rows expect replies)."""
    site = (f"site:{plane.site.name}", None, None, plane.site.onprem.private_subnet_cidr)
    for vpc in lab.vpcs:
        host = (f"vpc:{vpc.name}", None, None, vpc.private_subnet_cidr)
        legs = ((host, site), (site, host))
        if all(_missed(lab, a[0], b[0], b[3]) is None for a, b in legs) and not _selector_gaps(
            lab, host, site
        ):
            return vpc
    return None


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
        selectors = {
            text(ts)
            for sa in sas.values()
            if sa_up(sa)
            for child in installed_children(sa)
            for ts in child.get("local-ts", [])
        }
        if selectors and not any(
            other[3].subnet_of(ipaddress.ip_network(ts, strict=False)) for ts in selectors
        ):
            gaps.append(
                f"{end[0]}'s CHILD_SAs carry {', '.join(sorted(selectors))} on AWS's side "
                f"only, not {other[3]}: its customer gateway proposed no more"
            )
    return gaps


def _missed(lab: Lab, source: str, target: str, subnet) -> str | None:
    """Why the gateway does not carry ``source``'s traffic to ``target``'s subnet."""
    table = tgw.association(lab, source)
    if table is None:
        return f"{source} is associated with no route table"
    decision = tgw.lookup(lab, table, subnet.network_address)
    if not decision.routes:
        return f"route table {table} has no route to {subnet}"
    if decision.blackhole:
        return f"route table {table} drops {subnet} ({decision.routes[0].where}: blackhole)"
    if target not in decision.attachments:
        return f"route table {table} sends {subnet} to {', '.join(decision.attachments)}"
    return None


def _tables(tdp: TransitDataPlane) -> list[CheckResult]:
    """Each route table the gateway routes by: who is associated, and its routes (INFO
    rows; the lab's own for a check, the emulator's for a verify)."""
    rows = []
    for table, routed in tdp.tables.routes.items():
        associated = [a for a, t in tdp.tables.associations.items() if t == table]
        routes = [f"{cidr} → {', '.join(hops) or 'blackhole'}" for cidr, hops in routed.items()]
        detail = f"associated: {', '.join(associated) or 'none'}; " + (
            "; ".join(routes) or "no routes"
        )
        rows.append(CheckResult(f"tgw: route table {table}", True, 0.0, detail, info=True))
    return rows
