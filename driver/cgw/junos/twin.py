"""A Juniper SRX's route-based VPNs as strongSwan files that negotiate as it would:
its twin.

Each ``security ipsec vpn`` bound to an ``st0`` unit becomes a swanctl connection
with its gateway's IKE version (``v1-only`` unless ``v2-only``), its IKE policy's
proposals in order (each one combination; GCM with its PRF), its IPsec policy's
proposals with the PFS group (none without ``perfect-forward-secrecy``), lifetimes,
DPD (interval and threshold), the local identity, main or aggressive mode, its
proxy-identity as selectors (0.0.0.0/0 without one), and how it starts: at once
(``establish-tunnels immediately``, or ``vpn-monitor``, whose pings are traffic), on
traffic routed into its st0 unit (``on-traffic``, Junos's default: the unit is there
before its SAs and stays after them), never (``responder-only``). The st0 unit is an
XFRM interface with its address and the static routes whose next hop it is, by their
preference. That the unit is there before its SAs with on-traffic (so traffic routed
into it starts the VPN), and that vpn-monitor's pings start a VPN, are assumptions no
Juniper text in vpnlab's sources states: the fidelity table says so.

What the twin cannot be is said, not guessed (``Untranslatable``): a policy-based
VPN (no bind-interface), a proposal-set or a proposal without its algorithms, a key
printed ``$9$…``, traffic selectors (an SA pair each), a word strongSwan lacks.
What it never shows: Junos's own IKE stack (kmd), security zones and policies
(host-inbound-traffic ike), TCP MSS clamping, df-bit, hardware offload. Its BGP
runs as FRR (twin_frr.py).
"""

from __future__ import annotations

import ipaddress

from driver.cgw.junos import defaults
from driver.cgw.junos.bgp import junos_bgp
from driver.cgw.junos.conf import JunosConf
from driver.cgw.junos.proposals import CIPHERS, GCM_PRF, HASHES, group_number
from driver.cgw.junos.routes import static_routes
from driver.cgw.junos.tunnels import (
    ENCRYPTED,
    JunosTunnel,
    Proposal,
    junos_tunnels,
    unit_address,
)
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import GROUPS, TwinTunnel, interface_address
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/junos-twin-updown.sh"


def twin(conf: JunosConf, source: str) -> Twin:
    tunnels = junos_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    problems += [
        f"{t.selector.where}: vpn {t.name} has traffic selectors: an SA pair each; not "
        "translated (the twin runs one SA pair per tunnel)"
        for t in tunnels
        if t.selector is not None
    ]
    unique = list({t.name: t for t in tunnels}.values())
    problems += _routing_untranslatable(conf, unique)
    header = (
        f"# vpnlab: the twin of the Juniper SRX in {source}: strongSwan negotiating as\n"
        f"# {defaults.RELEASE} would, from its IKE gateways, policies and IPsec VPNs.\n"
    )
    return twin_of("Juniper SRX", unique, _tunnel, problems, header, UPDOWN, "st0.",
                   junos_bgp(conf, source))  # fmt: skip


def _tunnel(t: JunosTunnel, n: int) -> TwinTunnel:
    if t.interface is None:
        raise Untranslatable(
            f"{t.vpn.where}: vpn {t.name} binds no st0 interface: a policy-based VPN, whose "
            "selectors come from security policies; not translated yet"
        )
    if t.gateway is None or t.ike_policy is None or t.ipsec_policy is None:
        raise Untranslatable(
            f"{t.vpn.where}: vpn {t.name}: its gateway, IKE policy or IPsec policy is not "
            "defined (lint: conf-junos-undefined)"
        )
    key, where = t.key()
    if not key or key.startswith(ENCRYPTED):
        raise Untranslatable(
            f"{where}: ike policy {t.ike_policy.name}'s key is "
            + ("encrypted by Junos ($9$…)" if key else "not set")
            + ": give the twin the plain key (pre-shared-key ascii-text <key>)"
        )
    peer = t.peer or ""
    if not is_ipv4(peer):
        raise Untranslatable(
            f"{t.gateway.where}: gateway {t.gateway_name}'s address is "
            f"{peer or 'not set'} (the twin needs AWS's tunnel address)"
        )
    for p in t.proposals(ike=True):
        method = p.node.value("authentication-method") if p.node else None
        if method not in (None, "pre-shared-keys"):
            raise Untranslatable(
                f"{p.node.where_of('authentication-method')}: proposal {p.name} "
                f"authenticates with {method}: AWS's tunnels use pre-shared keys"
            )
    version = {"v1-only": "1", "v2-only": "2"}.get(t.version)
    if version is None:
        raise Untranslatable(f"{t.gateway.where_of('version')}: version {t.version}: unknown")
    pfs = t.pfs()
    address, at = unit_address(t.conf, t.interface)
    routes = static_routes(t.conf, t.interface)
    start = t.start_action()
    interval, threshold = t.dpd()
    mode = t.value(t.ike_policy, defaults.IKE_POLICY, f"ike policy {t.ike_policy.name}", "mode")
    if version == "1" and any(
        (p.node.value("encryption-algorithm") or "").endswith("-gcm") for p in t.proposals(True)
    ):
        raise Untranslatable(
            f"{t.ike_policy.where_of('proposals')}: ike policy {t.ike_policy.name} offers GCM "
            f"to an IKEv1 gateway ({t.gateway_name}): IKEv1 has no GCM for its IKE SA"
        )
    return TwinTunnel(
        n,
        t.name,
        t.name,
        version,
        peer,
        key,
        ", ".join(_proposal(p, ike=True) for p in _defined(t, ike=True)),
        ", ".join(_proposal(p, ike=False, pfs=pfs) for p in _defined(t, ike=False)),
        str(_lifetime(_defined(t, ike=True), defaults.IKE_LIFETIME)),
        str(_lifetime(_defined(t, ike=False), defaults.IPSEC_LIFETIME)),
        interval,
        start,
        "restart" if start == "start" else ("trap" if start == "trap" else "clear"),
        local_id=_identity(t, "local-identity") or t.local_identity(),
        remote_id=_identity(t, "remote-identity"),
        aggressive=version == "1" and mode == "aggressive",
        local_ts=_proxy(t, "local"),
        remote_ts=_proxy(t, "remote"),
        address=interface_address(address, at, "st0 address"),
        routes=tuple(_route(r.destination, r.where) for r in routes),
        persistent=start != "start",  # on traffic: the st0 unit is there before its SAs
        metric=min((r.metric for r in routes), default=0),
        dpd_timeout=interval * threshold,
    )


def _identity(t: JunosTunnel, which: str) -> str | None:
    """A local- or remote-identity as strongSwan writes it; distinguished-name and
    key-id are not translated."""
    kind, value = t.identity(which)
    if kind in (None, "inet", "hostname", "user-at-hostname"):
        return value
    raise Untranslatable(
        f"{t.gateway.where_of(which)}: gateway {t.gateway_name}'s {which} is a {kind}: not "
        "translated (inet, hostname and user-at-hostname are)"
    )


def _routing_untranslatable(conf: JunosConf, tunnels: list[JunosTunnel]) -> list[str]:
    """The routing the twin does not model: routing instances, and one destination
    routed into two st0 units with one preference (Junos's own choice of next hop)."""
    out = []
    instances = conf.root.at("routing-instances")
    if instances is not None:
        out.append(
            f"{instances.where}: routing-instances: their routes, st0 units and BGP are not "
            "read yet; the twin would route nothing"
        )
    seen: dict[tuple[str, int], str] = {}
    for t in tunnels:
        for r in static_routes(conf, t.interface):
            other = seen.setdefault((r.destination, r.metric), t.interface or "")
            if other != t.interface:
                out.append(
                    f"{r.where}: {r.destination} has {other} and {t.interface} as next hops of "
                    f"one preference ({r.metric}): which one Junos uses is not modelled; make "
                    "the backup a qualified-next-hop with preference 6"
                )
    return list(dict.fromkeys(out))


def _defined(t: JunosTunnel, ike: bool) -> list[Proposal]:
    policy = t.ike_policy if ike else t.ipsec_policy
    if policy.value("proposal-set"):
        raise Untranslatable(
            f"{policy.where_of('proposal-set')}: proposal-set {policy.value('proposal-set')}: "
            "Juniper's tables of these sets are not in vpnlab's sources; name proposals"
        )
    found = t.proposals(ike)
    if not found:
        raise Untranslatable(f"{policy.where}: policy {policy.name} names no proposals")
    for p in found:
        if p.node is None:
            where = policy.where_of("proposals")
            raise Untranslatable(f"{where}: proposal {p.name} is not defined")
    return found


def _proposal(p: Proposal, ike: bool, pfs: str | None = None) -> str:
    cipher = p.node.value("encryption-algorithm")
    hashed = p.node.value("authentication-algorithm")
    group = p.node.value("dh-group") if ike else pfs
    if cipher not in CIPHERS or (hashed and hashed not in HASHES):
        raise Untranslatable(
            f"{p.node.where}: proposal {p.name}: {cipher or 'no encryption-algorithm'}"
            f"{' ' + hashed if hashed else ''} has no twin (Junos has no default for them)"
        )
    if ike and group_number(group) not in GROUPS:
        raise Untranslatable(f"{p.node.where}: proposal {p.name}: dh-group {group} has no twin")
    if not ike and p.node.value("protocol") == "ah":
        raise Untranslatable(f"{p.node.where}: proposal {p.name} is AH: AWS carries ESP only")
    parts = [CIPHERS[cipher][1]]
    if cipher in GCM_PRF:
        parts += ["prf" + HASHES[GCM_PRF[cipher]][1]] if ike else []
    elif hashed:
        parts.append(HASHES[hashed][1])
    else:
        raise Untranslatable(f"{p.node.where}: proposal {p.name} has no authentication-algorithm")
    if group:
        if group_number(group) not in GROUPS:
            raise Untranslatable(f"{p.node.where}: PFS {group} has no twin")
        parts.append(GROUPS[group_number(group)])
    return "-".join(parts)


def _lifetime(proposals: list[Proposal], default: int) -> int:
    """The first proposal's lifetime (the one AWS's proposals meet first)."""
    found = proposals[0].node.value("lifetime-seconds") if proposals else None
    return int(found) if found and found.isdecimal() else default


def _proxy(t: JunosTunnel, side: str) -> str:
    value = t.vpn.value("ike", "proxy-identity", side)
    if value is None:
        return "0.0.0.0/0"
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        said = f"{t.vpn.where}: proxy-identity {side} {value!r} is no subnet"
        raise Untranslatable(said) from None


def _route(destination: str, where: str) -> str:
    try:
        return str(ipaddress.IPv4Network(destination, strict=False))
    except ValueError:
        raise Untranslatable(f"{where}: static route {destination!r} is no network") from None
