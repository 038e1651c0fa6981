"""A FortiGate's tunnels as strongSwan files that negotiate as it would: its twin.

Each phase 1 with its phase 2 becomes a swanctl connection with the FortiGate's
proposals (FortiOS's words in strongSwan's: ``aes128-sha1`` with ``dhgrp 14 5`` is
``aes128-sha1-modp2048-modp1536``), IKE version, lifetimes, DPD, identity, selectors
and how it starts (phase 2 ``auto-negotiate enable``: at once; else on traffic),
each key left out taken from FortiOS's defaults (defaults.py). A phase1-interface is
a tunnel interface: the twin's is an XFRM interface (``if_id`` n) with the FortiGate's
tunnel interface address, made by an updown script that also installs the static
routes FortiOS sends into it (``config router static`` … ``set device``).

What the twin cannot be is said, not guessed (``Untranslatable``): a word FortiOS has
that strongSwan has not, a tunnel without its remote gateway or key. What it never
shows: FortiOS's own IKE stack (its bugs, its retransmission timers, hardware
offload, fragmentation), policies (``config firewall policy``). Its BGP runs as FRR (twin_frr.py).
"""

from __future__ import annotations

import ipaddress

from driver.cgw.fortigate.bgp import forti_bgp
from driver.cgw.fortigate.conf import FortiConf
from driver.cgw.fortigate.defaults import DEFAULT_RELEASE
from driver.cgw.fortigate.tunnels import FortiTunnel, forti_tunnels, inside_cidr, subnet
from driver.cgw.router import Twin, Untranslatable, refused
from driver.cgw.twin_swanctl import GROUPS, SWANCTL, TwinTunnel
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/fortigate-twin-updown.sh"
CIPHERS = {
    "des": "des", "3des": "3des", "aes128": "aes128", "aes192": "aes192", "aes256": "aes256",
    "aes128gcm": "aes128gcm16", "aes256gcm": "aes256gcm16",
    "chacha20poly1305": "chacha20poly1305",
}  # fmt: skip
HASHES = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384",
          "sha512": "sha512"}  # fmt: skip
__all__ = ["SWANCTL", "UPDOWN", "twin"]


def twin(conf: FortiConf, source: str) -> Twin:
    tunnels = forti_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    gateways = [t.phase1.get("remote-gw") or "" for t in tunnels]
    if len(tunnels) != 2 or len(set(gateways)) != 2:
        problems.append(
            f"{source}: {len(tunnels)} phase 2 tunnel(s) to {len(set(gateways))} remote "
            "gateway(s); an AWS VPN connection is two tunnels, one phase 1 and one phase 2 each"
        )
    if problems:
        raise refused("FortiGate", problems)
    header = (
        f"# vpnlab: the twin of the FortiGate in {source}: strongSwan negotiating as\n"
        f"# FortiOS {DEFAULT_RELEASE} would, from its phase1/phase2-interface entries.\n"
    )

    def translate(t: FortiTunnel, n: int) -> TwinTunnel:
        return _tunnel(conf, t, n)

    bgp = forti_bgp(conf, source)
    return twin_of("FortiGate", tunnels, translate, problems, header, UPDOWN, "fgt", bgp)


def _tunnel(conf: FortiConf, t: FortiTunnel, n: int) -> TwinTunnel:
    p1, p2 = t.phase1, t.phase2
    key = p1.get("psksecret") or ""
    if not key or key.startswith("ENC "):
        raise Untranslatable(
            f"{t.where('phase1', 'psksecret')}: {p1.name}'s key is "
            + ("encrypted by FortiOS (ENC …)" if key else "not set")
            + ": give the twin the plain key (set psksecret <key>)"
        )
    gateway = p1.get("remote-gw") or ""
    if not is_ipv4(gateway):
        raise Untranslatable(
            f"{t.where('phase1', 'remote-gw')}: remote-gw {gateway!r} is no address"
        )
    dpd = t.value("phase1", "dpd")
    interval = p1.get("dpd-retryinterval") or "20"  # FortiOS's CLI example's value
    auto = t.value("phase2", "auto-negotiate") == "enable"
    address, routes = _interface(conf, t)
    return TwinTunnel(
        n,
        p1.name,
        p2.name,
        t.value("phase1", "ike-version"),
        gateway,
        key,
        proposals(t, "phase1"),
        proposals(t, "phase2", pfs=t.value("phase2", "pfs") == "enable"),
        t.value("phase1", "keylife"),
        t.value("phase2", "keylifeseconds"),
        int(interval) if dpd != "disable" and interval.isdecimal() else 0,
        "start" if auto else "trap",
        "restart" if auto else "clear",
        local_id=p1.get("localid"),
        aggressive=t.value("phase1", "mode") == "aggressive",
        local_ts=_network(t, "src-subnet"),
        remote_ts=_network(t, "dst-subnet"),
        address=address,
        routes=routes,
    )


def proposals(t: FortiTunnel, phase: str, pfs: bool = True) -> str:
    """The phase's FortiOS proposal words as strongSwan's, each with the DH groups."""
    words = t.value(phase, "proposal").split()
    if not words:
        raise Untranslatable(
            f"{t.where(phase, 'proposal')}: {phase} sets no proposal, and FortiOS's "
            "default list is not documented: set proposal"
        )
    groups = []
    for g in t.value(phase, "dhgrp").split() if (pfs or phase == "phase1") else []:
        if not g.isdecimal() or int(g) not in GROUPS:
            raise Untranslatable(f"{t.where(phase, 'dhgrp')}: DH group {g} has no twin")
        groups.append(GROUPS[int(g)])
    out = []
    for word in words:
        cipher, _, hashed = word.partition("-")
        if cipher not in CIPHERS or (hashed and hashed.removeprefix("prf") not in HASHES):
            raise Untranslatable(f"{t.where(phase, 'proposal')}: {word} has no twin in strongSwan")
        parts = [CIPHERS[cipher]]
        if hashed.startswith("prf"):
            parts.append("prf" + HASHES[hashed.removeprefix("prf")])
        elif hashed:
            parts.append(HASHES[hashed])
        out.append("-".join(parts + groups))
    return ", ".join(out)


def _network(t: FortiTunnel, key: str) -> str:
    value = subnet(t.value("phase2", key))
    try:
        return str(ipaddress.IPv4Network(value))
    except ValueError:
        raise Untranslatable(f"{t.where('phase2', key)}: {key} {value!r} is no subnet") from None


def _interface(conf: FortiConf, t: FortiTunnel) -> tuple[str, tuple[str, ...]]:
    """The tunnel interface's address/prefix and the static routes FortiOS sends into it."""
    cidr = inside_cidr(conf, t.phase1.name)
    interface = next((e for e in conf.entries("system interface") if e.name == t.phase1.name), None)
    address = interface.get("ip").split()[0] if interface and interface.get("ip") else ""
    prefix = ipaddress.IPv4Network(cidr).prefixlen if cidr else 32
    routes = tuple(
        subnet(route.get("dst") or "0.0.0.0 0.0.0.0")
        for route in conf.entries("router static")
        if (route.get("device") or "") == t.phase1.name
    )
    return (f"{address}/{prefix}" if address else "-"), routes
