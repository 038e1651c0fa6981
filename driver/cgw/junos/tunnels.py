"""A Juniper SRX's IPsec VPNs as records: one per traffic selector of each ``security
ipsec vpn`` (an SA pair each), or one for the whole VPN (its proxy-identity, else
0.0.0.0/0 both ways: a route-based VPN's), with its IKE gateway, IKE and IPsec
policies and their proposals, each value with its line, and what Junos takes for a
statement the file leaves out (defaults.py) noted as such. The ``st0`` unit it binds
gives the inside address; static routes through it are what Junos sends into it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.cgw.junos import defaults
from driver.cgw.junos.conf import JunosConf
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.cgw.tree import Node
from driver.core.addresses import network_text

IKE, IPSEC = ("security", "ike"), ("security", "ipsec")
ENCRYPTED = "$9$"  # how Junos prints a key it stores


@dataclass
class Proposal:
    name: str
    node: Node | None  # None: named, not defined

    def words(self, pfs: str | None = None) -> str:
        """Its words as the record keeps them: cipher, hash (none with GCM), group."""
        if self.node is None:
            return ""
        words = [self.node.value("encryption-algorithm") or "?"]
        if self.node.value("authentication-algorithm"):
            words.append(self.node.value("authentication-algorithm"))
        group = pfs if pfs is not None else self.node.value("dh-group")
        return " ".join(words + ([group] if group else []))


@dataclass
class JunosTunnel:
    """A VPN with its gateway and policies: what Junos negotiates for one SA pair."""

    name: str
    vpn: Node
    conf: JunosConf
    selector: Node | None = None  # the traffic selector of this record, if any
    defaulted: list[str] = field(default_factory=list)

    def _at(self, table: tuple[str, ...], kind: str, name: str | None) -> Node | None:
        return self.conf.root.at(*table, kind, name) if name else None

    @property
    def gateway_name(self) -> str | None:
        return self.vpn.value("ike", "gateway")

    @property
    def gateway(self) -> Node | None:
        return self._at(IKE, "gateway", self.gateway_name)

    @property
    def ike_policy(self) -> Node | None:
        return self._at(IKE, "policy", self.gateway.value("ike-policy") if self.gateway else None)

    @property
    def ipsec_policy(self) -> Node | None:
        return self._at(IPSEC, "policy", self.vpn.value("ike", "ipsec-policy"))

    @property
    def label(self) -> str:
        return f"{self.name} traffic-selector {self.selector.name}" if self.selector else self.name

    def value(self, node: Node | None, table: dict, what: str, *path: str) -> str:
        """A statement's value as Junos takes it: set, or its default (noted)."""
        found = node.value(*path) if node is not None else None
        if found is not None:
            return found
        fallback = table.get(path, "")
        self.defaulted.append(f"{what} {' '.join(path)} {fallback}")
        return fallback

    @property
    def version(self) -> str:
        return self.value(self.gateway, defaults.GATEWAY, f"gateway {self.gateway_name}", "version")

    def proposals(self, ike: bool) -> list[Proposal]:
        policy = self.ike_policy if ike else self.ipsec_policy
        table = IKE if ike else IPSEC
        names = policy.values("proposals") if policy else []
        return [Proposal(n, self._at(table, "proposal", n)) for n in names]

    def pfs(self) -> str | None:
        """The IPsec policy's PFS group (Junos: none unless configured)."""
        return (
            self.ipsec_policy.value("perfect-forward-secrecy", "keys")
            if self.ipsec_policy
            else None
        )

    @property
    def peer(self) -> str | None:
        found = self.gateway.values("address") if self.gateway else []
        return found[0] if found else None

    @property
    def interface(self) -> str | None:
        return self.vpn.value("bind-interface")

    def start_action(self) -> str:
        """Junos starts a VPN at once (immediately), on traffic routed into it
        (on-traffic, its default; vpn-monitor's pings are such traffic), or never
        (responder-only)."""
        mode = self.value(self.vpn, defaults.VPN, f"vpn {self.name}", "establish-tunnels")
        if mode.startswith("responder-only"):
            return "none"
        return "start" if mode == "immediately" or self.vpn.at("vpn-monitor") else "trap"

    def dpd(self) -> tuple[int, int]:
        """DPD (interval, threshold); (0, 0): none sent (no dead-peer-detection)."""
        if self.gateway is None or self.gateway.at("dead-peer-detection") is None:
            return 0, 0
        what = f"gateway {self.gateway_name}"
        interval = self.value(
            self.gateway, defaults.GATEWAY, what, "dead-peer-detection", "interval"
        )
        threshold = self.value(
            self.gateway, defaults.GATEWAY, what, "dead-peer-detection", "threshold"
        )
        return (int(interval) if interval.isdecimal() else 10), (
            int(threshold) if threshold.isdecimal() else 5
        )

    def key(self) -> tuple[str | None, str]:
        """The pre-shared key and where it is written."""
        policy = self.ike_policy
        found = policy.value("pre-shared-key", "ascii-text") if policy else None
        return found, policy.where_of("pre-shared-key") if policy else self.vpn.where

    def identity(self, which: str) -> tuple[str | None, str | None]:
        """A local-identity or remote-identity: (its kind, its value), (None, None) when
        the gateway has none (Junos then presents its local address, and expects the
        peer's)."""
        node = self.gateway.at(which) if self.gateway else None
        for kind, child in node.children.items() if node else []:
            return kind, child.value() or child.name
        return None, None

    def local_identity(self) -> str | None:
        kind, value = self.identity("local-identity")
        if kind is not None:
            return value
        return self.gateway.value("local-address") if self.gateway else None


def junos_tunnels(conf: JunosConf) -> list[JunosTunnel]:
    out = []
    for vpn in conf.root.entries(*IPSEC, "vpn"):
        selectors = vpn.entries("traffic-selector") or [None]
        out += [JunosTunnel(vpn.name, vpn, conf, s) for s in selectors]
    return out


def record(t: JunosTunnel) -> ConfiguredTunnel:
    version = {"v1-only": "1", "v2-only": "2"}.get(t.version, "0")
    start = t.start_action()
    mode = t.value(t.ike_policy, defaults.IKE_POLICY, f"ike policy {_name(t.ike_policy)}", "mode")
    local, remote = _selectors(t)
    pfs = t.pfs()
    return ConfiguredTunnel(
        t.label,
        (t.selector or t.vpn).line,
        t.vpn.source,
        None,
        t.peer,
        t.local_identity(),
        local,
        remote,
        "; ".join(p.words() for p in t.proposals(ike=True)) or None,
        "; ".join(p.words(pfs or "") for p in t.proposals(ike=False)) or None,
        {},
        # once AWS clears it: Junos starts it again at once, or on traffic
        "restart" if start == "start" else ("hold" if start == "none" else "trap"),
        "%forever",
        [(t.vpn.where_of("bind-interface"), f"bind-interface {t.interface}")]
        if t.interface
        else [],
        start_action=start,
        left=t.gateway.value("local-address") if t.gateway else None,
        version=version,
        aggressive=version == "1" and mode == "aggressive",
        origins={
            "ike": t.ike_policy.where_of("proposals") if t.ike_policy else t.vpn.where,
            "esp": t.ipsec_policy.where_of("proposals") if t.ipsec_policy else t.vpn.where,
            "version": t.gateway.where_of("version") if t.gateway else t.vpn.where,
        },
    )


def _name(node: Node | None) -> str:
    return node.name if node is not None else "?"


def _selectors(t: JunosTunnel) -> tuple[str | None, str | None]:
    if t.selector is not None:
        return network_text(t.selector.value("local-ip")), network_text(
            t.selector.value("remote-ip")
        )
    proxy = t.vpn.at("ike", "proxy-identity")
    if proxy is not None:
        return network_text(proxy.value("local")), network_text(proxy.value("remote"))
    return None, None


def unit(conf: JunosConf, name: str | None) -> Node | None:
    """``st0.1``'s node (``interfaces st0 unit 1``)."""
    if not name or "." not in name:
        return None
    device, number = name.rsplit(".", 1)
    return conf.root.at("interfaces", device, "unit", number)


def unit_address(conf: JunosConf, name: str | None) -> tuple[str | None, str]:
    node = unit(conf, name)
    found = node.entries("family", "inet", "address") if node else []
    return (found[0].name, found[0].where) if found else (None, node.where if node else "")


def inside_cidr(conf: JunosConf, name: str | None) -> str | None:
    address, _ = unit_address(conf, name)
    try:
        return str(ipaddress.IPv4Interface(address).network) if address else None
    except ValueError:
        return None


def secrets_of(tunnels: list[JunosTunnel]) -> list[Secret]:
    """Each IKE policy's pre-shared key, for its gateway's peer; a key Junos printed
    encrypted (``$9$…``) is nothing vpnlab can compare."""
    out, seen = [], set()
    for t in tunnels:
        key, where = t.key()
        if key and not key.startswith(ENCRYPTED) and t.name not in seen:
            seen.add(t.name)
            out.append(
                Secret([t.peer or ""], "PSK", key, int(where.rsplit(":", 1)[1]), t.vpn.source)
            )
    return out
