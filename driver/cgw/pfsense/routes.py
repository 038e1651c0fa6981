"""The static routes pfSense sends into a VTI: ``<staticroutes><route>`` (not
disabled) whose ``<gateway>`` names a ``<gateways><gateway_item>`` on the VTI's
assigned interface (``<interfaces><optN><if>ipsecN``), or whose gateway address is
the VTI's far end. A gateway item's ``dynamic`` address on a VTI is its far end
(``interface_ipsec_vti_configure`` writes it as the interface's router)."""

from __future__ import annotations

from dataclasses import dataclass

from driver.cgw.pfsense.conf import PfConf
from driver.cgw.pfsense.tunnels import PfTunnel


@dataclass(frozen=True)
class Route:
    destination: str
    where: str


def static_routes(conf: PfConf, t: PfTunnel) -> list[Route]:
    far = t.vti_addresses()
    if far is None:
        return []
    interfaces = conf.root.find("interfaces")
    assigned = interfaces.children if interfaces is not None else []
    friendly = {i.tag for i in assigned if i.value("if") == t.ifname}  # opt1 …
    gateways = {
        g.value("name"): g
        for g in conf.root.all("gateways", "gateway_item")
        if g.value("interface") in friendly or g.value("gateway") == far[1]
    }
    return [
        Route(r.value("network") or "", r.where)
        for r in conf.root.all("staticroutes", "route")
        if not r.has("disabled") and r.value("gateway") in gateways
    ]
