"""The static routes VyOS sends into a vti: VyOS 1.4's ``protocols static route P
interface vtiN`` (or ``next-hop A`` with A in the vti's subnet), 1.3's and
EdgeOS's ``protocols static interface-route P next-hop-interface vtiN`` (or
``route P next-hop A``), each with its ``distance`` (1 left out: VyOS
documentation, "Static"; vyatta-cfg-quagga's node.def)."""

from __future__ import annotations

from dataclasses import dataclass

from driver.cgw.tree import Node
from driver.cgw.vyos.conf import VyosConf
from driver.core.addresses import in_network

DISTANCE = 1


@dataclass(frozen=True)
class Route:
    destination: str
    distance: int  # the lower is used
    where: str


def static_routes(conf: VyosConf, vti: str, subnet: str | None) -> list[Route]:
    """Each static route into ``vti``: by the interface, or by a next hop in ``subnet``."""
    static = conf.root.at("protocols", "static")
    out = []
    for route in static.entries("route") if static else []:
        for hop in route.entries("interface"):
            if hop.name == vti:
                out.append(_route(route, hop))
        for hop in route.entries("next-hop"):
            if subnet and in_network(hop.name, subnet):
                out.append(_route(route, hop))
    for route in static.entries("interface-route") if static else []:
        for hop in route.entries("next-hop-interface"):
            if hop.name == vti:
                out.append(_route(route, hop))
    return out


def _route(route: Node, hop: Node) -> Route:
    distance = hop.value("distance") or route.value("distance")
    return Route(route.name, int(distance) if distance and distance.isdecimal() else DISTANCE,
                 route.where)  # fmt: skip
