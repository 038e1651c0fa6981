"""VyOS's IPsec peers as records: one per SA pair a peer brings up — its ``vti``
(route-based) or each ``tunnel N`` (policy-based, one pair of prefixes each) — with
its ike-group and esp-group, each value with its line, and what VyOS takes for a
setting the file leaves out (defaults.py) noted as such.

A record's proposals are strongSwan's, as VyOS writes them itself (vyos-1x
``template.py get_esp_ike_cipher``; VyOS 1.3's ``vpn-config.pl`` the same):
``aes128-sha1-modp1024`` per ike-group proposal, in the proposals' order, and per
esp-group proposal with the PFS group (``pfs enable``: the first IKE proposal's,
``dh-groupN``: that one, ``disable``: none)."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from dataclasses import dataclass, field

from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.cgw.tree import Node
from driver.cgw.twin_swanctl import GROUPS
from driver.cgw.vyos import defaults
from driver.cgw.vyos.conf import VyosConf
from driver.core.addresses import is_ipv4


@dataclass
class VyosTunnel:
    conf: VyosConf
    peer: Node
    child: Node | None  # `tunnel N`, or None: the peer's vti
    defaulted: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        own = f"peer {self.peer.name}"
        return own if self.child is None else f"{own} tunnel {self.child.name}"

    @property
    def platform(self) -> str:
        return self.conf.platform

    def _default(self, path: str, value: str) -> str:
        said = f"{path} {value} ({self.platform})"
        if said not in self.defaulted:  # each once, however often it is read
            self.defaulted.append(said)
        return value

    # -- the peer --
    @property
    def remote(self) -> str | None:
        """AWS's address: 1.4's remote-address (none: %any, peer.j2), 1.3's and EdgeOS's
        peer name."""
        if self.platform == defaults.VYOS_14:
            name = self.peer.value("remote-address") or "any"
        else:
            name = self.peer.name
        return None if name in ("any", "0.0.0.0") or name.startswith("@") else name

    @property
    def local(self) -> str | None:
        found = self.peer.value("local-address")
        return found if found and is_ipv4(found) else None

    @property
    def ike_group_name(self) -> str | None:
        return self.peer.value("ike-group")

    @property
    def ike(self) -> Node | None:
        return self.conf.root.at("vpn", "ipsec", "ike-group", self.ike_group_name or "")

    @property
    def esp_group_name(self) -> str | None:
        own = self.peer.at("vti") if self.child is None else self.child
        found = own.value("esp-group") if own is not None else None
        return found or self.peer.value("default-esp-group")

    @property
    def esp(self) -> Node | None:
        return self.conf.root.at("vpn", "ipsec", "esp-group", self.esp_group_name or "")

    def where(self, *path: str, group: Node | None = None) -> str:
        """Where ``path`` is written in the group (else the group, else the peer)."""
        node = group if group is not None else self.peer
        return node.where_of(*path) if node.at(*path) is not None else node.where

    # -- IKE --
    @property
    def version(self) -> str:
        exchange = self.ike.value("key-exchange") if self.ike else None
        if exchange in ("ikev1", "ikev2"):
            return exchange[-1]
        version = defaults.PLATFORM[self.platform][0]
        said = "ikev1" if version == "1" else "none: IKEv2 first, either answered"
        self._default(f"ike-group {self.ike_group_name} key-exchange", f"({said})")
        return version

    @property
    def aggressive(self) -> bool:
        return bool(self.ike) and self.version == "1" and self.ike.value("mode") == "aggressive"

    def _proposals(self, group: Node | None, kind: str) -> list[Node]:
        entries = group.entries("proposal") if group else []
        if not entries and group is not None:
            self._default(f"{kind} {group.name} proposal 1", "(none: VyOS refuses the commit)")
        return sorted(entries, key=lambda p: int(p.name) if p.name.isdecimal() else 0)

    def _algorithm(self, group: Node, proposal: Node, key: str, fallback: str, kind: str) -> str:
        found = proposal.value(key)
        if found:
            return found
        return self._default(f"{kind} {group.name} proposal {proposal.name} {key}", fallback)

    def dh_groups(self) -> list[str]:
        """The ike-group's proposals' DH group numbers, in order."""
        if self.ike is None:
            return []
        return [self._algorithm(self.ike, p, "dh-group", defaults.DH_GROUP, "ike-group")
                for p in self._proposals(self.ike, "ike-group")]  # fmt: skip

    def ike_words(self) -> str:
        if self.ike is None:
            return ""
        out = []
        for p in self._proposals(self.ike, "ike-group"):
            words = self._cipher(self.ike, p, "ike-group")
            if p.value("prf"):
                words.append(p.value("prf"))
            group = self._algorithm(self.ike, p, "dh-group", defaults.DH_GROUP, "ike-group")
            words.append(GROUPS.get(int(group), f"dh-group{group}") if group.isdecimal() else group)
            out.append("-".join(words))
        return ",".join(out)

    def _cipher(self, group: Node, p: Node, kind: str) -> list[str]:
        return [self._algorithm(group, p, "encryption", defaults.ENCRYPTION, kind),
                self._algorithm(group, p, "hash", defaults.HASH, kind)]  # fmt: skip

    # -- ESP --
    @property
    def pfs(self) -> str:
        found = self.esp.value("pfs") if self.esp else None
        return found or self._default(f"esp-group {self.esp_group_name} pfs", defaults.PFS)

    def pfs_group(self) -> str | None:
        """The PFS group's number, None without PFS."""
        pfs = self.pfs
        if pfs == "disable":
            return None
        if pfs == "enable":
            groups = self.dh_groups()
            return groups[0] if groups else defaults.DH_GROUP
        return pfs.removeprefix("dh-group")

    def esp_words(self) -> str:
        if self.esp is None:
            return ""
        group = self.pfs_group()
        suffix = []
        if group is not None:
            suffix = [GROUPS.get(int(group), f"dh-group{group}") if group.isdecimal() else group]
        return ",".join(
            "-".join(self._cipher(self.esp, p, "esp-group") + suffix)
            for p in self._proposals(self.esp, "esp-group")
        )

    def lifetime(self, ike: bool) -> int:
        group = self.ike if ike else self.esp
        fallback = defaults.IKE_LIFETIME if ike else defaults.ESP_LIFETIME
        found = group.value("lifetime") if group else None
        if found and found.isdecimal():
            return int(found)
        kind = "ike-group" if ike else "esp-group"
        self._default(f"{kind} {group.name if group else '?'} lifetime", str(fallback))
        return fallback

    # -- DPD, start --
    def dpd(self) -> tuple[int, int, str] | None:
        """interval, timeout, action; None: no dead-peer-detection (none sent)."""
        node = self.ike.at("dead-peer-detection") if self.ike else None
        if node is None:
            return None
        found = {k: node.value(k) for k in ("interval", "timeout", "action")}
        for key, fallback in (*defaults.DPD.items(), ("action", self._dpd_action())):
            if not found[key]:
                found[key] = self._default(f"dead-peer-detection {key}", fallback)
        numbers = [int(v) if v.isdecimal() else 0 for v in (found["interval"], found["timeout"])]
        return numbers[0], numbers[1], found["action"]

    def _dpd_action(self) -> str:
        return defaults.PLATFORM[self.platform][1]

    @property
    def connection_type(self) -> str:
        return self.peer.value("connection-type") or "initiate"

    def start_action(self) -> str:
        if self.remote is None or self.peer.name.startswith("@"):
            return "none"  # any peer: it only answers
        return {"initiate": "start", "respond": "trap"}.get(self.connection_type, "none")

    # -- identities and keys --
    def identity(self) -> str | None:
        auth = self.peer.at("authentication")
        if auth is None:
            return None
        key = "local-id" if self.platform == defaults.VYOS_14 else "id"
        return auth.value(key) or auth.value("local-id")

    def identity_of_peer(self) -> str | None:
        auth = self.peer.at("authentication")
        return auth.value("remote-id") if auth is not None else None

    def key(self) -> tuple[str | None, str]:
        """The pre-shared key and where it is written (None: none found)."""
        auth = self.peer.at("authentication")
        own = auth.value("pre-shared-secret") if auth is not None else None
        if own:
            return own, self.peer.where_of("authentication", "pre-shared-secret")
        # 1.4: strongSwan takes the psk whose ids hold the peer's identity, else one
        # holding its own (swanctl.conf.j2 writes each id of the psk)
        psks = self.conf.root.entries("vpn", "ipsec", "authentication", "psk")
        for ids in ({self.remote, self.identity_of_peer()}, {self.local, self.identity()}):
            for psk in psks:
                if set(psk.values("id")) & (ids - {None}):
                    return _secret(psk), psk.where_of("secret")
        return None, self.peer.where

    # -- the tunnel interface --
    @property
    def vti(self) -> str | None:
        return self.peer.value("vti", "bind") if self.child is None else None

    @property
    def interface(self) -> Node | None:
        return self.conf.root.at("interfaces", "vti", self.vti) if self.vti else None

    def address(self) -> tuple[str | None, str]:
        """The vti's IPv4 address/prefix and where, else None."""
        node = self.interface
        found = [a for a in (node.values("address") if node else []) if ":" not in a]
        where = node.where_of("address") if node and node.at("address") else self.peer.where
        return (found[0] if found else None), where

    def prefixes(self, side: str) -> str | None:
        if self.child is None:
            return "0.0.0.0/0"  # peer.j2: a vti's selectors
        found = self.child.values(side, "prefix")
        if self.platform != defaults.VYOS_14:
            found = found[-1:]  # one prefix before 1.4
        # `any`: 1.4's peer.j2 writes both families, 1.3's vpn-config.pl IPv4's
        whole = "0.0.0.0/0,::/0" if self.platform == defaults.VYOS_14 else "0.0.0.0/0"
        return ",".join(whole if p == "any" else p for p in found) if found else None

    def selector_narrowing(self) -> list[str]:
        """A tunnel's protocol and ports, which narrow its selectors (peer.j2)."""
        if self.child is None:
            return []
        found = [f"protocol {self.child.value('protocol')}"] if self.child.at("protocol") else []
        found += [f"{side} port {self.child.value(side, 'port')}" for side in ("local", "remote")
                  if self.child.at(side, "port") is not None]  # fmt: skip
        return found


def _secret(psk: Node) -> str | None:
    secret = psk.value("secret")
    if secret and psk.value("secret-type") == "base64":
        try:
            return base64.b64decode(secret, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
    return secret


def vyos_tunnels(conf: VyosConf) -> list[VyosTunnel]:
    """Each peer's SA pairs: its tunnels not disabled, else its vti."""
    out = []
    for peer in conf.root.entries("vpn", "ipsec", "site-to-site", "peer"):
        if peer.at("disable") is not None:
            continue
        if peer.at("tunnel") is not None:  # tunnels, even all disabled, are the SA pairs
            out += [VyosTunnel(conf, peer, t) for t in peer.entries("tunnel")
                    if t.at("disable") is None]  # fmt: skip
        elif peer.at("vti") is not None:
            out.append(VyosTunnel(conf, peer, None))
    return out


def record(t: VyosTunnel) -> ConfiguredTunnel:
    dpd = t.dpd()
    start = t.start_action()
    where = t.peer.where if t.child is None else t.child.where
    return ConfiguredTunnel(
        t.label,
        int(where.rsplit(":", 1)[1]),
        t.conf.root.source,
        None,
        t.remote,
        t.identity(),
        t.prefixes("local"),
        t.prefixes("remote"),
        t.ike_words(),
        t.esp_words(),
        {},
        {"clear": "clear", "hold": "hold", "trap": "hold", "restart": "restart"}.get(
            dpd[2] if dpd else "", "none"
        ),
        "%forever" if t.connection_type == "initiate" else "1",
        [(t.address()[1], f"vti bind {t.vti}")] if t.vti else [],
        start_action=start,
        left=t.local,
        version=t.version,
        aggressive=t.aggressive,
        origins={
            "ike": t.where("proposal", group=t.ike),
            "esp": t.where("proposal", group=t.esp),
            "version": t.where("key-exchange", group=t.ike),
        },
    )


def inside_cidr(t: VyosTunnel) -> str | None:
    address = t.address()[0]
    if address is None:
        return None
    try:
        return str(ipaddress.IPv4Interface(address).network)
    except ValueError:
        return None


def secrets_of(tunnels: list[VyosTunnel]) -> list[Secret]:
    out, seen = [], set()
    for t in tunnels:
        key, where = t.key()
        if key and t.remote and t.remote not in seen:
            seen.add(t.remote)
            out.append(Secret([t.remote], "PSK", key, int(where.rsplit(":", 1)[1]),
                              t.conf.root.source))  # fmt: skip
    return out
