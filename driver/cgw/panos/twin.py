"""A Palo Alto firewall's tunnels as strongSwan files that negotiate as it would:
its twin.

Each IPsec tunnel with its IKE gateway becomes a swanctl connection with the
gateway's IKE version (``ikev2-preferred``: IKEv2 first, IKEv1 answered), its IKE
crypto profile (every combination of its encryption, hash and DH groups), its
IPsec crypto profile (with its PFS group, or none for ``no-pfs``), lifetimes, DPD
(IKEv2: the liveness check), local ID, exchange mode, the proxy-ID as selectors
(0.0.0.0/0 without one), and how it starts: at once with tunnel monitoring, on
traffic routed into its tunnel interface without (Cloudflare's PAN-OS guide: the
tunnels "may not establish if there is no traffic"), never in passive mode.
Profiles the file names but does not hold are the factory's (defaults.py). A
tunnel interface is an XFRM interface with the unit's address and the static
routes PAN-OS sends into it; without tunnel monitoring it is there before its SAs
and stays after them, as PAN-OS keeps the interface up and its routes active.

What the twin cannot be is said, not guessed (``Untranslatable``): a key printed
encrypted, AH, a word strongSwan lacks, more than one proxy-ID on a tunnel (an SA
pair each, in one IKE SA), a peer named by FQDN or dynamic. What it never shows:
PAN-OS's own IKE stack (its timers and bugs), tunnel monitoring's own pings and
failover, zones and security policies, hardware offload, fragmentation. Its BGP
runs as FRR (twin_frr.py).
"""

from __future__ import annotations

import ipaddress

from driver.cgw.panos.bgp import pan_bgp
from driver.cgw.panos.conf import PanConf, resolve
from driver.cgw.panos.defaults import RELEASE
from driver.cgw.panos.proposals import (
    AEAD,
    CIPHERS,
    HASHES,
    NO_HASH,
    NO_PFS,
    OLD_NAMES,
    canonical,
    group_number,
)
from driver.cgw.panos.tunnels import (
    ENCRYPTED,
    PanTunnel,
    Profile,
    local_identity,
    pan_tunnels,
    static_routes,
    unit_address,
)
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import GROUPS, TwinTunnel
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/panos-twin-updown.sh"


def twin(conf: PanConf, source: str) -> Twin:
    tunnels = pan_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    unique = list({t.name: t for t in tunnels}.values())
    for first in unique:
        count = sum(t.name == first.name for t in tunnels)
        if count > 1:
            problems.append(
                f"{first.node.where}: tunnel {first.name} has {count} proxy-IDs: PAN-OS "
                "negotiates an SA pair for each in one IKE SA, and AWS allows one per tunnel "
                "(lint: conf-sa-pairs)"
            )
    problems += _routing_untranslatable(conf)
    header = (
        f"# vpnlab: the twin of the Palo Alto firewall in {source}: strongSwan negotiating\n"
        f"# as {RELEASE} would, from its IKE gateways, crypto profiles and IPsec tunnels.\n"
    )
    return twin_of("Palo Alto firewall", unique, _tunnel, problems, header, UPDOWN, "tunnel.",
                   pan_bgp(conf, source))  # fmt: skip


def _tunnel(t: PanTunnel, n: int) -> TwinTunnel:
    if t.gateway is None:
        raise Untranslatable(
            f"{t.where_tun('auto-key')}: tunnel {t.name} names IKE gateway "
            f"'{t.gateway_name}', which the file does not define"
        )
    key_at = t.where_gw("authentication", "pre-shared-key", "key")
    key = t.gateway.value("authentication", "pre-shared-key", "key") or ""
    if not key or key.startswith(ENCRYPTED):
        raise Untranslatable(
            f"{key_at}: gateway {t.gateway_name}'s key is "
            + ("encrypted by PAN-OS (-AQ==…)" if key else "not set")
            + ": give the twin the plain key (set … authentication pre-shared-key key <key>)"
        )
    peer = t.peer or ""
    if not is_ipv4(peer):
        raise Untranslatable(
            f"{t.where_gw('peer-address')}: gateway {t.gateway_name}'s peer-address is "
            f"{peer or 'not an IP address'} (the twin needs AWS's tunnel address)"
        )
    ike, esp = t.ike_profile(), t.ipsec_profile()
    if t.version == "ikev1" and ike and any(canonical(c) in AEAD for c in ike.encryption):
        raise Untranslatable(
            f"{ike.where}: IKE crypto profile {ike.name} offers GCM to an IKEv1 gateway "
            f"({t.gateway_name}): IKEv1 has no GCM for its IKE SA"
        )
    address, where = unit_address(t.conf, t.interface)
    routes = static_routes(t.conf, t.interface)
    metrics = {r.metric for r in routes}
    if len(metrics) > 1:
        raise Untranslatable(
            f"{routes[0].where}: the static routes into {t.interface} have metrics "
            f"{sorted(metrics)}: the twin gives a tunnel's routes one metric"
        )
    start = t.start_action()
    return TwinTunnel(
        n,
        t.name,
        t.proxy.name if t.proxy else t.name,
        {"ikev1": "1", "ikev2": "2"}.get(t.version, "0"),
        peer,
        key,
        ", ".join(_ike(t, ike)),
        ", ".join(_esp(t, esp)),
        str(ike.lifetime),
        str(esp.lifetime),
        t.dpd(),
        start,
        "restart" if start == "start" else ("trap" if start == "trap" else "clear"),
        local_id=_identity(t, "local-id") or local_identity(t),
        remote_id=_identity(t, "peer-id"),
        dpd_timeout=t.dpd() * _retries(t),
        aggressive=t.version == "ikev1"
        and t.gw("protocol", "ikev1", "exchange-mode") == "aggressive",
        local_ts=_selector(t, "local"),
        remote_ts=_selector(t, "remote"),
        address=_interface(t, address, where),
        routes=tuple(_route(t, r.destination) for r in routes),
        metric=metrics.pop() if metrics else 0,
        # a tunnel interface stays up, its static routes with it, unless tunnel
        # monitoring takes it down (Palo Alto KB kA10g000000ClgcCAC)
        persistent=start != "start",
    )


def _identity(t: PanTunnel, which: str) -> str | None:
    """A local-id or peer-id as strongSwan writes it; a type it has no twin for is
    refused (keyid, dn)."""
    value, kind = t.gateway.value(which, "id"), t.gateway.value(which, "type") or "ipaddr"
    if value is None:
        return None
    if kind not in ("ipaddr", "fqdn", "ufqdn"):
        raise Untranslatable(
            f"{t.where_gw(which, 'type')}: gateway {t.gateway_name}'s {which} is of type "
            f"{kind}: not translated (ipaddr, fqdn and ufqdn are)"
        )
    return value


def _retries(t: PanTunnel) -> int:
    """IKEv1's DPD retries before PAN-OS declares the peer dead (its default, 5)."""
    found = t.gw("protocol", "ikev1", "dpd", "retry") if t.version == "ikev1" else "0"
    return int(found) if found.isdecimal() else 0


def _routing_untranslatable(conf: PanConf) -> list[str]:
    """The routing the twin does not model: ECMP over the tunnels, the Advanced
    Routing engine's logical routers, two tunnels with the same route and metric."""
    out = [
        f"{router.where_of('ecmp', 'enable')}: virtual router {router.name} spreads traffic "
        "over equal routes (ecmp enable yes): the twin prefers one tunnel; not translated"
        for router in conf.network.entries("virtual-router")
        if router.value("ecmp", "enable") == "yes"
    ]
    if conf.network.at("logical-router") is not None:
        out.append(
            f"{conf.network.at('logical-router').where}: logical-router (Advanced Routing): "
            "its routes and BGP are not read yet; the twin would route nothing"
        )
    seen: dict[tuple[str, int], str] = {}
    for t in pan_tunnels(conf):
        for r in static_routes(conf, t.interface):
            other = seen.setdefault((r.destination, r.metric), t.interface or "")
            if other != t.interface:
                out.append(
                    f"{r.where}: {r.destination} is routed into {other} and {t.interface} "
                    f"with the same metric ({r.metric}): which PAN-OS installs is not "
                    "modelled; give the backup tunnel's route a higher metric"
                )
    return list(dict.fromkeys(out))


def _ike(t: PanTunnel, ike: Profile | None) -> list[str]:
    if ike is None:
        raise Untranslatable(
            f"{t.where_gw('protocol')}: gateway {t.gateway_name} names IKE crypto profile "
            f"'{t.ike_profile_name()}', which the file does not define"
        )
    return _offers(ike, [_group(g, ike) for g in ike.groups], ike=True)


def _esp(t: PanTunnel, esp: Profile | None) -> list[str]:
    if esp is None:
        raise Untranslatable(
            f"{t.where_tun('auto-key', 'ipsec-crypto-profile')}: tunnel {t.name} names IPsec "
            f"crypto profile '{t.tun('auto-key', 'ipsec-crypto-profile')}', which the file "
            "does not define"
        )
    if esp.ah:
        raise Untranslatable(f"{esp.where}: IPsec crypto profile {esp.name} uses AH: AWS has none")
    return _offers(esp, [_group(g, esp) for g in esp.groups if g != NO_PFS], ike=False)


def _offers(p: Profile, groups: list[str], ike: bool) -> list[str]:
    """A profile's combinations as strongSwan proposals: the CBC ciphers with the
    hashes, and GCM in a proposal of its own (IKE: the hashes as its PRF)."""
    ciphers, hashes = _words(p)
    plain = [CIPHERS[c][1] for c in ciphers if c not in AEAD]
    aead = [CIPHERS[c][1] for c in ciphers if c in AEAD]
    known = [HASHES[h][1] for h in hashes if h not in NO_HASH]
    out = []
    if plain:
        if not known:
            raise Untranslatable(f"{p.where}: crypto profile {p.name} has no hash")
        out.append("-".join(plain + known + groups))
    if aead and ike and not known:
        raise Untranslatable(
            f"{p.where}: IKE crypto profile {p.name} pairs GCM with hash non-auth: which PRF "
            "PAN-OS then offers is not documented, and the twin does not guess it (list a "
            "hash, e.g. sha256, which GCM uses as its PRF)"
        )
    if aead:
        out.append("-".join(aead + (["prf" + h for h in known] if ike else []) + groups))
    return out


def _words(p: Profile) -> tuple[list[str], list[str]]:
    """The profile's words as PAN-OS's current names, each one the twin has."""
    ciphers, hashes = [canonical(c) for c in p.encryption], p.hashes
    if not ciphers:
        raise Untranslatable(f"{p.where}: crypto profile {p.name} has no encryption")
    for old in set(p.encryption) & set(OLD_NAMES):
        raise Untranslatable(
            f"{p.where}: crypto profile {p.name}: {old} is PAN-OS 6's name; {RELEASE} takes "
            f"{OLD_NAMES[old]} only (lint: conf-panos-old-name)"
        )
    for word in ciphers + [h for h in hashes if h not in NO_HASH]:
        if word not in CIPHERS and word not in HASHES:
            raise Untranslatable(f"{p.where}: {word} (crypto profile {p.name}) has no twin")
    return ciphers, hashes


def _group(word: str, p: Profile) -> str:
    number = group_number(word)
    if number not in GROUPS:
        raise Untranslatable(f"{p.where}: {word} (crypto profile {p.name}) has no twin")
    return GROUPS[number]


def _selector(t: PanTunnel, side: str) -> str:
    if t.proxy is None:
        return "0.0.0.0/0"
    value = t.proxy.value(side)
    try:
        return str(ipaddress.IPv4Network(resolve(t.conf, value) or "", strict=False))
    except ValueError:
        raise Untranslatable(
            f"{t.proxy.where_of(side)}: proxy-id {t.proxy.name} {side} {value!r} is no subnet"
        ) from None


def _interface(t: PanTunnel, address: str | None, where: str) -> str:
    if not address:
        return "-"
    try:
        return str(ipaddress.IPv4Interface(address))
    except ValueError:
        raise Untranslatable(f"{where}: {t.interface} ip {address!r} is no address") from None


def _route(t: PanTunnel, destination: str) -> str:
    try:
        return str(ipaddress.IPv4Network(destination, strict=False))
    except ValueError:
        raise Untranslatable(
            f"{t.node.where}: a static route into {t.interface} goes to {destination!r}, no network"
        ) from None
