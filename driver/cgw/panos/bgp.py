"""A Palo Alto firewall's BGP (``network virtual-router VR protocol bgp``: ``enable``,
``local-as``, ``peer-group G peer P`` with ``peer-as``, ``peer-address ip``,
``local-address``, ``connection-options keep-alive-interval``/``hold-time``,
``enable``; ``redist-rules``; ``policy export``/``import``) read into the record
FRR's files are read into (driver/cgw/frr/conf.py), each value with its line.

PAN-OS announces only what a redistribution rule names: a rule named by a prefix
announces it while the firewall routes it (FRR's ``network`` with its import
check), a rule named by a redistribution profile redistributes by the profile's
filters (the twin refuses it: its routing table is not the firewall's). Export and
import rules are routing policy (``policy_out``/``policy_in``). Timers left out
are PAN-OS's defaults, keepalive 30 s and hold 90 s (PaloAltoNetworks/
pan-os-codegen, specs/network/virtual-router.yaml: connection-options).
"""

from __future__ import annotations

import ipaddress

from driver.cgw.frr.conf import BgpConfig, Neighbor
from driver.cgw.panos.conf import PanConf, resolve

KEEPALIVE, HOLD = 30, 90


def pan_bgp(conf: PanConf, source: str) -> BgpConfig | None:
    """The BGP of the virtual router that runs it (``enable yes``: exports carry
    ``enable no`` for every router that does not)."""
    routers = [
        r for r in conf.network.entries("virtual-router")
        if r.value("protocol", "bgp", "enable") == "yes"
    ]  # fmt: skip
    if not routers:
        return None
    bgp = routers[0].at("protocol", "bgp")
    config = BgpConfig(source, "panos")
    asn = bgp.value("local-as")
    if asn and asn.isdecimal():
        config.asn, config.asn_line = int(asn), int(bgp.where_of("local-as").rsplit(":", 1)[1])
    exports = bgp.at("policy", "export") is not None
    imports = bgp.at("policy", "import") is not None
    for group in bgp.entries("peer-group"):
        for peer in group.entries("peer"):
            address = (resolve(conf, peer.value("peer-address", "ip")) or "").split("/")[0]
            if not address:
                continue
            neighbor = Neighbor(address, peer.line, remote_as=peer.value("peer-as"))
            keepalive = peer.value("connection-options", "keep-alive-interval") or ""
            hold = peer.value("connection-options", "hold-time") or ""
            neighbor.timers = (
                int(keepalive) if keepalive.isdecimal() else KEEPALIVE,
                int(hold) if hold.isdecimal() else HOLD,
            )  # a value that is no number (a Panorama variable) is PAN-OS's default
            neighbor.shutdown = "no" in (peer.value("enable"), group.value("enable"))
            neighbor.policy_out, neighbor.policy_in = exports, imports
            config.neighbors[address] = neighbor
    for rule in bgp.entries("redist-rules"):
        if rule.value("enable") == "no":
            continue
        try:
            config.networks.append((ipaddress.IPv4Network(rule.name), rule.line))
        except ValueError:
            config.redistributes.append((f"redist-rules {rule.name}", rule.line))
    return config
