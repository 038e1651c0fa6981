"""A customer's Libreswan configuration as the tunnels lint judges: one record
(driver/cgw/record.py) per conn Libreswan loads and starts or waits with."""

from __future__ import annotations

from driver.cgw.libreswan.files import LibreswanConfig
from driver.cgw.record import ConfiguredTunnel, key_lines, origins
from driver.cgw.settings import Conn

# ikev2= as Libreswan 4.10 reads it (readwriteconf): IKEv2 unless told otherwise;
# 'permit' reads as IKEv1.
VERSIONS = {"no": "1", "never": "1", "permit": "1", "yes": "2", "insist": "2", "propose": "2"}
# auto= -> how it starts; ondemand and route wait for traffic (a trap).
STARTS = {"start": "start", "up": "start", "add": "none", "ondemand": "trap", "route": "trap"}
# Settings that make a conn route-based: a VTI (vti-interface=, mark=) or an XFRM
# interface (ipsec-interface=).
ROUTE_BASED = ("vti-interface", "mark", "mark-in", "mark-out", "ipsec-interface", "leftvti")
# ConfiguredTunnel field -> the key it is read from
KEYS = {
    "local_ts": "leftsubnet",
    "remote_ts": "rightsubnet",
    "leftid": "leftid",
    "left": "left",
    "ike": "ike",
    "version": "ikev2",
    "aggressive": "aggressive",
    "updown": "leftupdown",
    "start_action": "auto",
}


def tunnels_of(config: LibreswanConfig) -> list[ConfiguredTunnel]:
    """The conns Libreswan loads (not ``auto=ignore``, not refused)."""
    written = {s.name: s for s in config.conf.sections}
    return [
        _tunnel(conn, written[conn.name])
        for conn in config.conf.conns
        if conn.get("auto", "ignore") != "ignore"
    ]


def _tunnel(conn: Conn, written: Conn) -> ConfiguredTunnel:
    esp = conn.setting("phase2alg") or conn.setting("esp")
    subnets = conn.get("leftsubnets", "").strip("{} ").split()
    return ConfiguredTunnel(
        conn.name,
        conn.line,
        conn.source,
        conn,
        conn.get("right"),
        conn.get("leftid"),
        conn.get("leftsubnet") or ",".join(subnets) or None,
        conn.get("rightsubnet"),
        conn.get("ike"),
        esp.value if esp else None,
        key_lines(written.settings),
        conn.get("dpdaction", "hold"),
        conn.get("keyingtries", "%forever"),
        [(s.where, f"{s.key}={s.value}") for s in conn.settings if s.key in ROUTE_BASED],
        children=max(len(subnets), 1),
        start_action=STARTS.get(conn.get("auto", "add"), "none"),
        left=conn.get("left"),
        version=VERSIONS.get(conn.get("ikev2", "yes"), "2"),
        aggressive=(conn.get("aggressive") or conn.get("aggrmode") or "no") == "yes",
        updown=conn.get("leftupdown"),
        origins=origins({f: conn.setting(k) for f, k in KEYS.items()} | {"esp": esp}),
    )
