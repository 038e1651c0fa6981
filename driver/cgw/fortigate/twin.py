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
offload, fragmentation), policies (``config firewall policy``), BGP (so far).
"""

from __future__ import annotations

import ipaddress
import shlex

from driver.cgw.fortigate.conf import FortiConf
from driver.cgw.fortigate.defaults import DEFAULT_RELEASE
from driver.cgw.fortigate.tunnels import FortiTunnel, forti_tunnels, inside_cidr, subnet
from driver.cgw.router import Twin, Untranslatable, refused
from driver.core.addresses import is_ipv4

SWANCTL = "/etc/swanctl/swanctl.conf"
UPDOWN = "/etc/swanctl/fortigate-twin-updown.sh"
CIPHERS = {
    "des": "des", "3des": "3des", "aes128": "aes128", "aes192": "aes192", "aes256": "aes256",
    "aes128gcm": "aes128gcm16", "aes256gcm": "aes256gcm16",
    "chacha20poly1305": "chacha20poly1305",
}  # fmt: skip
HASHES = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384",
          "sha512": "sha512"}  # fmt: skip
GROUPS = {
    1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072",
    16: "modp4096", 17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384",
    21: "ecp521", 27: "ecp224bp", 28: "ecp256bp", 29: "ecp384bp", 30: "ecp512bp",
    31: "curve25519", 32: "curve448",
}  # fmt: skip


def twin(conf: FortiConf, source: str) -> Twin:
    tunnels = forti_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    gateways = [t.phase1.get("remote-gw") or "" for t in tunnels]
    if len(tunnels) != 2 or len(set(gateways)) != 2:
        problems.append(
            f"{source}: {len(tunnels)} phase 2 tunnel(s) to {len(set(gateways))} remote "
            "gateway(s); an AWS VPN connection is two tunnels, one phase 1 and one phase 2 each"
        )
    if any(conf.entries("router bgp/neighbor")):
        problems.append(
            f"{source}: config router bgp has neighbours: the twin does not run BGP yet "
            "(`vpnlab lint` judges the rest)"
        )
    if problems:
        raise refused("FortiGate", problems)
    connections, secrets, lines = [], [], []
    psks, starts = {}, {}
    for n, t in enumerate(tunnels, start=1):
        key = t.phase1.get("psksecret") or ""
        if not key or key.startswith("ENC "):
            problems.append(
                f"{t.where('phase1', 'psksecret')}: {t.phase1.name}'s key is "
                + ("encrypted by FortiOS (ENC …)" if key else "not set")
                + ": give the twin the plain key (set psksecret <key>)"
            )
            continue
        try:
            connections.append(_connection(t, n))
        except Untranslatable as exc:
            problems.append(str(exc))
            continue
        secrets.append(_secret(t, n, key))
        lines.append(_interface(conf, t, n))
        address = t.phase1.get("remote-gw") or ""
        psks[address] = key
        starts[address] = "start" if t.value("phase2", "auto-negotiate") == "enable" else "trap"
    if problems:
        raise refused("FortiGate", problems)
    header = (
        f"# vpnlab: the twin of the FortiGate in {source}: strongSwan negotiating as\n"
        f"# FortiOS {DEFAULT_RELEASE} would, from its phase1/phase2-interface entries.\n"
    )
    swanctl = header + "connections {\n" + "".join(connections) + "}\n"
    swanctl += "secrets {\n" + "".join(secrets) + "}\n"
    defaulted = sorted({d for t in tunnels for d in t.defaulted})
    return Twin(
        {SWANCTL: swanctl, UPDOWN: _updown(lines)},
        (tunnels[0].phase1.get("remote-gw") or "", tunnels[1].phase1.get("remote-gw") or ""),
        psks,
        starts,
        frozenset({UPDOWN}),
        defaulted,
    )


def _connection(t: FortiTunnel, n: int) -> str:
    p1, p2 = t.phase1, t.phase2
    version = t.value("phase1", "ike-version")
    ike = proposals(t, "phase1")
    esp = proposals(t, "phase2", pfs=t.value("phase2", "pfs") == "enable")
    dpd = t.value("phase1", "dpd")
    interval = p1.get("dpd-retryinterval") or "20"  # FortiOS's CLI example's value
    local_id = p1.get("localid")
    auto = t.value("phase2", "auto-negotiate") == "enable"
    src, dst = _network(t, "src-subnet"), _network(t, "dst-subnet")
    gateway = p1.get("remote-gw") or ""
    if not is_ipv4(gateway):
        raise Untranslatable(
            f"{t.where('phase1', 'remote-gw')}: remote-gw {gateway!r} is no address"
        )
    return f"""\
    {_name(p1.name)} {{
        version = {version}
        remote_addrs = {p1.get("remote-gw")}
        proposals = {ike}
        rekey_time = {t.value("phase1", "keylife")}s
        dpd_delay = {interval if dpd != "disable" else 0}s
        aggressive = {"yes" if t.value("phase1", "mode") == "aggressive" else "no"}
        local {{
            auth = psk{f"{chr(10)}            id = {_quoted(local_id)}" if local_id else ""}
        }}
        remote {{
            auth = psk
            id = {p1.get("remote-gw")}
        }}
        children {{
            {_name(p2.name)} {{
                local_ts = {src}
                remote_ts = {dst}
                esp_proposals = {esp}
                rekey_time = {t.value("phase2", "keylifeseconds")}s
                start_action = {"start" if auto else "trap"}
                dpd_action = {"restart" if auto else "clear"}
                if_id_in = {n}
                if_id_out = {n}
                updown = {UPDOWN}
            }}
        }}
    }}
"""


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
        if not g.isdigit() or int(g) not in GROUPS:
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


def _secret(t: FortiTunnel, n: int, key: str) -> str:
    gateway = t.phase1.get("remote-gw")
    return f"    ike-{n} {{\n        id = {gateway}\n        secret = {_quoted(key)}\n    }}\n"


def _interface(conf: FortiConf, t: FortiTunnel, n: int) -> str:
    """The updown's line for tunnel n: its interface address and the routes into it."""
    cidr = inside_cidr(conf, t.phase1.name)
    interface = next((e for e in conf.entries("system interface") if e.name == t.phase1.name), None)
    address = interface.get("ip").split()[0] if interface and interface.get("ip") else ""
    prefix = ipaddress.IPv4Network(cidr).prefixlen if cidr else 32
    routes = [
        subnet(route.get("dst") or "0.0.0.0 0.0.0.0")
        for route in conf.entries("router static")
        if (route.get("device") or "") == t.phase1.name
    ]
    words = [str(n), f"{address}/{prefix}" if address else "-", *routes]
    return " ".join(shlex.quote(w) for w in words)


def _updown(lines: list[str]) -> str:
    return f"""#!/bin/sh
# vpnlab: the FortiGate twin's tunnel interfaces, as FortiOS makes one per
# phase1-interface: an XFRM interface with the tunnel interface's address, and the
# static routes FortiOS sends into it. One line per tunnel: if_id, address, routes.
tunnel() {{
    case "$1" in "$PLUTO_IF_ID_OUT") ;; *) return ;; esac
    n="$1"; device="fgt$1"; address="$2"; shift 2
    case "$PLUTO_VERB" in
        up-client)
            ip link add "$device" type xfrm dev eth0 if_id "$PLUTO_IF_ID_OUT" 2>/dev/null
            [ "$address" = "-" ] || ip address replace "$address" dev "$device"
            ip link set "$device" up
            for route in "$@"; do ip route replace "$route" dev "$device" metric "$n"; done
            ;;
        down-client)
            ip link del "$device" 2>/dev/null
            ;;
    esac
}}
{chr(10).join(f"tunnel {line}" for line in lines)}
"""


def _network(t: FortiTunnel, key: str) -> str:
    value = subnet(t.value("phase2", key))
    try:
        return str(ipaddress.IPv4Network(value))
    except ValueError:
        raise Untranslatable(f"{t.where('phase2', key)}: {key} {value!r} is no subnet") from None


def _quoted(value: str) -> str:
    """A value as swanctl reads a quoted string (its own words, nothing more)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _name(name: str) -> str:
    """A FortiOS entry name as a swanctl section name (letters, digits, '-', '_')."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "tunnel"
