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
import time
from collections.abc import Callable
from pathlib import Path

from driver.analysis import cgw_bgp_rules
from driver.analysis.cgw_lint import lint_customer
from driver.checks import selectors
from driver.checks.report import Report
from driver.checks.runner import TUNNEL_TIMEOUT, CheckResult
from driver.core.errors import Fault, VpnlabError
from driver.lab import transit_routes as tgw
from driver.lab.aws_rules import generate_psk
from driver.lab.expectations import of_lab as expectations_of_lab
from driver.lab.model import Lab
from driver.local import daemon_logs, lint_rows, replacement, transit_ecmp, transit_pings
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
    if cgw_config is not None and site not in [s.name for s in lab.sites]:
        raise VpnlabError(f"--cgw-config is one site's customer gateway: no site '{site}'")
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
            with cgw_bgp_rules.on_transit_gateway():  # its connection accepts 1,000 prefixes
                theirs = lint_customer(view, cgw_config, cgw_secrets, cgw_daemon) if lint else []
            customer = (name, gateway, theirs)
            customers_rows = lint_rows.rows(theirs) + keys_not_compared(
                uncompared, f"sites[{i}].vpn"
            )
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
            customer_site=site if cgw_config else None,
        )
        if customer:  # their files' findings and load, named after their site
            name, _, theirs = customer
            customers_rows += configuration_loaded(tdp.site(name).dp, cgw_config)
            customers_rows = [
                dataclasses.replace(row, name=f"site {name}: {row.name}") for row in customers_rows
            ]
            ends = (f"site:{name} → ", f" → site:{name}: ")
            lint_rows.cite(
                [r for r in rows if r.name.startswith(ends[0]) or ends[1] in r.name], theirs
            )
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
    customer_site: str | None = None,
) -> tuple[list[CheckResult], list]:
    """The rows of a running Transit Gateway data plane (``vpnlab check`` builds it,
    ``vpnlab verify`` finds the applied one) and what each tunnel carried;
    ``replace_endpoint``: each site's Tunnel1 endpoint replaced, as AWS's tunnel
    maintenance does, after the pings (its rekeys are done); ``customer_site``: the
    site whose VPN server runs a customer's files, whose SA pairs are judged by AWS's
    one-pair rule (the lab's renderings propose the connection's CIDRs)."""
    bound = stretched(TUNNEL_TIMEOUT)
    rows, runners = [], {}
    for plane in tdp.sites:
        customer = plane.site.name == customer_site
        runners[plane.site.name], site_rows = _site(plane, bound, lifecycle, progress, customer)
        rows += site_rows
    pinged = transit_pings.pings(tdp, runners, progress)
    answered = transit_pings.answered(pinged)
    rows += pinged
    rows += _ecmp(tdp, runners, progress, answered)
    rows += _ecmp_across(tdp, runners, progress)
    tunnels = [  # after the pings, before a cut: what each tunnel carried
        dataclasses.replace(t, name=f"{name} {t.name}")
        for name, runner in runners.items()
        for t in runner.tunnels()
    ]
    if replace_endpoint:
        rows += _replacements(tdp, runners, progress)
    if failover:
        rows += _failovers(tdp, runners, progress, answered)
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


def _site(
    plane, bound: float, lifecycle: bool, progress, customer: bool = False
) -> tuple[DataPlaneRunner, list]:
    """One site's connection, checked as a VGW lab's is; its rows named after it.
    ``customer``: its VPN server runs a customer's files."""
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
    if customer:  # AWS's one SA pair per tunnel, and selectors within the connection's
        vpn = plane.dp.lab.vpn
        rows += selectors.rows(
            plane.dp.vgw_log(),
            str(vpn.local_network_cidr),
            str(vpn.remote_network_cidr),
            sorted(up),
        )
    return runner, [dataclasses.replace(row, name=f"site {name}: {row.name}") for row in rows]


def _ecmp(tdp: TransitDataPlane, runners: dict, progress, answered: set) -> list[CheckResult]:
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
        vpc = _reaching_vpc(tdp.lab, plane, answered)
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


def _ecmp_across(tdp: TransitDataPlane, runners: dict, progress) -> list[CheckResult]:
    """Each prefix a route table sends to several sites (BGP, ``VpnEcmpSupport``): a VPC
    associated with the table sends flows to an address in it that this route carries
    (``transit_ecmp.address_in``), and every tunnel of every site's connection must
    carry some. A site with no tunnel up has no route to offer: SKIP."""
    planes = {f"site:{p.site.name}": p for p in tdp.sites}
    rows, shown = [], set()
    for table, routed in tdp.tables.routes.items():
        vpc = next(
            (v for v in tdp.lab.vpcs if tdp.tables.associations.get(f"vpc:{v.name}") == table),
            None,
        )
        for cidr, hops in routed.items():
            sites = [planes[h] for h in hops if h in planes]
            if vpc is None or len(sites) < 2 or cidr in shown:
                continue
            if not all(p.dp.vgw_interfaces for p in sites):
                continue  # tunnels without interfaces (policy-based): nothing to count on
            shown.add(cidr)
            address = transit_ecmp.address_in(
                cidr, routed, vpc.vpc_cidr, tdp.tables.to_gateway(tdp.lab, f"vpc:{vpc.name}")
            )
            if address is None:
                continue  # nowhere in it the VPC's flows would take this route
            down = [
                p.site.name
                for p in sites
                if not any(sa_up(sa) for sa in runners[p.site.name].sas("vgw").values())
            ]
            if down:
                rows.append(
                    CheckResult(
                        f"tgw: ECMP over connections to {cidr}", True, 0.0,
                        f"not shown: site {', '.join(down)} has no tunnel up (its rows say why)",
                        skipped=True,
                    )
                )  # fmt: skip
                continue
            rows.append(
                transit_ecmp.across(
                    str(cidr), f"vpc:{vpc.name}", tdp.hosts[vpc.name], address,
                    {p.site.name: p.dp.ns["vgw"] for p in sites},
                )
            )  # fmt: skip
            progress(f"{rows[-1].verdict} {rows[-1].name} {rows[-1].detail}")
    return rows


def _failovers(tdp: TransitDataPlane, runners: dict, progress, answered: set) -> list[CheckResult]:
    """Per site, as a VGW lab's --failover: a VPC's test host pings the site's, the
    tunnel carrying it is cut, and the seconds until the other carries it are the
    row's (bounded by the DPD timeout, AWS's endpoint's only way to know)."""
    rows = []
    for plane in tdp.sites:
        name = f"site {plane.site.name}: failover"
        vpc = _reaching_vpc(tdp.lab, plane, answered)
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


def _reaching_vpc(lab: Lab, plane, answered: set):
    """The first VPC whose test host's ping to the site's came back both ways (its ping
    rows expected replies and got them)."""
    site = f"site:{plane.site.name}"
    for vpc in lab.vpcs:
        host = f"vpc:{vpc.name}"
        if (host, site) in answered and (site, host) in answered:
            return vpc
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
