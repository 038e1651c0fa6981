"""``vpnlab verify --target aws`` of a Transit Gateway lab: what a VGW lab's verify
does (driver/aws/verify.py), per site, and the pings through the gateway.

1. every instance's SSM agent Online (each VPC's test host, each site's VPN server
   and test host);
2. per site: its VPN server's user data finished, then its connection's two tunnels
   UP in its own ``VgwTelemetry``;
3. a ping over SSM Run Command both ways between each VPC's test host and each site's,
   and between the sites, expected as the lab's route tables decide (driver/lab/
   transit_routes.py ``not_carried``: the row names the table and route that stop it);
   one lost where a reply was expected names a VPC route table in the account that
   sends nothing for the other end to the gateway (driver/aws_api/vpc_routes.py).

4. Reachability Analyzer from each VPC's test host to each site's VPN attachment, for
   the site's test host's address: found where the lab's tables carry it, not found
   (the explanation AWS gives) where they do not. AWS's analysis stops at the
   attachment: the tunnels and the site beyond it are the pings'.
"""

from __future__ import annotations

import dataclasses
import time

from driver.aws.ssm import Ssm
from driver.aws.verify import (
    DEFAULT_TIMEOUT,
    REACHABILITY_TIMEOUT,
    SLOW,
    Account,
    applied_outputs,
    server_diagnostics,
    wait_for_agents,
    wait_for_setup,
)
from driver.aws_api import vpc_routes
from driver.checks import remote_commands
from driver.checks.reachability import analyse_paths
from driver.checks.report import Report
from driver.checks.runner import PING_COUNT, CheckResult, parse_ping
from driver.checks.telemetry import wait_for_telemetry
from driver.lab import transit_routes as tgw
from driver.lab.transit_routes import output_key


def instances(lab, outputs: dict) -> dict[str, str]:
    """Each instance by what it is: ``vpc:prod``, ``site:tokyo`` (test hosts) and
    ``site tokyo server``."""
    found = {f"vpc:{v.name}": outputs[f"{output_key(v.name)}_test_instance_id"] for v in lab.vpcs}
    for site in lab.sites:
        found[f"site:{site.name}"] = outputs[f"{output_key(site.name)}_onprem_test_instance_id"]
        found[f"site {site.name} server"] = outputs[
            f"{output_key(site.name)}_vpn_server_instance_id"
        ]
    return found


def verify(target: Account, timeout: float | None = None) -> Report:
    lab, progress = target.lab, target.progress
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    outputs = applied_outputs(target, "transit_gateway_id")
    tgw.refuse_unless_applied(
        lab, outputs, "stack applied to AWS", "run `vpnlab apply --target aws`"
    )
    started = time.monotonic()
    ec2 = target.client("ec2")
    ssm = Ssm(target.client("ssm"), progress, SLOW)
    report = Report(
        lab.name,
        False,
        [],
        command="verify",
        customer_gateway="each site's VPN server instance (EC2)",
        esp=f"AWS {lab.region}",
    )
    ids = instances(lab, outputs)

    def remaining() -> float:
        return max(timeout - (time.monotonic() - started), 0.0)

    agents, online = wait_for_agents(ssm, ids, remaining(), progress)
    report.checks.append(agents)
    for index, site in enumerate(lab.sites):
        server = ids[f"site {site.name} server"]
        setup = wait_for_setup(ssm, server, server in online, remaining(), progress, timeout)
        telemetry = wait_for_telemetry(
            ec2,
            outputs[f"{output_key(site.name)}_vpn_connection_id"],
            remaining(),
            progress,
            timeout,
        )
        for row in (setup, telemetry):
            row.name = f"site {site.name}: {row.name}"
            report.checks.append(row)
        if not (setup.passed and telemetry.passed) and server in online:
            tunnels = tgw.site_view(lab, index).tunnels
            dump = server_diagnostics(ssm, server, tunnels, progress, f"site {site.name}'s")
            report.diagnostics += f"== site {site.name}'s VPN server\n{dump}"
    report.checks += _pings(lab, outputs, ids, online, ssm, ec2, progress)
    report.checks += _reachability(lab, outputs, ec2, progress)
    report.passed = all(c.passed for c in report.checks)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _pings(
    lab, outputs: dict, ids: dict, online: set, ssm: Ssm, ec2, progress
) -> list[CheckResult]:
    """Both ways between each VPC's test host and each site's, and between the sites,
    as ``vpnlab check`` pings them, expected as the lab's tables decide; a lost one is
    explained by a VPC's own route table in the account, where it misses the other end."""
    hosts = [
        (f"vpc:{v.name}", outputs[f"{output_key(v.name)}_test_private_ip"], v.private_subnet_cidr)
        for v in lab.vpcs
    ] + [
        (f"site:{s.name}", outputs[f"{output_key(s.name)}_onprem_test_private_ip"],
         s.onprem.private_subnet_cidr)
        for s in lab.sites
    ]  # fmt: skip
    tables: dict[str, vpc_routes.VpcRouteTable] = {}  # each VPC's, read once if asked

    def vpc_misses(legs) -> list[str]:
        """Where a leg leaves a VPC whose route table in the account sends nothing for
        the other end to the gateway (the request's way, or the reply's)."""
        misses = []
        for source, target in legs:
            if source[0].startswith("vpc:"):
                if source[0] not in tables:
                    tables[source[0]] = vpc_routes.of_instance(ec2, ids[source[0]])
                if why := tables[source[0]].missing(source[0], target[2]):
                    misses.append(why)
        return misses

    rows = []
    for first, second in tgw.ping_pairs(hosts):
        legs = [(first, second), (second, first)]
        why_not = [w for a, b in legs if (w := tgw.not_carried(lab, a[0], b[0], b[2]))]
        for source, target in legs:
            rows.append(
                _ping(source, target, why_not, ids, online, ssm, lambda legs=legs: vpc_misses(legs))
            )
            progress(f"{rows[-1].verdict} {rows[-1].name} {rows[-1].detail}")
    return rows


def _reachability(lab, outputs: dict, ec2, progress) -> list[CheckResult]:
    """Reachability Analyzer from each VPC's test host to each site's VPN attachment,
    for the site's test host's address (modules/reachability_paths.py ``TransitPaths``),
    expected as the lab's tables decide: where they do not carry it, the path must be
    found unreachable. AWS's analysis stops at the attachment; the pings go beyond."""
    paths = outputs.get("reachability_path_ids") or {}
    if not paths:  # a stack applied before vpnlab defined them
        return [
            CheckResult(
                "Reachability Analyzer", True, 0.0,
                "not run: the stack applied holds no network insights paths; apply it again",
                skipped=True,
            )
        ]  # fmt: skip
    sites = {f"site:{s.name}": s.onprem.private_subnet_cidr for s in lab.sites}
    rows = []
    for label, row in zip(
        paths, analyse_paths(ec2, paths, REACHABILITY_TIMEOUT, progress), strict=True
    ):
        vpc, site = label.split(" → ")
        why_not = tgw.not_carried(lab, vpc, site, sites[site])
        if why_not is None:
            rows.append(row)
            continue
        refused = row.detail.startswith("not reachable")  # an answer, not a timeout
        detail = f"{row.detail}; none expected: {why_not}"
        rows.append(dataclasses.replace(row, passed=refused, detail=detail))
    return rows


def _ping(source, target, why_not: list[str], ids, online, ssm: Ssm, lost) -> CheckResult:
    """``lost()``: what in the account explains a reply the lab's tables expect and that
    did not come (asked only then)."""
    started = time.monotonic()
    expected = not why_not
    name = f"{source[0]} → {target[0]}: ping {target[1]} ({'YES' if expected else 'NO'})"
    instance = ids[source[0]]
    if instance not in online:
        detail = f"not run: the SSM agent of {instance} ({source[0]}) is not online"
        return CheckResult(name, False, 0.0, detail)
    answer = ssm.run(instance, remote_commands.ping(target[1]))
    replies, rtt = parse_ping(answer.stdout)
    detail = f"{replies}/{PING_COUNT} replies from {target[1]}" + (f", rtt {rtt} ms" if rtt else "")
    if why_not:
        detail += f"; none expected: {'; '.join(why_not)}"
    seconds = round(time.monotonic() - started, 2)
    if not why_not and not replies:
        misses = lost()
        detail += (
            f"; but {'; '.join(misses)}"
            if misses
            else "; the lab's Transit Gateway tables route it both ways"
        )
    return CheckResult(name, (replies > 0) == expected, seconds, detail)
