"""A Cisco IOS router's tunnel interfaces as strongSwan files that negotiate as IOS
would: its twin.

Each ``interface TunnelN`` with ``tunnel protection ipsec profile``, and each
crypto map entry's access-list entry (policy-based: its selectors, started by
traffic), becomes a swanctl connection: IOS's ISAKMP policies (IKEv1) or IKEv2 proposals in
strongSwan's words (``encryption aes 128 hash sha group 2`` is
``aes128-sha1-modp1024``), the profile's transform sets with its PFS group, the
lifetimes, DPD from the keepalive, and an XFRM interface with the tunnel's
address and the static routes into it (driver/cgw/twin_swanctl.py). What the file
leaves out is IOS's default (defaults.py).

What the twin cannot be is said, not guessed (``Untranslatable``): an IKEv2 tunnel
with no ``crypto ikev2 proposal`` (IOS's default proposal depends on the release),
a key IOS printed encrypted (type 6 or 7), BGP it cannot translate (twin_frr.py); its
``router bgp`` runs as FRR. What it never shows: IOS's own IKE stack and timers, IP
SLA tracking, hardware crypto, fragmentation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from driver.cgw.cisco_ios import defaults
from driver.cgw.cisco_ios.bgp import ios_bgp
from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.cisco_ios.proposals import (
    ESP_CIPHERS,
    ESP_HASHES,
    HASHES,
    IKEV1_CIPHERS,
    IKEV2_CIPHERS,
    pairs,
    parts,
)
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.cisco_ios.tunnels import ios_tunnels
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import GROUPS, TwinTunnel
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/cisco-ios-twin-updown.sh"


def twin(conf: IosConf, source: str) -> Twin:
    tunnels = ios_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    header = (
        f"# vpnlab: the twin of the Cisco IOS router in {source}: strongSwan negotiating\n"
        f"# as {defaults.RELEASE} would, from its tunnel interfaces and crypto commands.\n"
    )
    answering = shadowed(tunnels)

    def translate(t: IosTunnel, n: int) -> TwinTunnel:
        made = _tunnel(t, n)
        # IOS sends by the first map entry that matches (the lowest sequence number); a
        # later one with the same selectors only answers when its peer starts
        return dataclasses.replace(made, start_action="none") if t.name in answering else made

    return twin_of(
        "Cisco IOS router", tunnels, translate, problems, header, UPDOWN, "Tunnel", ios_bgp(conf)
    )


def shadowed(tunnels: list[IosTunnel]) -> set[str]:
    """Crypto map entries whose selectors an entry of a lower sequence number matches."""
    mapped = [t for t in tunnels if t.at.words[0] == "crypto"]
    mapped.sort(key=lambda t: (t.at.words[2], int(t.at.words[3])))
    seen: set[tuple] = set()
    out = set()
    for t in mapped:
        selectors = (t.local_ts, t.remote_ts)
        if selectors in seen:
            out.add(t.name)
        seen.add(selectors)
    return out


# What a tunnel lacks, in IOS's words (cisco_tunnel's ``said``)
IOS_SAID = {
    "masked": "encrypted by IOS (type 6 or 7)",
    "key": "pre-shared-key address … key <key>",
    "no ikev2": "no crypto ikev2 proposal (IOS's default one depends on the release)",
    "no ikev1": "no crypto isakmp policy with authentication pre-share",
}


def _tunnel(t: IosTunnel, n: int) -> TwinTunnel:
    return cisco_tunnel(t, n, _ike, _esp, IOS_SAID)


def cisco_tunnel(
    t: IosTunnel,
    n: int,
    ike: Callable[[str, str, str], str],  # (proposal words, where, version) -> strongSwan's
    esp: Callable[[str, str, str | None], str],  # (transform words, where, pfs)
    said: dict[str, str],
) -> TwinTunnel:
    """A Cisco tunnel (IOS's or ASA's) as strongSwan is to negotiate it, or every
    reason it cannot be, at once."""
    problems = [f"{where}: {what}" for _, where, what in t.problems]
    if not t.peer or not is_ipv4(t.peer):
        problems.append(f"{t.at.where}: {t.name}'s tunnel destination {t.peer!r} is no address")
    if t.key is None:
        problems.append(
            f"{t.key_where or t.at.where}: {t.name}'s key for {t.peer} is "
            + (said["masked"] if t.key_where else "not configured")
            + f": give the twin the plain key ({said['key']})"
        )
    if not t.ike:
        problems.append(
            f"{t.at.where}: {t.name} has no IKE proposal to offer: "
            + (said["no ikev2"] if t.version == "2" else said["no ikev1"])
        )
    if problems:
        raise Untranslatable("\n  ".join(problems))
    mapped = t.at.words[0] == "crypto"  # a crypto map entry: policy-based
    return TwinTunnel(
        n,
        t.name,
        t.name,
        t.version,
        t.peer or "",
        t.key.secret if t.key else "",
        _listed(ike(words, where, t.version) for words, where in t.ike),
        _listed(esp(words, where, t.pfs) for words, where in t.transforms),
        t.ike_lifetime,
        t.sa_lifetime,
        t.dpd[0] if t.dpd else 0,
        # a protected tunnel interface brings its SAs up as it comes up; a crypto map
        # when traffic matches its access list
        "trap" if mapped else "start",
        "trap" if mapped else "restart",
        local_id=t.local_id,
        local_ts=t.local_ts or "0.0.0.0/0",
        remote_ts=t.remote_ts or "0.0.0.0/0",
        address=t.address or "-",
        routes=tuple(t.routes),
        interface=not mapped,
    )


def _listed(proposals) -> str:
    """Proposals in order, each once (two ISAKMP policies may say the same)."""
    return ", ".join(dict.fromkeys(proposals))


def _ike(words: str, where: str, version: str) -> str:
    """One IOS proposal as strongSwan's: AEAD ciphers (GCM) apart from the others, as
    strongSwan keeps them (an AEAD proposal has a PRF and no integrity; IOS takes the
    PRF from ``prf``, else from the integrity algorithm)."""
    found = parts(words)
    ciphers = IKEV2_CIPHERS if version == "2" else IKEV1_CIPHERS
    names = [_swan(w, ciphers, where) for w in pairs(found.get("encryption", []), ciphers)]
    hashes = [_swan(w, HASHES, where) for w in found.get("hash", []) + found.get("integrity", [])]
    prfs = ["prf" + _swan(w, HASHES, where) for w in found.get("prf", [])]
    groups = [_group(g, where) for g in found.get("group", [])]
    classic = [n for n in names if "gcm" not in n]
    aead = [n for n in names if "gcm" in n]
    out = []
    if classic:
        out.append("-".join(classic + hashes + prfs + groups))
    if aead:
        out.append("-".join(aead + (prfs or ["prf" + h for h in hashes]) + groups))
    return ", ".join(out)


def _esp(words: str, where: str, pfs: str | None) -> str:
    table = ESP_CIPHERS | ESP_HASHES
    out = [_swan(w, table, where) for w in pairs(parts(words).get("transforms", []), table)]
    if pfs:
        out.append(_group(pfs.removeprefix("group"), where))
    return "-".join(out)


def _swan(word: str, table: dict, where: str) -> str:
    found = table.get(word, (None, None))[1]
    if found is None:
        raise Untranslatable(f"{where}: '{word}' has no twin in strongSwan")
    return found


def _group(group: str, where: str) -> str:
    if not group.isdecimal() or int(group) not in GROUPS:
        raise Untranslatable(f"{where}: DH group {group} has no twin")
    return GROUPS[int(group)]
