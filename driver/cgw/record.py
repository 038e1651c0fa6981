"""The customer gateway's tunnels as lint, ``init`` and the check judge them: one
record per connection its implementation would load and start, each value with
the file and line it came from (driver/cgw/strongswan/tunnels.py makes them from
strongSwan's files)."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.settings import Conn, Setting


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


def key_lines(settings: list[Setting]) -> dict[str, list[int]]:
    """Each key written, with its lines (more than one: the key is set again)."""
    lines: dict[str, list[int]] = {}
    for setting in settings:
        lines.setdefault(setting.key, []).append(setting.line)
    return lines


def origins(settings: dict[str, Setting | None]) -> dict[str, str]:
    """Record field -> where its value was written, for the fields that were."""
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
