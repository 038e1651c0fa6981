"""A customer's strongSwan configuration as the tunnels lint judges: one record per
connection, whether it came from ``ipsec.conf`` (starter) or ``swanctl.conf``."""

from __future__ import annotations

from dataclasses import dataclass

from driver.analysis.strongswan_conf import (
    Conn,
    effective_conns,
    makes_route_based,
    parse_ipsec_conf,
    parse_swanctl,
)


@dataclass
class ConfiguredTunnel:
    name: str
    line: int
    settings: Conn | None  # ipsec.conf conn (None for swanctl)
    right: str | None
    leftid: str | None
    local_ts: str | None
    remote_ts: str | None
    ike: str | None
    esp: str | None
    keys: dict[str, list[int]]  # key -> lines (duplicates)
    dpdaction: str | None
    keyingtries: str | None
    route_based: list[tuple[int, str]]


def from_ipsec_conf(text: str, source: str) -> list[ConfiguredTunnel]:
    sections = parse_ipsec_conf(text, source)
    tunnels = []
    for raw, conn in zip(
        [s for s in sections if s.name not in ("setup", "%default")],
        effective_conns(sections),
        strict=True,
    ):
        if conn.get("auto", "ignore") == "ignore":
            continue
        keys: dict[str, list[int]] = {}
        for setting in raw.settings:
            keys.setdefault(setting.key, []).append(setting.line)
        route = [(s.line, f"{s.key}={s.value}") for s in conn.settings if makes_route_based(s)]
        tunnels.append(
            ConfiguredTunnel(
                conn.name,
                conn.line,
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
            )
        )
    return tunnels


def from_swanctl(text: str, source: str) -> list[ConfiguredTunnel]:
    root = parse_swanctl(text, source)
    connections = root.child("connections")
    tunnels = []
    for conn in connections.children if connections else []:
        children = conn.child("children")
        child = children.children[0] if children and children.children else None
        keys: dict[str, list[int]] = {}
        for setting in conn.settings + (child.settings if child else []):
            keys.setdefault(setting.key, []).append(setting.line)
        route = [
            (s.line, f"{s.key} = {s.value}")
            for s in (child.settings if child else [])
            if makes_route_based(s)
        ]
        local = conn.child("local")
        tunnels.append(
            ConfiguredTunnel(
                conn.name,
                conn.line,
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
            )
        )
    return tunnels
