"""An OPNsense router's IPsec Connections as records, each value with its line.

The Connections model (VPN > IPsec > Connections) is strongSwan's swanctl.conf in
XML: a ``Connection`` (IKE: proposals, version, addresses, lifetimes, DPD), its
``local`` and ``remote`` authentication rounds and its ``child`` SAs, each pointing
back to its connection by uuid; a ``VTI`` whose ``reqid`` is a child's makes that
child route-based (``ipsec<reqid>``, policies off); the key is the
``preSharedKey`` whose identities match the connection's (as strongSwan picks a
secret). Each enabled child of an enabled connection is one record. What the file
leaves empty is the model's default or strongSwan's (defaults.py), marked as such;
what OPNsense would not bring up as written (an item pointing to no connection, a
connection with no authentication round or no child) is a problem, with its line.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from driver.cgw.opnsense import defaults
from driver.cgw.opnsense.conf import OpnConf, field_value, flag
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret, one_per_peer
from driver.cgw.xml_input import Element
from driver.core.addresses import is_ipv4

# IPsecProposalField's values (opnsense/core @ f95e8151): strongSwan keywords joined by
# '-', several separated by ','
PROPOSALS = re.compile(r"[a-z0-9_]+(-[a-z0-9_]+)*(,[a-z0-9_]+(-[a-z0-9_]+)*)*")


@dataclass
class OpnTunnel:
    name: str
    connection: Element
    child: Element
    local: Element | None  # the connection's first enabled local round
    remote: Element | None
    vti: Element | None = None  # the VTI whose reqid is the child's
    key: Secret | None = None
    key_where: str = ""
    routes: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # rule, where, what

    def ike(self, tag: str) -> str | None:
        """The connection's field as OPNsense writes it, else strongSwan's default
        (None: strongSwan's own, unnamed here)."""
        written = field_value(self.connection, tag, defaults.CONNECTION.get(tag))
        return written or defaults.STRONGSWAN.get(tag)

    def sa(self, tag: str) -> str | None:
        return field_value(self.child, tag, defaults.CHILD.get(tag)) or defaults.STRONGSWAN.get(tag)

    @property
    def remote_addrs(self) -> str | None:
        return self.connection.value("remote_addrs")

    @property
    def local_id(self) -> str | None:
        return self.local.value("id") if self.local is not None else None

    @property
    def remote_id(self) -> str | None:
        return self.remote.value("id") if self.remote is not None else None

    @property
    def selectors(self) -> tuple[str | None, str | None]:
        local, remote = self.child.value("local_ts"), self.child.value("remote_ts")
        if self.vti is not None:  # a VTI's child proposes everything, as OPNsense's guide
            return local or "0.0.0.0/0", remote or "0.0.0.0/0"
        return local, remote

    @property
    def address(self) -> str | None:
        """The VTI's inside address with the prefix holding both ends (a /30 for AWS's)."""
        if self.vti is None:
            return None
        local, remote = self.vti.value("tunnel_local"), self.vti.value("tunnel_remote")
        try:
            a, b = ipaddress.IPv4Address(local), ipaddress.IPv4Address(remote)
        except ValueError:
            return None
        length = 32 - (int(a) ^ int(b)).bit_length()
        return str(ipaddress.IPv4Interface(f"{a}/{min(length, 30) if length < 32 else 32}"))


def opn_tunnels(conf: OpnConf) -> list[OpnTunnel]:
    connections = {c.attrs.get("uuid", ""): c for c in conf.items("Connections", "Connection")}
    enabled = {u: c for u, c in connections.items() if flag(c, "enabled", "1")}
    rounds = {kind: _by_connection(conf, f"{kind}s", kind, connections) for kind in
              ("local", "remote")}  # fmt: skip
    children = _by_connection(conf, "children", "child", connections)
    vtis = {v.value("reqid"): v for v in conf.items("VTIs", "VTI") if flag(v, "enabled", "1")}
    out = []
    for uuid, connection in enabled.items():
        label = connection.value("description") or uuid
        mine = children.get(uuid, [])
        for child in mine:
            own = child.value("description") or child.attrs.get("uuid", "?")
            name = label if len(mine) == 1 else f"{label}/{own}"
            t = OpnTunnel(name, connection, child, _first(rounds["local"].get(uuid)),
                          _first(rounds["remote"].get(uuid)))  # fmt: skip
            t.vti = vtis.get(child.value("reqid") or "")
            _check(t)
            _key(conf, t)
            _noted(t)
            out.append(t)
    return out


def _by_connection(conf: OpnConf, items: str, item: str, connections: dict) -> dict:
    """Enabled items by their connection's uuid; one naming no connection is a problem
    kept on the conf (its connection's tunnels never see it)."""
    out: dict[str, list[Element]] = {}
    for element in conf.items(items, item):
        if not flag(element, "enabled", "1"):
            continue
        owner = element.value("connection") or ""
        if owner not in connections:
            conf.problems.append(
                (
                    element.where,
                    f"this {item} points to connection {owner or '(none)'}, "
                    "which the file does not have: OPNsense writes nothing for it",
                )  # fmt: skip
            )
            continue
        out.setdefault(owner, []).append(element)
    return out


def _first(elements: list[Element] | None) -> Element | None:
    """The first authentication round (round 0): the one a pre-shared key is for."""
    ordered = sorted(elements or [], key=lambda e: _number(e.value("round") or "0"))
    return ordered[0] if ordered else None


def _number(text: str) -> int:
    return int(text) if text.isdecimal() else 99  # OPNsense's model refuses the rest


def _valid(t: OpnTunnel) -> None:
    """Each value OPNsense's model would have refused (a hand-edited or hostile file):
    said, never written into the twin's swanctl.conf."""
    checks = [(t.connection, tag, defaults.OPTIONS.get(tag)) for tag in ("version",)]
    checks += [(t.child, tag, defaults.OPTIONS[tag]) for tag in
               ("start_action", "close_action", "dpd_action", "mode")]  # fmt: skip
    for element, tag, allowed in checks:
        value = element.value(tag)
        if value is not None and value not in allowed:
            _refused(t, element, tag, f"one of {', '.join(sorted(allowed))}")
    for element, tags in ((t.connection, defaults.INTEGERS), (t.child, ("rekey_time", "reqid"))):
        for tag in tags:
            value = element.value(tag)
            if value is not None and not (value.isascii() and value.isdecimal()):
                _refused(t, element, tag, "a number of seconds" if "time" in tag else "a number")
    for element, tag in ((t.connection, "proposals"), (t.child, "esp_proposals")):
        value = element.value(tag)
        if value is not None and not PROPOSALS.fullmatch(value):
            _refused(t, element, tag, "proposals from its list (aes256-sha256-modp2048, …)")
    remote = (t.remote_addrs or "").split(",")[0]
    if not is_ipv4(remote):
        said = f"{t.name}: Remote addresses {remote!r} is no IPv4 address: AWS's tunnels have one"
        t.problems.append(("conf-opnsense-syntax", t.connection.where_of("remote_addrs"), said))


def _refused(t: OpnTunnel, element: Element, tag: str, wanted: str) -> None:
    t.problems.append(
        ("conf-opnsense-syntax", element.where_of(tag),
         f"{t.name}: {tag} {element.value(tag)!r} is not what OPNsense's model takes ({wanted})")
    )  # fmt: skip


def _check(t: OpnTunnel) -> None:
    _valid(t)
    for side, element in (("local", t.local), ("remote", t.remote)):
        if element is None:
            t.problems.append(
                (
                    "conf-opnsense-orphan",
                    t.connection.where,
                    f"{t.name}: no {side} authentication (Connections: {side.capitalize()} "
                    "Authentication): strongSwan loads no connection without one",
                )  # fmt: skip
            )
        elif (element.value("auth") or defaults.AUTH) != "psk":
            t.problems.append(
                (
                    "conf-opnsense-auth",
                    element.where_of("auth"),
                    f"{t.name}: {side} authentication {element.value('auth')}: AWS authenticates "
                    "with a pre-shared key (or certificates it issues)",
                )  # fmt: skip
            )
    mode = t.sa("mode")
    if mode != "tunnel":
        said = f"{t.name}: child mode {mode}: AWS's tunnels carry networks in tunnel mode"
        t.problems.append(("conf-opnsense-mode", t.child.where_of("mode"), said))
    policies = flag(t.child, "policies", defaults.CHILD["policies"], empty="1")
    reqid = t.child.value("reqid")
    if t.vti is None and not policies:
        t.problems.append(
            (
                "conf-opnsense-vti",
                t.child.where_of("policies"),
                f"{t.name}: Policies is off and no VTI has reqid {reqid or '(none)'}: the SA "
                "carries nothing (route-based needs a VTI with the child's reqid)",
            )  # fmt: skip
        )
    elif t.vti is not None and policies:
        t.problems.append(
            (
                "conf-opnsense-vti",
                t.child.where_of("policies"),
                f"{t.name}: a VTI (ipsec{reqid}) with Policies on: the child's policies take "
                "its traffic before the route into the VTI does (OPNsense's guide: turn "
                "Policies off for a route-based child)",
            )  # fmt: skip
        )


def _key(conf: OpnConf, t: OpnTunnel) -> None:
    """The pre-shared key strongSwan would pick: a ``preSharedKey`` whose identities
    are the connection's (its local and remote ids, else its addresses)."""
    local = t.local_id or (t.connection.value("local_addrs") or "").split(",")[0]
    remote = t.remote_id or (t.remote_addrs or "").split(",")[0]
    for psk in conf.root.all("OPNsense", "IPsec", "preSharedKeys", "preSharedKey"):
        if (psk.value("keyType") or "PSK") != "PSK":
            continue
        ident, other = psk.value("ident"), psk.value("remote_ident")
        matches = {ident, other} == {local, remote} if other else ident in (local, remote)
        if matches:
            t.key_where = psk.where_of("Key")
            secret = psk.value("Key")
            if secret:
                t.key = Secret([t.remote_addrs or ""], "PSK", secret, psk.line, psk.source)
            return


def _noted(t: OpnTunnel) -> None:
    for tag in ("esp_proposals", "dpd_action", "start_action"):
        if t.child.value(tag) is None:
            t.defaulted.append(f"child {t.name}: {tag} {t.sa(tag)}")
    if t.connection.value("rekey_time") is None:
        t.defaulted.append(f"{t.name}: rekey_time {defaults.IKE_REKEY_TIME} s (strongSwan's)")
    if t.connection.value("keyingtries") is None:
        t.defaulted.append(f"{t.name}: keyingtries {defaults.KEYINGTRIES} (strongSwan's)")
    if t.connection.value("proposals") is None:
        t.defaulted.append(f"{t.name}: proposals default (strongSwan's)")


def static_routes(conf: OpnConf, tunnels: list[OpnTunnel]) -> None:
    """Each static route whose gateway's address is a VTI's far end, into that VTI
    (System > Routes; gateways in //OPNsense/Gateways, or <gateways> before 24.x)."""
    gateways = {}
    for item in conf.root.all("OPNsense", "Gateways", "gateway_item") + conf.root.all(
        "gateways", "gateway_item"
    ):
        if item.value("disabled") != "1" and item.value("name"):
            gateways[item.value("name")] = item.value("gateway")
    for route in conf.root.all("staticroutes", "route"):
        if route.value("disabled") == "1" or route.value("enabled") == "0":
            continue
        via = gateways.get(route.value("gateway") or "")
        for t in tunnels:
            if t.vti is not None and via and via == t.vti.value("tunnel_remote"):
                t.routes.append(route.value("network") or "")


def record(t: OpnTunnel) -> ConfiguredTunnel:
    local_ts, remote_ts = t.selectors
    keyingtries = t.connection.value("keyingtries") or str(defaults.KEYINGTRIES)
    return ConfiguredTunnel(
        t.name,
        t.child.line,
        t.child.source,
        None,
        t.remote_addrs,
        t.local_id,
        local_ts,
        remote_ts,
        t.ike("proposals"),
        t.sa("esp_proposals"),
        {},
        t.sa("dpd_action") if t.connection.value("dpd_delay") not in (None, "0") else "none",
        "%forever" if keyingtries == "0" else keyingtries,
        [(t.vti.where, f"VTI ipsec{t.vti.value('reqid')}")] if t.vti is not None else [],
        start_action=(t.sa("start_action") or "start").replace("route", "trap"),
        left=t.connection.value("local_addrs"),
        version=t.ike("version") or "0",
        aggressive=flag(t.connection, "aggressive", "0"),
        origins={
            "ike": t.connection.where_of("proposals"),
            "esp": t.child.where_of("esp_proposals"),
            "version": t.connection.where_of("version"),
            "leftid": t.local.where_of("id") if t.local is not None else t.connection.where,
            "local_ts": t.child.where_of("local_ts"),
            "remote_ts": t.child.where_of("remote_ts"),
        },
    )


def secrets_of(tunnels: list[OpnTunnel]) -> list[Secret]:
    return one_per_peer((t.remote_addrs, t.key) for t in tunnels)
