"""VGW route propagation, where moto does not: ``EnableVgwRoutePropagation`` /
``DisableVgwRoutePropagation``, and the propagated routes in
``DescribeRouteTables``: the static routes of the VGW's VPN connections, or with
dynamic routing the prefixes the data plane's VGW learned over BGP."""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.models import route_tables
from moto.ec2.responses import EC2Response

from driver.local.emulator import lab_nodes
from driver.local.emulator.common import lab_tag, outside_addresses


def enable_vgw_route_propagation(self) -> ActionResult:
    table = self.ec2_backend.get_route_table(self._get_param("RouteTableId"))
    gateway = self.ec2_backend.get_vpn_gateway(self._get_param("GatewayId"))
    table.__dict__.setdefault("_propagating", set()).add(gateway.id)
    return ActionResult({})


def disable_vgw_route_propagation(self) -> ActionResult:
    table = self.ec2_backend.get_route_table(self._get_param("RouteTableId"))
    table.__dict__.setdefault("_propagating", set()).discard(self._get_param("GatewayId"))
    return ActionResult({})


def _propagating_vgws(self) -> list[dict]:
    return [{"GatewayId": g} for g in sorted(self.__dict__.get("_propagating", ()))]


class PropagatedRoute:
    """A route the VGW propagates."""

    def __init__(self, cidr: str, gateway_id: str):
        self.destination_cidr_block = cidr
        self.gateway_id = gateway_id
        self.origin = "EnableVgwRoutePropagation"
        self.state = "active"


_original_routes = route_tables.RouteTable.routes


def _routes_with_propagated(self) -> list:
    routes = list(_original_routes.fget(self))
    for gateway in sorted(self.__dict__.get("_propagating", ())):
        for connection in self.ec2_backend.vpn_connections.values():
            if connection.vpn_gateway_id == gateway and connection.state != "deleted":
                routes += [PropagatedRoute(c, gateway) for c in learned_routes(connection)]
    return routes


def learned_routes(connection) -> list[str]:
    """A connection's routes: its static routes, or (BGP) what the VGW learned."""
    if (connection.options or {}).get("StaticRoutesOnly", True):
        return list(connection.static_routes or [])
    lab = lab_tag(connection)
    return lab_nodes.vgw_bgp_learned(lab, outside_addresses(connection)) if lab else []


def install() -> None:
    for handler in (enable_vgw_route_propagation, disable_vgw_route_propagation):
        setattr(EC2Response, handler.__name__, handler)
    route_tables.RouteTable.propagating_vgws = property(_propagating_vgws)
    route_tables.RouteTable.routes = property(_routes_with_propagated)
