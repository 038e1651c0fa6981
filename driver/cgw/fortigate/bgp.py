"""A FortiGate's BGP (``config router bgp``: ``set as``, ``config neighbor`` entries
with ``set remote-as``, ``keep-alive-timer``/``holdtime-timer``,
``capability-default-originate``, ``shutdown``, route maps and lists; ``config
network`` entries with ``set prefix``; ``config redistribute``) read into the record
FRR's files are read into (driver/cgw/frr/conf.py), each value with its line.
Timers left out are FortiOS's defaults, keepalive 60 s and hold 180 s (FortiOS CLI
Reference, router bgp), which are FRR's too: nothing is written for them."""

from __future__ import annotations

import ipaddress

from driver.cgw.fortigate.conf import FortiConf
from driver.cgw.frr.conf import BgpConfig, Neighbor

TABLE = "router bgp"
POLICY = ("route-map-{}", "prefix-list-{}", "distribute-list-{}", "filter-list-{}")


def forti_bgp(conf: FortiConf, source: str) -> BgpConfig | None:
    table = conf.table(TABLE)
    neighbors = conf.entries(f"{TABLE}/neighbor")
    if table is None and not neighbors:
        return None
    config = BgpConfig(source, "fortigate")
    asn = table.setting("as") if table else None
    if asn is not None and asn.value.isdecimal():
        config.asn, config.asn_line = int(asn.value), asn.line
    for entry in neighbors:
        peer = Neighbor(entry.name.strip('"'), entry.line, remote_as=entry.get("remote-as"))
        keepalive, hold = entry.get("keep-alive-timer"), entry.get("holdtime-timer")
        if keepalive or hold:
            peer.timers = (int(keepalive or 60), int(hold or 180))
        peer.default_originate = entry.get("capability-default-originate") == "enable"
        peer.shutdown = entry.get("shutdown") == "enable"
        peer.policy_in = any(entry.get(p.format("in")) for p in POLICY)
        peer.policy_out = any(entry.get(p.format("out")) for p in POLICY)
        config.neighbors[peer.name] = peer
    for entry in conf.entries(f"{TABLE}/network"):
        prefix = entry.setting("prefix")
        if prefix is not None:
            words = prefix.value.split()
            try:
                network = ipaddress.IPv4Network("/".join(words[:2]), strict=False)
            except ValueError:
                continue
            config.networks.append((network, prefix.line))
    config.redistributes = [
        (entry.name.strip('"'), entry.line)
        for entry in conf.entries(f"{TABLE}/redistribute")
        if entry.get("status") == "enable"
    ]
    return config
