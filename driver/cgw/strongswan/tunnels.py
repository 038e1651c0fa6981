"""A customer's strongSwan configuration as the tunnels lint judges: one record per
connection strongSwan would load and start, whether it came from ``ipsec.conf``
(starter) or ``swanctl.conf`` (driver/cgw/strongswan/files.py reads both)."""

from __future__ import annotations

from driver.cgw.record import ConfiguredTunnel, key_lines, origins
from driver.cgw.strongswan.files import CustomerConfig
from driver.cgw.strongswan.ipsec_conf import makes_route_based


def tunnels_of(config: CustomerConfig, refused: dict[str, str]) -> list[ConfiguredTunnel]:
    """The connections strongSwan loads (``refused`` left out) and brings up."""
    found = from_swanctl(config) if config.style == "swanctl" else from_ipsec_conf(config)
    return [t for t in found if t.name not in refused]


def from_ipsec_conf(config: CustomerConfig) -> list[ConfiguredTunnel]:
    raw_sections = {s.name: s for s in config.sections}
    out = []
    for conn in config.conns:
        if conn.get("auto", "ignore") == "ignore":
            continue
        keys = key_lines(raw_sections[conn.name].settings)
        route = [(s.where, f"{s.key}={s.value}") for s in conn.settings if makes_route_based(s)]
        out.append(
            ConfiguredTunnel(
                conn.name,
                conn.line,
                conn.source,
                conn,
                conn.get("right"),
                conn.get("leftid"),
                conn.get("leftsubnet"),
                conn.get("rightsubnet"),
                conn.get("ike"),
                conn.get("esp"),
                keys,
                conn.get("dpdaction", "none"),
                conn.get("keyingtries", "3"),
                route,
                start_action={"route": "trap"}.get(conn.get("auto"), conn.get("auto", "add")),
                left=conn.get("left"),
                version=STARTER_VERSIONS.get(conn.get("keyexchange", "ike"), "0"),
                aggressive=conn.get("aggressive", "no") == "yes",
                policies=conn.get("installpolicy", "yes") != "no",
                updown=conn.get("leftupdown"),
                origins=origins({f: conn.setting(k) for f, k in STARTER_KEYS.items()}),
            )
        )
    return out


def from_swanctl(config: CustomerConfig) -> list[ConfiguredTunnel]:
    connections = config.swanctl.child("connections") if config.swanctl else None
    out = []
    for conn in connections.children if connections else []:
        children = conn.child("children")
        child = children.children[0] if children and children.children else None
        own = conn.settings + (child.settings if child else [])
        # conf.d files may override on purpose: only the conn's own file's count
        keys = key_lines([s for s in own if s.source == conn.source])
        route = [
            (s.where, f"{s.key} = {s.value}")
            for s in conn.settings + (child.settings if child else [])
            if makes_route_based(s)
        ]
        local = conn.child("local")
        out.append(
            ConfiguredTunnel(
                conn.name,
                conn.line,
                conn.source,
                None,
                conn.get("remote_addrs"),
                local.get("id") if local else None,
                child.get("local_ts") if child else None,
                child.get("remote_ts") if child else None,
                conn.get("proposals", "default"),
                child.get("esp_proposals", "default") if child else None,
                keys,
                child.get("dpd_action", "clear") if child else None,
                conn.get("keyingtries", "1"),
                route,
                len(children.children) if children else 0,
                _start_action(child.get("start_action", "none") if child else "none"),
                conn.get("local_addrs"),
                version=conn.get("version", "0"),
                aggressive=_yes(conn.get("aggressive", "no")),
                policies=_yes(child.get("policies", "yes")) if child else True,
                updown=child.get("updown") if child else None,
                origins=origins(
                    {
                        "local_ts": child.setting("local_ts") if child else None,
                        "remote_ts": child.setting("remote_ts") if child else None,
                        "leftid": local.setting("id") if local else None,
                        "left": conn.setting("local_addrs"),
                        "ike": conn.setting("proposals"),
                        "esp": child.setting("esp_proposals") if child else None,
                        "version": conn.setting("version"),
                        "aggressive": conn.setting("aggressive"),
                        "policies": child.setting("policies") if child else None,
                        "updown": child.setting("updown") if child else None,
                        "start_action": child.setting("start_action") if child else None,
                    }
                ),
            )
        )
    return out


def _yes(value: str) -> bool:
    """A swanctl boolean as libstrongswan's settings parser reads it."""
    return value.strip().lower() in ("yes", "true", "enabled", "1")


def _start_action(value: str) -> str:
    """vici's aliases (parse_action): route is trap, restart is start."""
    value = value.lower()
    return {"route": "trap", "restart": "start"}.get(value, value)


# ConfiguredTunnel field -> the ipsec.conf key it is read from
STARTER_KEYS = {
    "local_ts": "leftsubnet",
    "remote_ts": "rightsubnet",
    "leftid": "leftid",
    "left": "left",
    "ike": "ike",
    "esp": "esp",
    "version": "keyexchange",
    "aggressive": "aggressive",
    "policies": "installpolicy",
    "updown": "leftupdown",
    "start_action": "auto",
}
STARTER_VERSIONS = {"ikev1": "1", "ikev2": "2"}  # keyexchange=ike: either, initiates IKEv2
