"""A RouterOS router's BGP read into the record FRR's files are read into
(driver/cgw/frr/conf.py), each value with its line: RouterOS 6's ``/routing bgp
instance`` (``as``, ``redistribute-*``), ``/routing bgp peer`` (``remote-address``,
``remote-as``, ``hold-time``, ``keepalive-time``, ``in-filter``/``out-filter``) and
``/routing bgp network``; RouterOS 7's ``/routing bgp connection`` (``as``,
``remote.address``, ``remote.as``, ``hold-time``, ``keepalive-time``,
``output.network`` naming an address list, ``output.redistribute``,
``output.default-originate``, ``input.filter``/``output.filter-chain``) with its
``/routing bgp template`` (MikroTik's manual: "BGP", RouterOS 6 and 7)."""

from __future__ import annotations

import ipaddress

from driver.cgw.frr.conf import BgpConfig, Neighbor
from driver.cgw.mikrotik.conf import Item, RosConf
from driver.cgw.mikrotik.tunnels import duration


def mt_bgp(conf: RosConf) -> BgpConfig | None:
    v6 = [p for p in conf.menu("/routing bgp peer") if not p.disabled]
    v7 = [c for c in conf.menu("/routing bgp connection") if not c.disabled]
    if not v6 and not v7:
        return None
    config = BgpConfig(conf.source, "mikrotik")
    if v6:
        instance = next((i for i in conf.menu("/routing bgp instance") if i.which == "default"),
                        None)  # fmt: skip
        _asn(config, instance)
        for key in ("connected", "static", "ospf", "rip", "other-bgp"):
            if instance is not None and instance.get(f"redistribute-{key}") == "yes":
                config.redistributes.append((key, instance.line))
        for peer in v6:
            _neighbor(config, peer, peer.get("remote-address"), peer.get("remote-as"))
            if peer.get("in-filter") or peer.get("out-filter"):
                config.neighbors[peer.get("remote-address") or ""].policy_in = True
        for network in conf.menu("/routing bgp network"):
            _network(config, network.get("network"), network.line)
        return config
    template = next((t for t in conf.menu("/routing bgp template") if t.name == "default"), None)
    _asn(config, template)
    for connection in v7:
        _asn(config, connection)
        address = (connection.get("remote.address") or "").split("/")[0]
        neighbor = _neighbor(config, connection, address, connection.get("remote.as"))
        neighbor.default_originate = connection.get("output.default-originate") in (
            "always", "if-installed")  # fmt: skip
        neighbor.policy_in = bool(connection.get("input.filter"))
        neighbor.policy_out = bool(connection.get("output.filter-chain"))
        said = connection.get("output.redistribute")
        if said:
            config.redistributes += [(what, connection.line) for what in said.split(",")]
        listed = connection.get("output.network")
        for entry in conf.menu("/ip firewall address-list"):
            if listed and entry.get("list") == listed:
                _network(config, entry.get("address"), entry.line)
    return config


def _asn(config: BgpConfig, item: Item | None) -> None:
    said = item.get("as") if item else None
    if said and said.isdecimal():
        config.asn, config.asn_line = int(said), item.line


def _neighbor(config: BgpConfig, item: Item, address: str | None, asn: str | None) -> Neighbor:
    neighbor = Neighbor(address or "?", item.line, remote_as=asn)
    hold = duration(item.get("hold-time") or "")
    keepalive = duration(item.get("keepalive-time") or "")
    if hold:
        neighbor.timers = (keepalive or hold // 3, hold)
    config.neighbors[address or "?"] = neighbor
    return neighbor


def _network(config: BgpConfig, value: str | None, line: int) -> None:
    try:
        config.networks.append((ipaddress.IPv4Network(value or "", strict=False), line))
    except ValueError:
        return
