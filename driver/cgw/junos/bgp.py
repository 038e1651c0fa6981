"""A Juniper SRX's BGP (``protocols bgp group G``: ``type external``, ``peer-as``,
``local-as``, ``hold-time``, ``export``/``import`` policies, at the group or under
``neighbor A``; ``routing-options autonomous-system``) read into the record FRR's
files are read into (driver/cgw/frr/conf.py), each value with its line.

The AS Junos presents is the ``local-as`` every neighbour names (AWS's sample writes
it so), else ``routing-options autonomous-system``. Hold time left out is Junos's 90 s, and
the keepalive a third of the hold time (Juniper, hold-time (Protocols BGP)). An
``export`` or ``import`` policy is routing policy (the twin refuses it); without an
export policy Junos announces only what it learned over BGP, so the twin announces
nothing of its own.
"""

from __future__ import annotations

from driver.cgw.frr.conf import BgpConfig, Neighbor
from driver.cgw.junos.conf import JunosConf
from driver.cgw.junos.defaults import BGP_HOLD


def junos_bgp(conf: JunosConf, source: str) -> BgpConfig | None:
    groups = conf.root.entries("protocols", "bgp", "group")
    if not groups:
        return None
    config = BgpConfig(source, "junos")
    local_ases = set()
    for group in groups:
        for peer in group.entries("neighbor"):

            def value(key: str, peer=peer, group=group) -> str | None:
                return peer.value(key) or group.value(key)

            neighbor = Neighbor(peer.name, peer.line, remote_as=value("peer-as"))
            hold = value("hold-time") or str(BGP_HOLD)
            if hold.isdecimal():
                neighbor.timers = (int(hold) // 3, int(hold))
            neighbor.policy_out = bool(peer.values("export") or group.values("export"))
            neighbor.policy_in = bool(peer.values("import") or group.values("import"))
            local_ases.add(value("local-as"))
            config.neighbors[peer.name] = neighbor
    asn = conf.root.value("routing-options", "autonomous-system")
    line = conf.root.at("routing-options", "autonomous-system")
    line = line.line if line is not None else 0
    if len(local_ases) == 1 and None not in local_ases and config.neighbors:
        asn = local_ases.pop()  # every neighbour presents this AS, whatever the router's
        line = next(iter(config.neighbors.values())).line
    if asn and asn.isdecimal():
        config.asn, config.asn_line = int(asn), line
    return config
