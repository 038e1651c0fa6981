"""The lab's route tables, installed in the namespaces that play its routers.

The tables are the ones lint's path analysis traces (driver/analysis/
path_analysis.py ``route_tables``: node -> [(prefix, next node, why)]), so a
packet in the data plane goes where lint says it goes:

* ``aws-vpc``, the AWS VPC router, looks a packet up in the route table of the
  subnet it came from (``ip rule iif``): the private subnet's (``aws_host``),
  the firewall subnet's, or, for traffic from the VGW, the gateway route table
  (the ``vgw`` entries that lead back into the VPC);
* ``vgw`` sends into the tunnels only the VPN connection's static routes (the
  ``vgw`` entries that lead to the VPN server); anything else from the VPC is
  unreachable, and from the tunnels only the VPC is reachable;
* ``onprem-vpc`` routes the on-prem private subnet by its table (the seed's
  route of the AWS side to the VPN server's interface).

A destination no table routes is an ``unreachable`` route: the router answers
ICMP "destination unreachable" from its own address (AWS drops silently; the
verdict is the same, and the answer names the hop).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.analysis.path_analysis import Tables
from driver.core.errors import VpnlabError
from driver.lab import topology
from driver.local.dataplane.netns import Namespace

ANY = ipaddress.ip_network("0.0.0.0/0")
# ip rule preferences: before charon's table 220, which routes only its own traffic here.
PREFERENCE = 100


class DataPlaneRoutingError(VpnlabError):
    pass


@dataclass(frozen=True)
class RouterTable:
    """One route table of the lab, where it is installed."""

    node: str  # the path analysis' name for the table
    namespace: str  # the node that routes by it
    interfaces: tuple[str, ...]  # the packets it decides: those that came in here
    number: int  # its Linux routing table


def into_tunnels(tables: Tables) -> list:
    """The prefixes the VGW routes into the tunnels: the VPN connection's routes."""
    return [net for net, nxt, _ in tables.get("vgw", []) if nxt == "vpn_server"]


def install(
    ns: dict[str, Namespace],
    plan: topology.AddressPlan,
    tables: Tables,
    vpc_cidr: ipaddress.IPv4Network,
    tunnel_route: tuple[str, ...] | None,
    tunnel_devices: tuple[str, ...],
) -> None:
    """Every router's tables. ``tunnel_route`` is how the VGW reaches a tunnel:
    None when AWS's endpoints' updown scripts route into their ``tunnel_devices``
    (tunnel interfaces, or userspace ESP's TUN devices) while their tunnel is up;
    ``via <uplink> dev wan`` with kernel ESP and no interfaces, where the IPsec
    policy then takes the packet."""
    tunnel_routes = [
        (net, nxt, why) for net, nxt, why in tables.get("vgw", []) if nxt == "vpn_server"
    ]
    for where, routes in _vpc_tables(ns, tables).items():
        if where.namespace in ns:  # a Transit Gateway site has no VPC router
            _rules(ns[where.namespace], where)
            _fill(ns[where.namespace], where, routes, plan)

    vgw = ns["vgw"]
    from_vpc = RouterTable("into the tunnels", "vgw", ("vpc",), 30)
    _rules(vgw, from_vpc)
    for net, _, _ in tunnel_routes if tunnel_route else ():
        vgw.ip("route", "add", str(net), *tunnel_route, "table", "30")
    _unreachable_rest(vgw, 30, [net for net, _, _ in tunnel_routes] if tunnel_route else [])
    if tunnel_route and tunnel_route[0] == "via":  # kernel ESP: what no policy takes stays
        vgw.exec(
            "iptables", "-A", "FORWARD", "-i", "vpc", "-o", "wan", "-m", "policy",
            "--dir", "out", "--pol", "none", "-j", "DROP",
        )  # fmt: skip
    from_tunnels = RouterTable("from the tunnels", "vgw", ("wan", *tunnel_devices), 31)
    _rules(vgw, from_tunnels)
    vgw.ip(
        "route",
        "add",
        str(vpc_cidr),
        "via",
        topology.VPC_ROUTER_TO_VGW,
        "dev",
        "vpc",
        "onlink",
        "table",
        "31",
    )
    _unreachable_rest(vgw, 31, [vpc_cidr])


def refresh_tables(ns: dict[str, Namespace], plan: topology.AddressPlan, tables: Tables) -> None:
    """The VPC routers' tables again, from ``tables`` (their rules stay)."""
    for where, routes in _vpc_tables(ns, tables).items():
        if where.namespace not in ns:
            continue
        router = ns[where.namespace]
        router.ip("route", "flush", "table", str(where.number))
        _fill(router, where, routes, plan)


def _vpc_tables(ns: dict[str, Namespace], tables: Tables) -> dict[RouterTable, list]:
    """The subnets' route tables and the VGW's gateway route table, in the VPCs' routers."""
    gateway = [(net, nxt, why) for net, nxt, why in tables.get("vgw", []) if nxt != "vpn_server"]
    wanted = {
        RouterTable("aws_host", "aws-vpc", ("priv",), 10): tables.get("aws_host", []),
        RouterTable("gateway", "aws-vpc", ("vgw",), 12): gateway,
        RouterTable("onprem_host", "onprem-vpc", ("priv",), 20): tables.get("onprem_host", []),
    }
    if "firewall" in tables and "firewall" in ns:
        wanted[RouterTable("firewall", "aws-vpc", ("fw",), 11)] = tables["firewall"]
    return wanted


def _fill(router: Namespace, where: RouterTable, routes: list, plan: topology.AddressPlan):
    next_hops = {
        "vgw": ("via", plan.vgw_vpc_ip, "dev", "vgw", "onlink"),
        "firewall": ("via", plan.firewall_ip, "dev", "fw"),
        "vpn_server": ("via", plan.server_ip, "dev", "pub"),
    }
    for net, nxt, _why in routes:
        if nxt == "deliver":
            router.ip("route", "add", "throw", str(net), "table", str(where.number))
        elif nxt in next_hops:
            router.ip("route", "add", str(net), *next_hops[nxt], "table", str(where.number))
        else:
            raise DataPlaneRoutingError(
                f"{where.node}'s route table sends {net} to {nxt}, which the local data "
                "plane does not have (it has the VGW, the firewall and the VPN server)"
            )
    _unreachable_rest(router, where.number, [net for net, _, _ in routes])


def _rules(router: Namespace, table: RouterTable) -> None:
    for interface in table.interfaces:
        router.ip(
            "rule",
            "add",
            "pref",
            str(PREFERENCE + table.number),
            "iif",
            interface,
            "lookup",
            str(table.number),
        )


def _unreachable_rest(router: Namespace, number: int, routed: list) -> None:
    """What the table does not route ends here, answered 'destination unreachable'."""
    if ANY not in routed:
        router.ip("route", "add", "unreachable", "default", "table", str(number))
