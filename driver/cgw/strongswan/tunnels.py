"""A customer's strongSwan configuration as the tunnels lint judges: one record per
connection strongSwan would load and start, whether it came from ``ipsec.conf``
(starter) or ``swanctl.conf`` (driver/cgw/strongswan/files.py reads both)."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.settings import Conn, Setting
from driver.cgw.strongswan.files import CustomerConfig
from driver.cgw.strongswan.ipsec_conf import makes_route_based


@dataclass
class ConfiguredTunnel:
    name: str
    line: int
    source: str  # the file its section is in
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
    route_based: list[tuple[str, str]]  # (where, setting)
    children: int = 1
    start_action: str = "none"  # none | start | trap (ipsec.conf: auto=add|start|route)
    left: str | None = None  # its own address (left= / local_addrs), if it names one
    version: str = "0"  # IKE version: 1, 2, or 0 (either; initiates IKEv2)
    aggressive: bool = False  # IKEv1 aggressive mode
    policies: bool = True  # installpolicy / policies: charon installs the IPsec policies
    updown: str | None = None  # leftupdown / updown: the script and its arguments
    origins: dict[str, str] = field(default_factory=dict)  # field -> file:line it came from

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def origin(self, name: str) -> str:
        """Where the value of field ``name`` was written (%default, conf.d …), else the conn."""
        return self.origins.get(name, self.where)


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
        keys: dict[str, list[int]] = {}
        for setting in raw_sections[conn.name].settings:
            keys.setdefault(setting.key, []).append(setting.line)
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
                origins=_origins({f: conn.setting(k) for f, k in STARTER_KEYS.items()}),
            )
        )
    return out


def from_swanctl(config: CustomerConfig) -> list[ConfiguredTunnel]:
    connections = config.swanctl.child("connections") if config.swanctl else None
    out = []
    for conn in connections.children if connections else []:
        children = conn.child("children")
        child = children.children[0] if children and children.children else None
        keys: dict[str, list[int]] = {}
        for setting in conn.settings + (child.settings if child else []):
            if setting.source == conn.source:  # conf.d files may override on purpose
                keys.setdefault(setting.key, []).append(setting.line)
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
                origins=_origins(
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


def _origins(settings: dict[str, Setting | None]) -> dict[str, str]:
    return {name: s.where for name, s in settings.items() if s is not None}


def tunnel_numbers(tunnels: list[ConfiguredTunnel]) -> list[int]:
    """Each conn's AWS tunnel (0 for Tunnel1): the order its remote address first
    appears, as the emulated VGW takes them (driver/local/dataplane/cgw.py). Several
    conns to one address are one tunnel (a conn per subnet); a conn naming none is
    a tunnel of its own."""
    seen: dict[str, int] = {}
    return [
        seen.setdefault((t.right or "").strip() or f"#{i}", len(seen))
        for i, t in enumerate(tunnels)
    ]


def interface_kind(tunnels: list[ConfiguredTunnel]) -> str | None:
    """The tunnel interfaces route-based settings ask for: if_id_* -> XFRM interfaces,
    marks (or an updown script that makes a VTI) -> VTI; None: policy-based."""
    settings = [what for t in tunnels for _, what in t.route_based]
    if not settings:
        return None
    return "xfrm" if any(what.startswith("if_id") for what in settings) else "vti"
