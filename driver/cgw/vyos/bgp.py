"""VyOS's BGP (``protocols bgp``) read into the record FRR's files are read into
(driver/cgw/frr/conf.py), each value with its line. VyOS runs FRR itself and
writes ``no bgp ebgp-requires-policy`` and ``no bgp network import-check`` unless
told (vyos-1x ``frr/bgpd.frr.j2``; 1.3: vyatta-cfg-quagga 1.3.6
``templates/protocols/bgp/node.def``), so the record is FRR's without RFC 8212's
policy, and a network is announced whether or not it is routed.

Both syntaxes: VyOS 1.4's ``protocols bgp system-as N`` with ``neighbor A …``, and
1.3's (and EdgeOS's) ``protocols bgp N neighbor A …``. A neighbour's ``remote-as``,
``timers holdtime``/``keepalive`` (the router's ``timers`` under it; FRR's 180/60
left out; both or neither, as VyOS writes them), ``shutdown``, its
``route-map``/``prefix-list``/``filter-list`` import or export (``address-family
ipv4-unicast …`` in 1.2 and later, directly under the neighbour before) as routing
policy; ``network`` (under ``address-family ipv4-unicast`` or, in EdgeOS and VyOS ≤
1.1, directly under the AS) as FRR's ``network``; ``redistribute`` as
redistribution."""

from __future__ import annotations

import ipaddress

from driver.cgw.frr.conf import BgpConfig, Neighbor
from driver.cgw.tree import Node
from driver.cgw.vyos.conf import VyosConf
from driver.cgw.vyos.defaults import BGP_HOLD, EDGEOS, VYOS_14

_POLICY = ("route-map", "prefix-list", "filter-list", "distribute-list")


def bgp_node(conf: VyosConf) -> tuple[Node | None, str | None, Node | None]:
    """The BGP node, its ASN and where the ASN is written."""
    bgp = conf.root.at("protocols", "bgp")
    if bgp is None:
        return None, None, None
    if bgp.at("system-as") is not None:
        return bgp, bgp.value("system-as"), bgp.at("system-as")
    for name, node in bgp.children.items():
        if name.isdecimal() and node.children:  # 1.3: protocols bgp 65000 { … }
            return node, name, node
    return bgp, None, None


def vyos_bgp(conf: VyosConf, source: str) -> BgpConfig | None:
    bgp, asn, asn_node = bgp_node(conf)
    if bgp is None or not bgp.entries("neighbor"):
        return None
    config = BgpConfig(source, "vyos")
    config.import_check = bgp.at("parameters", "network-import-check") is not None
    if asn and asn.isdecimal():
        config.asn, config.asn_line = int(asn), asn_node.line
    router = _timers(bgp.at("timers"), (BGP_HOLD // 3, BGP_HOLD))
    for peer in bgp.entries("neighbor"):
        neighbor = Neighbor(peer.name, peer.line, remote_as=peer.value("remote-as"))
        neighbor.timers = _timers(peer.at("timers"), router)
        family = peer.at("address-family", "ipv4-unicast") or peer
        neighbor.policy_in = any(_imports(family.at(kind)) for kind in _POLICY)
        neighbor.policy_out = any(_exports(family.at(kind)) for kind in _POLICY)
        neighbor.shutdown = peer.at("shutdown") is not None
        neighbor.group = peer.value("peer-group")
        config.neighbors[peer.name] = neighbor
    family = bgp.at("address-family", "ipv4-unicast")
    for node in (family, bgp):
        for network in node.entries("network") if node else []:
            try:
                config.networks.append((ipaddress.IPv4Network(network.name), network.line))
            except ValueError:
                continue
        for kind in node.entries("redistribute") if node else []:
            config.redistributes.append((kind.name, kind.line))
    return config


def _timers(node: Node | None, fallback: tuple[int, int]) -> tuple[int, int]:
    """(keepalive, hold) under ``node``: VyOS writes FRR's ``timers`` only when both
    are set (bgpd.frr.j2), else the fallback's hold."""
    keepalive, hold = (node.value("keepalive"), node.value("holdtime")) if node else (None, None)
    if keepalive and hold and keepalive.isdecimal() and hold.isdecimal():
        return int(keepalive), int(hold)
    return fallback


def _imports(node: Node | None) -> bool:
    return node is not None and any(k in node.children for k in ("import", "in"))


def _exports(node: Node | None) -> bool:
    return node is not None and any(k in node.children for k in ("export", "out"))


def vyatta_syntax(conf: VyosConf) -> list[tuple[Node, str, str]]:
    """What a VyOS 1.2 or later refuses of Vyatta's BGP syntax (which EdgeOS keeps):
    a ``network`` directly under the AS and a neighbour's ``soft-reconfiguration``
    outside ``address-family ipv4-unicast`` (AWS's Vyatta sample writes both). Each
    node, what it is, and the command VyOS takes instead."""
    bgp, asn, _ = bgp_node(conf)
    if bgp is None or conf.platform == EDGEOS:
        return []
    prefix = "set protocols bgp " + ("" if conf.platform == VYOS_14 else f"{asn} ")
    found = [(n, f"network {n.name}", f"{prefix}address-family ipv4-unicast network {n.name}")
             for n in bgp.entries("network")]  # fmt: skip
    for peer in bgp.entries("neighbor"):
        soft = peer.at("soft-reconfiguration")
        if soft is not None:
            found.append((soft, f"neighbor {peer.name} soft-reconfiguration",
                          f"{prefix}neighbor {peer.name} address-family ipv4-unicast "
                          "soft-reconfiguration inbound"))  # fmt: skip
    return found
