"""The static routes a Juniper SRX sends into an st0 unit: ``routing-options static
route P`` with a ``next-hop`` that is the unit (or an address in its subnet), or a
``qualified-next-hop`` with its own ``preference``. Junos prefers the lower
preference (a static route's is 5 unless set: Juniper, "Route Preferences
Overview"); next hops of one preference are equal, and which Junos uses for a flow
is its own choice (the twin refuses that rather than guess)."""

from __future__ import annotations

from dataclasses import dataclass

from driver.cgw.junos.conf import JunosConf
from driver.cgw.junos.tunnels import inside_cidr
from driver.core.addresses import in_network

STATIC_PREFERENCE = 5


@dataclass(frozen=True)
class Route:
    destination: str
    metric: int  # its preference: the lower is used
    where: str


def static_routes(conf: JunosConf, name: str | None) -> list[Route]:
    """Each static route whose next hop is the st0 unit, or an address in its subnet."""
    subnet = inside_cidr(conf, name)
    out = []
    for route in conf.root.entries("routing-options", "static", "route"):
        own = _number(route.value("preference"), STATIC_PREFERENCE)
        hops = [(hop, own) for hop in route.values("next-hop")]
        hops += [
            (q.name, _number(q.value("preference"), own))
            for q in route.entries("qualified-next-hop")
        ]
        for hop, preference in hops:
            if hop == name or in_network(hop, subnet):
                out.append(Route(route.name, preference, route.where))
    return out


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdecimal() else default
