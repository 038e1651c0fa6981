"""A Palo Alto firewall's IPsec tunnels as records: one per proxy-ID of each
``network tunnel ipsec`` entry (an SA pair each), or one for the whole tunnel
when it has none (0.0.0.0/0 both ways: PAN-OS's route-based default), with its IKE
gateway and crypto profiles, each value with its line and what PAN-OS takes for
a key the file leaves out (defaults.py) noted as such. The tunnel interface it
names (``network interface tunnel units tunnel.N``) gives the inside address;
static routes through it are what PAN-OS sends into it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.cgw.panos import defaults
from driver.cgw.panos.conf import PanConf, resolve
from driver.cgw.panos.proposals import record_text
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.cgw.tree import Node
from driver.core.addresses import in_network, network_text

GATEWAYS = ("ike", "gateway")
TUNNELS = ("tunnel", "ipsec")
IKE_PROFILES = ("ike", "crypto-profiles", "ike-crypto-profiles")
IPSEC_PROFILES = ("ike", "crypto-profiles", "ipsec-crypto-profiles")
UNITS = ("interface", "tunnel", "units")
ENCRYPTED = "-AQ=="  # how PAN-OS prints a key it stores (show, exports)


@dataclass
class Profile:
    """A crypto profile as PAN-OS offers it (from the file, else the factory's)."""

    name: str
    encryption: list[str]
    hashes: list[str]  # IKE: hash; IPsec: esp authentication
    groups: list[str]  # IKE: dh-group members; IPsec: its one dh-group (no-pfs)
    lifetime: int  # seconds
    where: str  # where it is defined ("factory" for one the file does not hold)
    ah: bool = False  # an IPsec profile with AH, not ESP
    hash_word: str = "hash"  # PAN-OS's word for its hashes (IPsec: esp authentication)
    defaulted: tuple[str, ...] = ()  # what the file's profile leaves to PAN-OS's default


@dataclass
class PanTunnel:
    """An IPsec tunnel with its gateway: what PAN-OS negotiates for one SA pair."""

    name: str
    node: Node  # network tunnel ipsec <name>
    gateway_name: str
    gateway: Node | None  # None: it names a gateway the file does not define
    conf: PanConf
    proxy: Node | None = None  # the proxy-ID of this record, if the tunnel has any
    defaulted: list[str] = field(default_factory=list)  # "gateway … version ikev1", …

    @property
    def label(self) -> str:
        return f"{self.name} proxy-id {self.proxy.name}" if self.proxy else self.name

    def gw(self, *path: str) -> str:
        """The gateway's value as PAN-OS takes it: set, or the platform's default."""
        found = self.gateway.value(*path) if self.gateway else None
        if found is not None:
            return found
        fallback = defaults.GATEWAY.get(path, "")
        self.defaulted.append(f"gateway {self.gateway_name} {' '.join(path)} {fallback}")
        return fallback

    def tun(self, *path: str) -> str:
        found = self.node.value(*path)
        if found is not None:
            return found
        fallback = defaults.TUNNEL.get(path, "")
        self.defaulted.append(f"tunnel {self.name} {' '.join(path)} {fallback}")
        return fallback

    def where_gw(self, *path: str) -> str:
        return self.gateway.where_of(*path) if self.gateway else self.where_tun("auto-key")

    def where_tun(self, *path: str) -> str:
        return self.node.where_of(*path)

    @property
    def version(self) -> str:
        return self.gw("protocol", "version")

    def ike_profile_name(self) -> str:
        ike = "ikev1" if self.version == "ikev1" else "ikev2"
        return self.gw("protocol", ike, "ike-crypto-profile")

    def ike_profile(self) -> Profile | None:
        return self._noted(profile(self.conf, IKE_PROFILES, self.ike_profile_name(), ike=True))

    def ipsec_profile(self) -> Profile | None:
        name = self.tun("auto-key", "ipsec-crypto-profile")
        return self._noted(profile(self.conf, IPSEC_PROFILES, name, ike=False))

    def _noted(self, found: Profile | None) -> Profile | None:
        """A profile the file does not hold is the factory's: said, with what it offers;
        and so is what the file's own profile leaves to PAN-OS's default."""
        if found is not None:
            self.defaulted += found.defaulted
        if found is not None and found.where == "factory":
            self.defaulted.append(
                f"crypto profile {found.name} (the factory's: encryption "
                f"{' '.join(found.encryption)}, {found.hash_word} {' '.join(found.hashes)}, "
                f"dh-group {' '.join(found.groups)}, lifetime {found.lifetime} s)"
            )
        return found

    @property
    def peer(self) -> str | None:
        found = self.gateway.value("peer-address", "ip") if self.gateway else None
        return _address(resolve(self.conf, found))

    @property
    def interface(self) -> str | None:
        return self.node.value("tunnel-interface")

    def start_action(self) -> str:
        """PAN-OS answers a peer always; it starts a tunnel itself on traffic routed
        into it, or at once to monitor it (tunnel-monitor); passive: never."""
        if self.gw("protocol-common", "passive-mode") == "yes":
            return "none"
        return "start" if self.tun("tunnel-monitor", "enable") == "yes" else "trap"

    def dpd(self) -> int:
        """Seconds between DPD probes (IKEv2: liveness checks); 0: none sent."""
        ike = "ikev1" if self.version == "ikev1" else "ikev2"
        if self.gw("protocol", ike, "dpd", "enable") != "yes":
            return 0
        interval = self.gw("protocol", ike, "dpd", "interval")
        return int(interval) if interval.isdecimal() else 0


def pan_tunnels(conf: PanConf) -> list[PanTunnel]:
    """Each IPsec tunnel (auto-key), once per proxy-ID it has; a tunnel or gateway
    that is disabled is none PAN-OS brings up."""
    gateways = {g.name: g for g in conf.network.entries(*GATEWAYS)}
    out = []
    for node in conf.network.entries(*TUNNELS):
        if node.value("disabled") == "yes" or node.at("auto-key") is None:
            continue
        names = [g.name for g in node.entries("auto-key", "ike-gateway")]
        name = names[0] if names else ""
        if name in gateways and gateways[name].value("disabled") == "yes":
            continue  # its gateway is disabled: PAN-OS negotiates nothing for it
        proxies = node.entries("auto-key", "proxy-id") or [None]
        out += [PanTunnel(node.name, node, name, gateways.get(name), conf, p) for p in proxies]
    return out


def profile(conf: PanConf, table: tuple[str, ...], name: str, ike: bool) -> Profile | None:
    """The profile of that name in the file, else the factory's; None: neither."""
    node = conf.network.at(*table, name)
    if node is None:
        factory = (defaults.FACTORY_IKE if ike else defaults.FACTORY_IPSEC).get(name)
        if factory is None:
            return None
        word = "hash" if ike else "authentication"
        return Profile(name, *factory, "factory", hash_word=word)
    own = defaults.IKE_PROFILE if ike else defaults.IPSEC_PROFILE
    esp = () if ike else ("esp",)
    left_out = tuple(
        f"crypto profile {name} {key} {own[(key, *unit)]}{' hours' if unit else ''}"
        for key, *unit in own
        if (lifetime(node) is None if key == "lifetime" else not node.values(key))
    )
    return Profile(
        name,
        node.values(*esp, "encryption"),
        node.values("hash") if ike else node.values("esp", "authentication"),
        node.values("dh-group") or [own[("dh-group",)]],
        lifetime(node) or defaults.SECONDS["hours"] * int(own[("lifetime", "hours")]),
        node.where,
        ah=not ike and node.at("ah") is not None,
        hash_word="hash" if ike else "authentication",
        defaulted=left_out,
    )


def lifetime(node: Node) -> int | None:
    for unit, seconds in defaults.SECONDS.items():
        value = node.value("lifetime", unit)
        if value and value.isdecimal():
            return int(value) * seconds
    return None


def records(tunnels: list[PanTunnel]) -> list[ConfiguredTunnel]:
    return [record(t) for t in tunnels]


def record(t: PanTunnel) -> ConfiguredTunnel:
    ike, esp = t.ike_profile(), t.ipsec_profile()
    version = {"ikev1": "1", "ikev2": "2"}.get(t.version, "0")
    start = t.start_action()
    local = resolve(t.conf, t.proxy.value("local")) if t.proxy else None
    remote = resolve(t.conf, t.proxy.value("remote")) if t.proxy else None
    return ConfiguredTunnel(
        t.label,
        (t.proxy or t.node).line,
        t.node.source,
        None,
        t.peer,
        local_identity(t),
        network_text(local),
        network_text(remote),
        record_text(ike.encryption, ike.hashes, ike.groups, True) if ike else None,
        record_text(esp.encryption, esp.hashes, esp.groups, False) if esp else None,
        {},
        # once AWS clears it: PAN-OS starts it again on traffic, or at once to monitor it
        "restart" if start == "start" else ("hold" if start == "none" else "trap"),
        "%forever",  # PAN-OS retries without limit
        [(t.where_tun("tunnel-interface"), f"tunnel-interface {t.interface}")]
        if t.interface
        else [],
        start_action=start,
        left=_address(resolve(t.conf, t.gateway.value("local-address", "ip")))
        if t.gateway
        else None,
        version=version,
        aggressive=version == "1" and t.gw("protocol", "ikev1", "exchange-mode") == "aggressive",
        origins={
            "ike": t.where_gw("protocol"),
            "esp": t.where_tun("auto-key", "ipsec-crypto-profile"),
            "local_ts": t.proxy.where_of("local") if t.proxy else t.node.where,
            "remote_ts": t.proxy.where_of("remote") if t.proxy else t.node.where,
            "version": t.where_gw("protocol", "version"),
            "leftid": t.where_gw("local-id", "id"),
            "left": t.where_gw("local-address", "ip"),
        },
    )


def _address(value: str | None) -> str | None:
    """``203.0.113.10/24`` (an interface address) as ``203.0.113.10``."""
    return value.split("/")[0] if value else value


def unit_address(conf: PanConf, unit: str | None) -> tuple[str | None, str]:
    """The tunnel interface's address/prefix (an object's, resolved) and where."""
    node = conf.network.at(*UNITS, unit) if unit else None
    found = node.values("ip") if node else []
    if not found:
        return None, node.where if node else ""
    return resolve(conf, found[0]), node.where_of("ip")


def inside_cidr(conf: PanConf, unit: str | None) -> str | None:
    address, _ = unit_address(conf, unit)
    try:
        return str(ipaddress.IPv4Interface(address).network) if address else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Route:
    destination: str
    metric: int  # PAN-OS's default for a static route is 10
    where: str


def static_routes(conf: PanConf, unit: str | None) -> list[Route]:
    """Each static route into the tunnel interface, in any virtual router: named by
    its interface, or by a next hop in the interface's subnet (PAN-OS resolves it
    through the connected route)."""
    subnet = inside_cidr(conf, unit)
    out = []
    for router in conf.network.entries("virtual-router"):
        for route in router.entries("routing-table", "ip", "static-route"):
            interface = route.value("interface")
            hop = resolve(conf, route.value("nexthop", "ip-address"))
            if (
                not unit
                or interface not in (unit, None)
                or not (interface or in_network(hop, subnet))
            ):
                continue
            metric = route.value("metric") or "10"
            out.append(
                Route(
                    resolve(conf, route.value("destination")) or "",
                    int(metric) if metric.isdecimal() else 10,
                    route.where_of("destination"),
                )
            )
    return out


def local_identity(t: PanTunnel) -> str | None:
    """What the gateway presents: its local-id, else its local address (PAN-OS
    identifies itself by the address of its interface)."""
    if t.gateway is None:
        return None
    return t.gateway.value("local-id", "id") or _address(
        resolve(t.conf, t.gateway.value("local-address", "ip"))
    )


def secrets_of(tunnels: list[PanTunnel]) -> list[Secret]:
    """Each gateway's pre-shared key for its peer; a key PAN-OS printed encrypted
    (``-AQ==…``) is nothing vpnlab can compare."""
    out, seen = [], set()
    for t in tunnels:
        path = ("authentication", "pre-shared-key", "key")
        key = t.gateway.value(*path) if t.gateway else None
        if key and not key.startswith(ENCRYPTED) and t.gateway_name not in seen:
            seen.add(t.gateway_name)
            line = int(t.gateway.where_of(*path).rsplit(":", 1)[1])
            out.append(Secret([t.peer or ""], "PSK", key, line, t.node.source))
    return out
