"""A Transit Gateway lab's route tables as AWS would hold them, from the lab file:
which table each attachment is associated with, which tables it propagates to, and
the routes each table ends up with; and a lookup that follows AWS's route
evaluation order (Amazon VPC Transit Gateways guide, "How transit gateways work",
"Route evaluation order"):

1. the most specific route;
2. for one destination: static routes (blackholes included) over VPC-propagated
   routes over Site-to-Site VPN-propagated ones;
3. VPN-propagated routes with an equal AS path: with VpnEcmpSupport every
   connection that advertises the prefix (ECMP), without it one.

The lab's convention for a static site (AWS asks for the routes of a static VPN on a
Transit Gateway to be written in its route tables): its ``vpn.static_routes`` are
static routes to it in every table it propagates to.

Used by lint; the emulator keeps its own state from the API calls it answers.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator

from driver.core.errors import VpnlabError
from driver.lab import topology
from driver.lab.model import Lab

DEFAULT = "default"
# Lower wins, after the longest prefix (the guide's order).
PRIORITY = {"static": 0, "vpc": 1, "vpn": 2}


@dataclasses.dataclass(frozen=True)
class Route:
    cidr: ipaddress.IPv4Network
    kind: str  # static, vpc (VPC-propagated) or vpn (VPN-propagated: BGP)
    attachment: str | None  # None: a blackhole
    where: str  # the lab key it comes from


@dataclasses.dataclass(frozen=True)
class Decision:
    """Where a table sends an address: the routes chosen (several: ECMP), or none."""

    routes: tuple[Route, ...]

    @property
    def blackhole(self) -> bool:
        return bool(self.routes) and self.routes[0].attachment is None

    @property
    def attachments(self) -> tuple[str, ...]:
        return tuple(r.attachment for r in self.routes if r.attachment)


def attachments(lab: Lab) -> list[str]:
    return [f"vpc:{v.name}" for v in lab.vpcs] + [f"site:{s.name}" for s in lab.sites]


def association(lab: Lab, attachment: str) -> str | None:
    """The route table an attachment's traffic is routed by (None: no table)."""
    for table in lab.transit_gateway.route_tables:
        if attachment in table.associations:
            return table.name
    return DEFAULT if lab.transit_gateway.default_route_table_association else None


def propagations(lab: Lab, attachment: str) -> list[str]:
    gateway = lab.transit_gateway
    named = [t.name for t in gateway.route_tables if attachment in t.propagations]
    return ([DEFAULT] if gateway.default_route_table_propagation else []) + named


def routes(lab: Lab, table: str) -> list[Route]:
    """Every route the table holds: its own, the static sites', the propagated ones."""
    gateway = lab.transit_gateway
    if table == DEFAULT:
        own, where = gateway.routes, "transit_gateway.routes"
    else:
        index = next(i for i, t in enumerate(gateway.route_tables) if t.name == table)
        own = gateway.route_tables[index].routes
        where = f"transit_gateway.route_tables[{index}].routes"
    out = [
        Route(r.cidr, "static", None if r.blackhole else r.attachment, f"{where}[{k}]")
        for k, r in enumerate(own)
    ]
    for i, vpc in enumerate(lab.vpcs):
        if table in propagations(lab, f"vpc:{vpc.name}"):
            out.append(Route(vpc.vpc_cidr, "vpc", f"vpc:{vpc.name}", f"vpcs[{i}].vpc_cidr"))
    for i, site in enumerate(lab.sites):
        name = f"site:{site.name}"
        if table not in propagations(lab, name):
            continue
        if site.vpn.routing == "static":
            out += [
                Route(cidr, "static", name, f"sites[{i}].vpn.static_routes[{k}]")
                for k, cidr in enumerate(site.vpn.static_routes)
            ]
        else:
            view = site_view(lab, i)
            out += [
                Route(cidr, "vpn", name, f"sites[{i}].vpn.advertised_prefixes")
                for cidr in topology.advertised_prefixes(view)
            ]
    return out


def lookup(lab: Lab, table: str, address: ipaddress.IPv4Address) -> Decision:
    matching = [r for r in routes(lab, table) if address in r.cidr]
    if not matching:
        return Decision(())
    longest = max(r.cidr.prefixlen for r in matching)
    return _chosen(lab, [r for r in matching if r.cidr.prefixlen == longest])


def routed_to(lab: Lab, attachment: str) -> tuple[ipaddress.IPv4Network, ...]:
    """What the route table associated with ``attachment`` sends elsewhere (not back
    to it, not into a blackhole): what the gateway advertises to a BGP site, and the
    networks a site's VPN server routes into its tunnels."""
    table = association(lab, attachment)
    # The routes AWS uses: a prefix also routed to ``attachment`` itself (two BGP sites
    # advertising it, for ECMP) is not sent back to it, as the handoff reads EC2's.
    chosen = winners(lab, table) if table else {}
    return tuple(
        cidr
        for cidr, decision in chosen.items()
        if decision.attachments and attachment not in decision.attachments
    )


def networks_beyond(lab: Lab, attachment: str) -> tuple[ipaddress.IPv4Network, ...]:
    """The networks across the gateway from ``attachment``: every VPC's CIDR, every
    site's network and its routes (a BGP site's advertised prefixes, a static site's
    static routes), but the attachment's own (what a VPC's route table sends to the
    gateway, and a site's VGW node too). A default route a site advertises is left out:
    a VPC's table is not given one."""
    nets: list[tuple[str, ipaddress.IPv4Network]] = [
        (f"vpc:{v.name}", v.vpc_cidr) for v in lab.vpcs
    ]
    for i, site in enumerate(lab.sites):
        name = f"site:{site.name}"
        nets.append((name, site.onprem.vpc_cidr))
        if site.vpn.routing == "bgp":
            nets += [(name, cidr) for cidr in topology.advertised_prefixes(site_view(lab, i))]
        else:
            nets += [(name, cidr) for cidr in site.vpn.static_routes]
    own = {cidr for name, cidr in nets if name == attachment}
    return tuple(dict.fromkeys(cidr for _, cidr in nets if cidr not in own and cidr.prefixlen > 0))


def winners(lab: Lab, table: str) -> dict[ipaddress.IPv4Network, Decision]:
    """For each destination the table holds, the routes AWS uses (``lookup``'s choice
    among routes to that very prefix): what a router installs."""
    held = routes(lab, table)
    out = {}
    for cidr in dict.fromkeys(r.cidr for r in held):
        out[cidr] = _chosen(lab, [r for r in held if r.cidr == cidr])
    return out


def _chosen(lab: Lab, best: list[Route]) -> Decision:
    rank = min(PRIORITY[r.kind] for r in best)
    best = [r for r in best if PRIORITY[r.kind] == rank]
    if rank == PRIORITY["static"] and any(r.attachment is None for r in best):
        best = [r for r in best if r.attachment is None]
    ecmp = rank == PRIORITY["vpn"] and lab.transit_gateway.ecmp
    return Decision(tuple(best) if ecmp else tuple(best[:1]))


def not_carried(lab: Lab, source: str, target: str, subnet) -> str | None:
    """Why the gateway does not carry ``source``'s traffic to ``target``'s subnet."""
    table = association(lab, source)
    if table is None:
        return f"{source} is associated with no route table"
    decision = lookup(lab, table, subnet.network_address)
    if not decision.routes:
        return f"route table {table} has no route to {subnet}"
    if decision.blackhole:
        return f"route table {table} drops {subnet} ({decision.routes[0].where}: blackhole)"
    if target not in decision.attachments:
        return f"route table {table} sends {subnet} to {', '.join(decision.attachments)}"
    return None


def ping_pairs(hosts: list[tuple]) -> Iterator[tuple[tuple, tuple]]:
    """The pairs of test hosts a Transit Gateway lab's pings prove, each host a tuple
    whose first item is its attachment (``vpc:prod``, ``site:tokyo``): a VPC's and a
    site's, two sites'; never two VPCs' (no VPN in between, not the lab's to prove)."""
    for i, first in enumerate(hosts):
        for second in hosts[i + 1 :]:
            if not (first[0].startswith("vpc:") and second[0].startswith("vpc:")):
                yield first, second


def output_key(name: str) -> str:
    """A VPC's or site's name as its outputs of the synthesized stack begin
    (modules/transit_stack.py): ``tokyo_vpn_connection_id``. The name is kept as it is,
    hyphens and all: no name holds an underscore, so ``<name>_<field>`` is one name's
    field (with hyphens made underscores, VPC ``tokyo-onprem``'s test host and site
    ``tokyo``'s were one output: the site's)."""
    return name


# What verify reads of each VPC and site in the applied stack's outputs.
VPC_OUTPUTS = ("test_instance_id", "test_private_ip")
SITE_OUTPUTS = (
    "onprem_test_instance_id", "onprem_test_private_ip", "vpn_server_instance_id",
    "vpn_connection_id",
)  # fmt: skip


def refuse_unless_applied(lab: Lab, outputs: dict, stack: str, again: str) -> None:
    """The lab's file names a VPC or site its applied ``stack`` does not hold (added or
    renamed since the apply): refused, naming them ("VPC dev", "site nagoya"), before
    any wait; ``again``: how to apply it again."""
    wanted = [(f"VPC {v.name}", v.name, VPC_OUTPUTS) for v in lab.vpcs] + [
        (f"site {s.name}", s.name, SITE_OUTPUTS) for s in lab.sites
    ]
    missing = [
        what
        for what, name, keys in wanted
        if any(f"{output_key(name)}_{key}" not in outputs for key in keys)
    ]
    if missing:
        raise VpnlabError(
            f"lab '{lab.name}' names {', '.join(missing)}, which its {stack} does not hold "
            f"(added or renamed since the apply): {again} again, then verify"
        )


def site_view(lab: Lab, index: int) -> Lab:
    """The lab as one site's VPN connection sees it, shaped as a VGW lab (what code for
    one connection reads): the site's network and connection, the first VPC as its AWS
    side, the Transit Gateway's ASN."""
    site = lab.sites[index]
    return dataclasses.replace(
        lab, onprem=site.onprem, vpn=site.vpn, firewall=None, transit_gateway=None,
        sites=(), vpcs=(),
    )  # fmt: skip
