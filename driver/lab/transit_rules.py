"""A Transit Gateway lab's cross-field rules: each site's as a VGW lab's (its
network, its VPN connection's options, routing and addresses), then the
Transit Gateway's own, with AWS's sources:

* Amazon VPC Transit Gateways guide, "Transit gateway quotas": 20 route tables per
  Transit Gateway, 10,000 routes in all, one static route per prefix and attachment;
* "Transit gateway route table associations": an attachment is associated with
  one route table;
* Site-to-Site VPN user guide, "Site-to-Site VPN quotas": a customer gateway may
  advertise 1,000 BGP routes to a VPN connection on a Transit Gateway (100 on a VGW);
* CreateTransitGateway, AmazonSideAsn: a private ASN, as a VGW's.

IPv4 inside CIDRs need not be unique across a Transit Gateway's connections (only
within one connection), so two sites may both use 169.254.10.0/30.
"""

from __future__ import annotations

from driver.lab.model import AwsSide, Lab
from driver.lab.semantics import Problems, check_semantics
from driver.lab.transit_routes import site_view

MAX_ROUTE_TABLES = 20  # the default one included
MAX_ROUTES = 10_000
MAX_TGW_ADVERTISED_PREFIXES = 1000


class _AtSite:
    """Problems of one site's view, at the keys the lab wrote (``sites[i]``)."""

    def __init__(self, b: Problems, index: int):
        self.b, self.index = b, index

    def problem(self, path: str, message: str, hint: str) -> None:
        if path.startswith("aws.") or path == "aws":
            return  # the VPCs' own rules run once, below
        if path == "vpn.amazon_side_asn":
            path = "transit_gateway.amazon_side_asn"
            message = message.replace("virtual private gateway", "Transit Gateway")
        elif path.startswith(("onprem", "vpn")):
            path = f"sites[{self.index}].{path}"
        message = message.replace("the AWS VPC", "the AWS VPC vpcs[0]").replace(
            "virtual private gateway", "Transit Gateway"
        )
        self.b.problem(path, message, hint)


def check(lab: Lab, b: Problems) -> None:
    for i in range(len(lab.sites)):
        check_semantics(site_view(lab, i), _AtSite(b, i))
    _names(lab, b)
    _vpcs(lab, b)
    _site_networks(lab, b)
    _route_tables(lab, b)
    for i, site in enumerate(lab.sites):
        if len(site.vpn.advertised_prefixes) > MAX_TGW_ADVERTISED_PREFIXES:
            b.problem(
                f"sites[{i}].vpn.advertised_prefixes",
                f"{len(site.vpn.advertised_prefixes)} prefixes: AWS accepts at most "
                f"{MAX_TGW_ADVERTISED_PREFIXES} from a customer gateway on a Transit Gateway",
                "summarise them into fewer prefixes",
            )


def _names(lab: Lab, b: Problems) -> None:
    for key, entries in (("sites", lab.sites), ("vpcs", lab.vpcs)):
        seen = set()
        for i, entry in enumerate(entries):
            if entry.name in seen:
                b.problem(f"{key}[{i}].name", f"'{entry.name}' is named twice", "give each its own")
            seen.add(entry.name)
    tables = lab.transit_gateway.route_tables
    seen = set()
    for i, table in enumerate(tables):
        if table.name in seen or table.name == "default":
            what = "the default route table's" if table.name == "default" else "named twice"
            b.problem(
                f"transit_gateway.route_tables[{i}].name",
                f"'{table.name}' is {what}",
                "give each route table its own name (the default one's routes are "
                "transit_gateway.routes)",
            )
        seen.add(table.name)
    if len(tables) + 1 > MAX_ROUTE_TABLES:
        b.problem(
            "transit_gateway.route_tables",
            f"{len(tables)} route tables and the default one: AWS allows {MAX_ROUTE_TABLES}",
            "merge route tables (a quota AWS raises on request, not this lab)",
        )


def _vpcs(lab: Lab, b: Problems) -> None:
    for i, vpc in enumerate(lab.vpcs):
        side = AwsSide(vpc_cidr=vpc.vpc_cidr, private_subnet_cidr=vpc.private_subnet_cidr)
        where = f"vpcs[{i}]"
        if side.vpc_cidr is not None and not 16 <= side.vpc_cidr.prefixlen <= 28:
            b.problem(
                f"{where}.vpc_cidr",
                f"{side.vpc_cidr} is not /16 to /28",
                "AWS VPCs are between /16 and /28",
            )
        subnet = side.private_subnet_cidr
        if subnet is not None and side.vpc_cidr is not None and not subnet.subnet_of(side.vpc_cidr):
            b.problem(
                f"{where}.private_subnet_cidr",
                f"{subnet} is outside the VPC {side.vpc_cidr}",
                f"choose a subnet inside {side.vpc_cidr}",
            )
        for j, other in enumerate(lab.vpcs[:i]):
            if vpc.vpc_cidr and other.vpc_cidr and vpc.vpc_cidr.overlaps(other.vpc_cidr):
                b.problem(
                    f"{where}.vpc_cidr",
                    f"{vpc.vpc_cidr} overlaps vpcs[{j}] ({other.vpc_cidr})",
                    "VPCs on one Transit Gateway need disjoint "
                    "ranges, or its route tables cannot tell them apart",
                )


def _site_networks(lab: Lab, b: Problems) -> None:
    """A site's network against every VPC (its first is checked with the site's rules).
    Two sites may overlap: the same prefix from two sites is how ECMP and failover
    across connections are built (lint says when it is a mistake)."""
    for i, site in enumerate(lab.sites):
        for j, vpc in enumerate(lab.vpcs[1:], start=1):
            net = site.onprem.vpc_cidr
            if net and vpc.vpc_cidr and net.overlaps(vpc.vpc_cidr):
                b.problem(
                    f"sites[{i}].onprem.vpc_cidr",
                    f"{net} overlaps the AWS VPC vpcs[{j}] ({vpc.vpc_cidr})",
                    "the sites and the VPCs must use disjoint address ranges",
                )


def _route_tables(lab: Lab, b: Problems) -> None:
    known = {f"site:{s.name}" for s in lab.sites} | {f"vpc:{v.name}" for v in lab.vpcs}
    gateway = lab.transit_gateway
    tables = [("transit_gateway", None, gateway.routes)] + [
        (f"transit_gateway.route_tables[{i}]", t, t.routes)
        for i, t in enumerate(gateway.route_tables)
    ]
    associated: dict[str, str] = {}
    total = 0
    for where, table, routes in tables:
        for key in ("associations", "propagations") if table else ():
            for k, name in enumerate(getattr(table, key)):
                if name not in known:
                    b.problem(
                        f"{where}.{key}[{k}]", f"no attachment {name} in this lab", _known(known)
                    )
                elif key == "associations" and name in associated:
                    b.problem(
                        f"{where}.{key}[{k}]",
                        f"{name} is already associated with {associated[name]}",
                        "an attachment is associated with one "
                        "route table: name it in one table's associations",
                    )
                elif key == "associations":
                    associated[name] = where
        seen = set()
        for k, route in enumerate(routes):
            at = f"{where}.routes[{k}]"
            total += 1
            if route.cidr in seen:
                b.problem(
                    f"{at}.cidr",
                    f"{route.cidr} is routed twice in this table",
                    "AWS keeps one static route per prefix and table",
                )
            seen.add(route.cidr)
            if route.blackhole == (route.attachment is not None):
                b.problem(
                    at,
                    "a route needs an attachment or blackhole: true, not both",
                    "write attachment: site:<name> or vpc:<name>, or blackhole: true",
                )
            elif route.attachment is not None and route.attachment not in known:
                b.problem(
                    f"{at}.attachment",
                    f"no attachment {route.attachment} in this lab",
                    _known(known),
                )
    total += sum(len(s.vpn.static_routes) for s in lab.sites)
    if total > MAX_ROUTES:
        b.problem(
            "transit_gateway",
            f"{total} static routes: AWS allows {MAX_ROUTES} per Transit Gateway",
            "summarise routes",
        )


def _known(known: set[str]) -> str:
    return "this lab's attachments: " + ", ".join(sorted(known))
