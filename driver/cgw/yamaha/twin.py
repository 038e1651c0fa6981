"""A Yamaha RTX's tunnels as strongSwan files that negotiate as it would: its twin.

Each enabled ``tunnel select N`` with an SA policy becomes a swanctl connection
with its gateway's IKE version (1 unless ``ipsec ike version G 2``), its one IKE
proposal (``ipsec ike encryption``, ``hash``, ``group``) and the SA policy's ESP
cipher and integrity, with the PFS group when ``ipsec ike pfs G on`` (IKEv1: the
second group of ``ipsec ike group``, else its only one; IKEv2: its first); under
IKEv2 without ``proposal-limitation on``, everything the RTX supports that AWS could
choose (AES-256/128, SHA-256/SHA-1, modp2048/1536/1024: 3DES, DES, MD5 and modp768
are left out, as AWS refuses them anyway). Answering, the RTX follows the peer's PFS
in any group it supports (§15.30): the twin's ESP proposal lists those groups and
none after its own (charon, starting a quick mode, takes the IKE SA's group when it
is among them: an RTX whose PFS group is not its IKE group is run with its IKE group
in its own rekeys, and lint's conf-yamaha-pfs judges the group it would send). It
rekeys at 75% of a lifetime (§15.48.1). DPD (``keepalive use
G on dpd`` under IKEv1, RFC 4306 checks under IKEv2), its identity (its local name,
key-id as such, else its local address), aggressive mode (a local name, IKEv1),
quick mode's IDs, and how it starts: with ``ipsec auto refresh on`` it starts at once
and again after a failure; without, it only answers. The tunnel interface is an XFRM
interface with ``ip tunnel address`` and the ``ip route … gateway tunnel N`` routes;
``hide`` routes come and go with the tunnel, others stay.

What the twin cannot be is said, not guessed (``Untranslatable``): IKEv1 without
phase 2 IDs (the RTX then sends none; what AWS makes of that is not documented),
Yamaha's own heartbeat keepalive and ICMP echo keepalive, AH, ESP without an
integrity algorithm, no key (or a masked one), a route's filter, keepalive or weight,
one tunnel's routes with ``hide`` and without, BGP's include filters and export
filters. Round robin over several gateways of one route is run as the first gateway
preferred (the header says so). What it never shows: the RTX's own IKE stack, its
acceptance, answering IKEv1, of any cipher or hash it supports (negotiate-strictly
off: the twin accepts its configured ones), NAT traversal's switch (strongSwan
always detects NAT), df-bit, TCP MSS clamping. Its BGP runs as FRR (twin_frr.py).
"""

from __future__ import annotations

from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import (
    GROUPS,
    TwinTunnel,
    interface_address,
    ipv4_network,
    secret_text,
)
from driver.cgw.twin_swanctl import twin as twin_of
from driver.cgw.yamaha import defaults
from driver.cgw.yamaha.bgp import yamaha_bgp
from driver.cgw.yamaha.conf import YamahaConf
from driver.cgw.yamaha.proposals import CIPHERS, HASHES
from driver.cgw.yamaha.proposals import GROUPS as NUMBERS
from driver.cgw.yamaha.routes import static_routes
from driver.cgw.yamaha.tunnels import YamahaTunnel, yamaha_tunnels
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/yamaha-twin-updown.sh"
# IKEv2 without proposal-limitation: what AWS could choose of what the RTX offers
IKEV2_IKE = "aes256-aes128-sha256-sha1-modp2048-modp1536-modp1024"
IKEV2_ESP = "aes256-aes128-sha256-sha1"
# the PFS groups it answers, and none (modpnone: no PFS, where the peer uses none)
ANSWERED = ("modp2048", "modp1536", "modp1024", "modpnone")
REKEY_PERCENT = 75  # it rekeys at 75% of an SA's lifetime (§15.48.1's rekey)


def twin(conf: YamahaConf, source: str) -> Twin:
    tunnels = yamaha_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    problems += _routes_untranslatable(conf)
    header = (
        f"# vpnlab: the twin of the Yamaha RTX in {source}: strongSwan negotiating as\n"
        f"# an {defaults.RELEASE} would, from its tunnels, SA policies and ipsec ike commands.\n"
        + _round_robin(conf)
    )
    return twin_of("Yamaha RTX", tunnels, _tunnel, problems, header, UPDOWN, "tunnel",
                   yamaha_bgp(conf, source))  # fmt: skip


def _tunnel(t: YamahaTunnel, n: int) -> TwinTunnel:
    if t.policy is None:
        raise Untranslatable(
            f"{t.command('ipsec', 'tunnel').where}: {t.label}: ipsec tunnel {t.policy_id} names "
            "an SA policy that is not defined (ipsec sa policy)"
        )
    if t.policy.words[5] != "esp":
        raise Untranslatable(f"{t.policy.where}: SA policy {t.policy_id} is AH: AWS carries ESP")
    key, where = t.key()
    if not key:
        raise Untranslatable(
            f"{where}: {t.label}: no pre-shared key (ipsec ike pre-shared-key {t.gateway} text "
            "<key>; a masked one, *****, is none): give the twin the key"
        )
    remote = t.remote or ""
    if not is_ipv4(remote):
        raise Untranslatable(
            f"{t.where('remote', 'address')}: {t.label}: the peer is {remote or 'not set'} "
            "(the twin needs AWS's tunnel address)"
        )
    version = t.version
    if version not in ("1", "2"):
        raise Untranslatable(f"{t.where('version')}: ipsec ike version {version}: unknown")
    method, interval, count = t.keepalive()
    if method in ("heartbeat", "icmp-echo"):
        raise Untranslatable(
            f"{t.where('keepalive', 'use')}: {t.label}: keepalive by {method}: "
            + ("Yamaha's own heartbeat, which AWS neither sends nor answers"
               if method == "heartbeat" else "ICMP echo through the tunnel")
            + f"; not translated (ipsec ike keepalive use {t.gateway} on dpd 10 3 is DPD)"
        )  # fmt: skip
    local_ts, remote_ts = t.phase2_ids()
    if local_ts is None or remote_ts is None:
        raise Untranslatable(
            f"{t.policy.where}: {t.label}: IKEv1 without phase 2 IDs (ipsec ike local id / "
            "remote id): the RTX sends none in quick mode, and what AWS makes of that is not "
            f"documented; set ipsec ike local id {t.gateway} 0.0.0.0/0 and ipsec ike remote id "
            f"{t.gateway} 0.0.0.0/0, as AWS's route-based tunnels carry"
        )
    start = t.start_action()
    routes = static_routes(t.conf, t.number)
    if len({r.hide for r in routes}) > 1:
        raise Untranslatable(
            f"{routes[0].where}: {t.label}: routes into it with hide and without: the twin "
            "keeps a tunnel's routes all while it is down, or none; not translated"
        )
    address = t.address
    return TwinTunnel(
        n,
        t.label,
        f"policy-{t.policy_id}",
        version,
        remote,
        secret_text(key),
        _ike(t),
        _esp(t),
        _rekey(t.lifetime(ike=True)[0]),
        _rekey(t.lifetime(ike=False)[0]),
        interval,
        start,
        "restart" if start == "start" else "clear",
        local_id=t.identity(),
        remote_id=t.identity_of("remote") if version == "2" else None,
        aggressive=t.aggressive,
        local_ts=ipv4_network(local_ts, t.policy.where),
        remote_ts=ipv4_network(remote_ts, t.policy.where),
        address=interface_address(
            address.words[3] if address and len(address.words) > 3 else None,
            address.where if address else t.selected.where,
            "ip tunnel address",
        ),
        routes=tuple(ipv4_network(r.destination, r.where) for r in routes),
        persistent=any(not r.hide for r in routes),
        metric=min((r.order + 1 for r in routes), default=0),
        dpd_timeout=interval * count if version == "1" else 0,
    )


def _ike(t: YamahaTunnel) -> str:
    if not t.limited:
        return IKEV2_IKE
    cipher, hashed, group = t.ike_words().split()
    if cipher not in CIPHERS or hashed not in HASHES or group not in NUMBERS:
        raise Untranslatable(
            f"{t.where('encryption')}: {t.label}: {cipher} {hashed} {group} has no twin"
        )
    return "-".join((CIPHERS[cipher][1], HASHES[hashed][1], GROUPS[NUMBERS[group]]))


def _esp(t: YamahaTunnel) -> str:
    pfs = t.pfs_group()
    if pfs is not None and pfs not in NUMBERS:
        raise Untranslatable(f"{t.where('group')}: {t.label}: group {pfs} has no twin")
    # It proposes its PFS group (or none); answering, it follows the peer's PFS in any
    # group it supports (§15.30, negotiate-strictly off): those follow, for charon's
    # choice as a responder, never first, so its own proposal is what it starts with.
    own = GROUPS[NUMBERS[pfs]] if pfs else "modpnone"
    groups = "-".join([own, *(g for g in ANSWERED if g != own)])
    if not t.limited:
        return f"{IKEV2_ESP}-{groups}"
    cipher, hashed = t.esp_algorithms()
    if hashed is None:
        raise Untranslatable(
            f"{t.policy.where}: SA policy {t.policy_id}: esp {cipher} with no integrity "
            "algorithm (sha-hmac, sha256-hmac): AWS refuses ESP without one"
        )
    return "-".join([CIPHERS[cipher][1], HASHES[hashed][1], groups])


def _rekey(lifetime: int) -> str:
    return str(lifetime * REKEY_PERCENT // 100)


def _routes_untranslatable(conf: YamahaConf) -> list[str]:
    return [
        f"{r.where}: ip route {r.destination} gateway tunnel {r.tunnel}: "
        f"{' '.join(o for o in r.options if o != 'hide')}: a route's filter, keepalive or "
        "weight is not translated"
        for r in static_routes(conf)
        if any(o in ("filter", "keepalive", "weight") for o in r.options)
    ]


def _round_robin(conf: YamahaConf) -> str:
    shared = [r for r in static_routes(conf) if r.others and r.order == 0]
    return "".join(
        f"# {r.where}: ip route {r.destination} has {r.others + 1} gateways, which the RTX\n"
        f"# uses in turn (round robin); the twin sends into tunnel {r.tunnel} while it is up.\n"
        for r in shared
    )
