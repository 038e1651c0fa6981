"""The static routes pfSense sends into a VTI: ``<staticroutes><route>`` (not
disabled) whose ``<gateway>`` is a gateway on the VTI's assigned, enabled interface
(``<interfaces><optN><if>ipsecN``). Such an interface has a gateway pfSense makes
itself, named after the interface (``<DESCR>_VTIV4``, ``return_gateways_array`` in
gwlb.inc) with the VTI's far end as its address; a ``<gateway_item>`` on it, or whose
address is the far end, is one too, and a disabled one is none (gwlb.inc, RELENG_2_7_2)."""

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
    interfaces = conf.root.find("interfaces")
    if far is None or interfaces is None:
        return []
    assigned = [i for i in interfaces.children if i.value("if") == t.ifname and i.has("enable")]
    friendly = {i.tag for i in assigned}  # opt1 …
    gateways = {f"{(i.value('descr') or i.tag).upper()}_VTIV4" for i in assigned}
    for item in conf.root.all("gateways", "gateway_item"):
        name = item.value("name")
        if item.has("disabled"):
            gateways.discard(name)
        elif item.value("interface") in friendly or item.value("gateway") == far[1]:
            gateways.add(name)
    return [
        Route(r.value("network") or "", r.where)
        for r in conf.root.all("staticroutes", "route")
        if not r.has("disabled") and r.value("gateway") in gateways
    ]
