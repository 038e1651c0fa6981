"""Lint rules for a Transit Gateway lab: each site's VPN connection as a VGW lab's
(driver/analysis/lab_rules.py, at the site's keys), then the Transit Gateway's
route tables resolved from the lab (driver/lab/transit_routes.py) with AWS's rules:

* an attachment with no route table associated drops what it sends, and one that
  propagates nowhere (no static route to it either) receives nothing ("Transit
  gateway route table associations" / "propagations");
* between a VPC and a site, the route the associated table chooses, both ways: no
  route, a blackhole, or another attachment ("Route evaluation order");
* a static route to a prefix a BGP site advertises wins over BGP (static before
  propagated), so the site's routes lose;
* ECMP (VpnEcmpSupport) spreads BGP routes only ("ECMP ... dynamic routing");
* two sites' networks that overlap without both advertising them over BGP.
"""

from __future__ import annotations

from driver.analysis.findings import Finding
from driver.analysis.lab_rules import lint_lab
from driver.lab import aws_rules, declared_features
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab

TRANSIT_GATEWAY_RULES = {
    "tgw-unattached": "an attachment is associated with no route table, or propagates nowhere",
    "tgw-no-route": "a VPC and a site do not reach each other through the Transit Gateway",
    "tgw-static-over-bgp": "a static route takes a BGP site's prefix (static routes win)",
    "tgw-ecmp-static": "ECMP is on, but it spreads BGP routes only",
    "tgw-site-overlap": "two sites' networks overlap",
    "tgw-declared": "a site declares a feature vpnlab does not emulate (and synthesis may refuse)",
}


def lint_transit_lab(lab: Lab, source: str) -> list[Finding]:
    out = []
    for i in range(len(lab.sites)):
        # A site's view has the VGW's path model: the Transit Gateway's rules trace here.
        view, quota = tgw.site_view(lab, i), aws_rules.MAX_ADVERTISED_PREFIXES_TRANSIT_GATEWAY
        for finding in lint_lab(view, source, paths=False, prefix_limit=quota):
            where = finding.where.replace(f"{source}: ", f"{source}: sites[{i}].", 1)
            out.append(
                Finding(finding.rule, finding.severity, where, finding.message, finding.hint)
            )

    def add(rule, severity, path, message, hint):
        out.append(Finding(rule, severity, f"{source}: {path}", message, hint))

    _selectors(lab, add)
    _attachments(lab, add)
    _reachability(lab, add)
    _static_over_bgp(lab, add)
    _ecmp(lab, add)
    _overlaps(lab, add)
    _declared(lab, add)
    return out


def _key(lab: Lab, attachment: str) -> str:
    kind, name = attachment.split(":")
    entries = lab.sites if kind == "site" else lab.vpcs
    index = next(i for i, e in enumerate(entries) if e.name == name)
    return f"{'sites' if kind == 'site' else 'vpcs'}[{index}]"


def _selectors(lab: Lab, add) -> None:
    """A site's remote network CIDR (its tunnels' AWS-side selector) covers each network
    the Transit Gateway sends it traffic from: every VPC (the first: lab-network-cidrs)
    and, as a warning, the other sites it routes to this one."""
    for i, site in enumerate(lab.sites):
        selector = site.vpn.remote_network_cidr
        others = [(f"vpc:{v.name}", v.private_subnet_cidr, "error") for v in lab.vpcs[1:]]
        others += [
            (f"site:{s.name}", s.onprem.private_subnet_cidr, "warning")
            for s in lab.sites
            if s.name != site.name and _routes(lab, f"site:{s.name}", f"site:{site.name}")
        ]
        for name, subnet, severity in others:
            if not subnet.subnet_of(selector):
                add(
                    "lab-network-cidrs",
                    severity,
                    f"sites[{i}].vpn.remote_network_cidr",
                    f"{selector} does not cover {name}'s subnet {subnet}, which the Transit "
                    "Gateway routes to this site: the tunnels' selectors exclude it",
                    "use 0.0.0.0/0 (route-based) or a range covering it",
                )


def _routes(lab: Lab, source: str, target: str) -> bool:
    """Whether the table associated with ``source`` sends target's test subnet to it."""
    table = tgw.association(lab, source)
    entry = next(s for s in lab.sites if f"site:{s.name}" == target)
    if table is None:
        return False
    decision = tgw.lookup(lab, table, entry.onprem.private_subnet_cidr.network_address)
    return target in decision.attachments


def _attachments(lab: Lab, add) -> None:
    static_targets = {
        r.attachment
        for table in [tgw.DEFAULT, *(t.name for t in lab.transit_gateway.route_tables)]
        for r in tgw.routes(lab, table)
        if r.kind == "static"
    }
    for attachment in tgw.attachments(lab):
        if tgw.association(lab, attachment) is None:
            add(
                "tgw-unattached",
                "error",
                _key(lab, attachment),
                f"{attachment} is associated with no route table: the Transit Gateway drops "
                "what it sends",
                "name it in a route table's associations, or set "
                "transit_gateway.default_route_table_association: true",
            )
        if not tgw.propagations(lab, attachment) and attachment not in static_targets:
            add(
                "tgw-unattached",
                "error",
                _key(lab, attachment),
                f"{attachment} propagates to no route table and no static route leads to "
                "it: nothing is routed to it",
                "name it in a route table's propagations, or add a static route to it",
            )


def _reachability(lab: Lab, add) -> None:
    for vpc in lab.vpcs:
        for site in lab.sites:
            pairs = (
                (f"vpc:{vpc.name}", f"site:{site.name}", site.onprem.private_subnet_cidr),
                (f"site:{site.name}", f"vpc:{vpc.name}", vpc.private_subnet_cidr),
            )
            for source, target, subnet in pairs:
                table = tgw.association(lab, source)
                if table is None or subnet is None:
                    continue  # tgw-unattached says so
                decision = tgw.lookup(lab, table, subnet.network_address)
                message = _missed(decision, target, subnet, table)
                if message:
                    add(
                        "tgw-no-route",
                        "warning",
                        _key(lab, source),
                        f"{source} → {target}: {message}",
                        "add a propagation or a static route to "
                        f"{target} in that table (or mean it: segmentation)",
                    )


def _missed(decision, target: str, subnet, table: str) -> str | None:
    if not decision.routes:
        return f"route table {table} has no route to {subnet}"
    if decision.blackhole:
        return f"route table {table} drops {subnet} ({decision.routes[0].where}: blackhole)"
    if target not in decision.attachments:
        others = ", ".join(decision.attachments)
        return f"route table {table} sends {subnet} to {others} ({decision.routes[0].where})"
    return None


def _static_over_bgp(lab: Lab, add) -> None:
    tables = [tgw.DEFAULT, *(t.name for t in lab.transit_gateway.route_tables)]
    for table in tables:
        held = tgw.routes(lab, table)
        for bgp in (r for r in held if r.kind == "vpn"):
            for static in (r for r in held if r.kind == "static"):
                if static.attachment != bgp.attachment and static.cidr.subnet_of(bgp.cidr):
                    add(
                        "tgw-static-over-bgp",
                        "warning",
                        static.where,
                        f"{static.cidr} (static, to {static.attachment or 'blackhole'}) wins "
                        f"over {bgp.attachment}'s BGP route {bgp.cidr} in route table {table}: "
                        "static routes come first",
                        f"remove it, or make it less specific "
                        f"than {bgp.cidr} if it is a backup path",
                    )


def _ecmp(lab: Lab, add) -> None:
    if not lab.transit_gateway.ecmp:
        return
    static = [i for i, s in enumerate(lab.sites) if s.vpn.routing == "static"]
    if static and len(static) == len(lab.sites):
        add(
            "tgw-ecmp-static",
            "warning",
            "transit_gateway.ecmp",
            "ECMP is on, but every site is static: ECMP spreads BGP routes only, each static "
            "VPN uses one tunnel",
            "use BGP (vpn.routing: bgp) where you need both tunnels",
        )
    elif static:
        for i in static:
            add(
                "tgw-ecmp-static",
                "info",
                f"sites[{i}].vpn.routing",
                f"site {lab.sites[i].name} is static: ECMP does not spread its traffic over "
                "its two tunnels",
                "use BGP for this site to use both tunnels at once",
            )


def _overlaps(lab: Lab, add) -> None:
    for i, site in enumerate(lab.sites):
        for other in lab.sites[:i]:
            if not site.onprem.vpc_cidr.overlaps(other.onprem.vpc_cidr):
                continue
            if site.vpn.routing == other.vpn.routing == "bgp":
                continue  # one network behind two connections: ECMP or failover by design
            add(
                "tgw-site-overlap",
                "warning",
                f"sites[{i}].onprem.vpc_cidr",
                f"{site.onprem.vpc_cidr} overlaps site {other.name}'s {other.onprem.vpc_cidr}: "
                "the Transit Gateway sends one of them all the traffic",
                "give each site its own range, or advertise the shared one from both over BGP",
            )


def _declared(lab: Lab, add) -> None:
    for i, site in enumerate(lab.sites):
        for feature in declared_features.declared(site):
            if feature.refused:
                add(
                    "tgw-declared",
                    "warning",
                    f"sites[{i}].{feature.key}",
                    f"{feature.what}: synthesis refuses it: {feature.refused}",
                    "remove it to synthesize with the pinned provider, or hand-edit the "
                    "HCL with a newer provider; " + feature.local,
                )
            else:
                add(
                    "tgw-declared",
                    "info",
                    f"sites[{i}].{feature.key}",
                    f"{feature.what} is declared and synthesized, not emulated locally",
                    feature.local,
                )
