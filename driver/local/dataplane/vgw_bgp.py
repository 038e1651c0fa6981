"""The emulated VGW's BGP: FRR in the VGW's namespace, one session per tunnel.

AWS's side as its user guide documents it (ASN, timers, the prefixes it
announces and accepts: driver/lab/aws_rules.py); FRR is the BGP speaker, so
what a session does with the customer's (a NOTIFICATION, a hold timer running
out, the 101st prefix) is a real BGP implementation's answer. zebra installs
the chosen path of each learned prefix into the VGW's main table, and traffic
from the VPC looks there first (``route_from_vpc_by_bgp``). Path choice between
the tunnels is BGP's (longest prefix, then AS_PATH length, then MED), as AWS's
documented order; with all equal FRR's own tie-break picks (the lower neighbour
address, as measured): what AWS does there is not documented and not emulated.
"""

from __future__ import annotations

from dataclasses import dataclass

from driver.lab import aws_rules, topology
from driver.lab.model import Lab
from driver.local.dataplane.frr import Frr
from driver.local.dataplane.netns import Namespace
from driver.local.dataplane.routing import PREFERENCE
from driver.local.dataplane.vgw import INTO_TUNNELS_TABLE, templates
from driver.local.shared import node_access

FRR_CONF = "/etc/frr/frr.conf"


@dataclass(frozen=True)
class AwsSide:
    """What AWS's BGP speaker announces, accepts and balances: a VGW's (the VPC, 100
    prefixes, one path) or a Transit Gateway connection's (its associated route
    table's routes, 1,000 prefixes, both tunnels with ECMP)."""

    announced: tuple
    max_prefixes: int
    max_paths: int

    @classmethod
    def of_vgw(cls, lab: Lab) -> AwsSide:
        return cls((lab.aws.vpc_cidr,), aws_rules.MAX_ADVERTISED_PREFIXES, 1)


def frr_conf(lab: Lab, side: AwsSide | None = None) -> str:
    side = side or AwsSide.of_vgw(lab)
    tunnels = [
        {"name": f"Tunnel{n}", "customer_inside": str(address)}
        for n, address in enumerate(topology.customer_inside_addresses(lab), start=1)
    ]
    return templates.get_template("vgw-frr.conf.j2").render(
        lab=lab,
        tunnels=tunnels,
        router_id=str(topology.aws_inside_addresses(lab)[0]),
        keepalive=aws_rules.BGP_KEEPALIVE,
        hold=aws_rules.BGP_HOLD_TIME,
        max_prefixes=side.max_prefixes,
        announced=[str(n) for n in side.announced],
        max_paths=side.max_paths,
    )


OUTSIDE_TABLE = 32  # the endpoints' own traffic (IKE, ESP) to the internet


def route_from_vpc_by_bgp(ns: Namespace, plan: topology.AddressPlan) -> None:
    """Traffic from the VPC takes the routes BGP learned (main table, where zebra puts
    them) before the tunnels' table, whose default is unreachable, a default route
    included: AWS's own samples have the customer gateway announce 0.0.0.0/0, and AWS
    routes the VPC's traffic by it. So the endpoints' route to the internet (their IKE
    and ESP) leaves the main table for one of their own, looked up by their addresses,
    as AWS keeps its endpoints' underlay apart from what its gateway carries."""
    uplink = plan.vgw_uplinks[0]
    ns.ip("route", "add", "default", "via", uplink, "dev", "wan", "onlink",
          "table", str(OUTSIDE_TABLE))  # fmt: skip
    for address in plan.tunnel_addresses:
        ns.ip("rule", "add", "pref", str(PREFERENCE - 1), "from", address,
              "lookup", str(OUTSIDE_TABLE))  # fmt: skip
    ns.ip("route", "del", "default", "via", uplink)
    ns.ip(
        "rule", "add", "pref", str(PREFERENCE + INTO_TUNNELS_TABLE - 1),
        "iif", "vpc", "lookup", "main",
    )  # fmt: skip


def session_state(neighbor: dict) -> str:
    """``Established``, or the state and why the last session ended."""
    state = neighbor.get("bgpState", "Idle")
    if state == "Established":
        return state
    reason = neighbor.get("lastNotificationReason") or neighbor.get("lastResetDueTo")
    return f"{state} ({reason})" if reason else state


accepted = node_access.bgp_accepted  # AcceptedRouteCount, as the emulator reads it


def recheck_prefix_limit(frr: Frr, lab: Lab, peer: str, limit: int) -> None:
    """Have bgpd count a settled session's prefixes against the limit again.

    FRR 8.4 checks the limit before it counts a path whose next hop zebra has not
    confirmed yet (bgp_route.c, bgp_update), so a table that arrives in one burst
    at session start goes uncounted; setting the limit again on an established
    peer makes bgpd check the full count (bgpd.c, peer_maximum_prefix_set) and
    end the session as AWS does. The decision stays bgpd's."""
    frr.vtysh(*node_access.prefix_limit_recheck(lab.vpn.amazon_side_asn, peer, limit))
