"""A router's twin written out: one swanctl connection per tunnel and, for its
route-based tunnels, an updown script that makes the router's tunnel interface (an
XFRM interface with its address) and its static routes into it. Each dialect's
twin.py translates its vendor's words into a ``TwinTunnel``; what strongSwan then
reads is written here once, the same for every vendor."""

from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from driver.cgw.frr.conf import BgpConfig
from driver.cgw.router import Twin, Untranslatable, refused
from driver.cgw.twin_frr import routing

SWANCTL = "/etc/swanctl/swanctl.conf"
# IKE's Diffie-Hellman group numbers (IANA) as strongSwan names them
GROUPS = {
    1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072",
    16: "modp4096", 17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384",
    21: "ecp521", 22: "modp1024s160", 23: "modp2048s224", 24: "modp2048s256",
    25: "ecp192", 26: "ecp224", 27: "ecp224bp", 28: "ecp256bp", 29: "ecp384bp", 30: "ecp512bp",
    31: "curve25519", 32: "curve448",
}  # fmt: skip


@dataclass
class TwinTunnel:
    """One tunnel as strongSwan is to negotiate it, in strongSwan's words."""

    n: int  # the tunnel's number: its XFRM if_id and route metric
    name: str  # the router's name for the tunnel (its IKE connection)
    child: str  # the router's name for the SA pair
    version: str  # "1" | "2"
    remote: str  # AWS's outside address
    key: str  # the pre-shared key
    proposals: str  # IKE, strongSwan's syntax
    esp_proposals: str
    rekey_time: str  # IKE SA lifetime, seconds
    child_rekey_time: str
    dpd_delay: int  # seconds; 0: the router sends no DPD
    start_action: str  # start (brings itself up) | trap (on traffic) | none (answers)
    dpd_action: str  # restart | clear | trap
    local_id: str | None = None
    aggressive: bool = False
    local_ts: str = "0.0.0.0/0"
    remote_ts: str = "0.0.0.0/0"
    address: str = "-"  # the tunnel interface's address/prefix, "-" for none
    routes: tuple[str, ...] = ()  # the static routes the router sends into it
    interface: bool = True  # route-based (a tunnel interface); else policy-based
    # the interface and its routes are there whether or not its SAs are, as a router
    # whose tunnel interface stays up keeps them (traffic routed into it starts the
    # tunnel: start_action trap); else they come and go with the SAs
    persistent: bool = False
    metric: int = 0  # its static routes' metric; 0: the tunnel's number (Tunnel1 first)
    remote_id: str | None = None  # the identity it expects of AWS; None: AWS's address
    dpd_timeout: int = 0  # IKEv1: seconds without an answer before the peer is dead
    reauth: bool = False  # its IKE SA is authenticated anew, not rekeyed (IKEv1 always is)
    close_action: str = "none"  # what it does when the peer deletes the SAs
    keyingtries: int = 0  # 0: it tries again for ever
    reauth_time: str = "0"  # IKEv2: a reauthentication beside its rekeys (0: none)


T = TypeVar("T")


def twin(
    vendor: str,
    tunnels: Sequence[T],
    translate: Callable[[T, int], TwinTunnel],
    problems: list[str],
    header: str,
    updown_path: str,
    device: str,
    bgp: BgpConfig | None = None,
) -> Twin:
    """Each tunnel translated (numbered from 1), and the router's BGP as FRR's files
    (twin_frr.py), or, with ``problems`` the vendor found first, every reason the twin
    cannot be faithful, at once and each once. A vendor's tunnel notes in
    ``defaulted`` the platform defaults its translation relied on."""
    bgp_files = routing(bgp, vendor, problems)
    translated = []
    for n, t in enumerate(tunnels, start=1):
        try:
            translated.append(_unquoted_values_safe(translate(t, n)))
        except Untranslatable as exc:
            problems.append(str(exc))
    peers = list(dict.fromkeys(t.remote for t in translated))
    if not problems and len(peers) != 2:
        problems.append(
            f"{len(peers)} peer(s) ({', '.join(peers) or 'none'}): an AWS VPN connection is "
            "two tunnels, one to each of its two outside addresses"
        )
    if problems:
        raise refused(vendor, list(dict.fromkeys(problems)))
    files = {SWANCTL: swanctl(translated, header, updown_path)} | bgp_files
    if any(t.interface for t in translated):
        files[updown_path] = updown([t for t in translated if t.interface], vendor, device)
    kept = [t for t in translated if t.interface and t.persistent]
    first = {t.remote: t for t in reversed(translated)}  # each peer's first tunnel
    return Twin(
        files,
        (peers[0], peers[1]),
        {peer: first[peer].key for peer in peers},
        {peer: first[peer].start_action for peer in peers},
        frozenset(p for p in files if p == updown_path),
        sorted({d for t in tunnels for d in t.defaulted}),
        tuple(command for t in kept for command in interface_commands(t, device)),
    )


# what the twin writes unquoted into swanctl.conf, each dialect's translation checked
# once more here: a customer's file must not add lines of its own
_TOKENS = re.compile(r"[A-Za-z0-9_.,/:|-]+( *, *[A-Za-z0-9_.,/:|-]+)*")
_UNQUOTED = (
    "version", "remote", "proposals", "esp_proposals", "rekey_time", "child_rekey_time",
    "start_action", "dpd_action", "local_ts", "remote_ts", "close_action", "reauth_time",
)  # fmt: skip


def _unquoted_values_safe(t: TwinTunnel) -> TwinTunnel:
    bad = [f"{key} {getattr(t, key)!r}" for key in _UNQUOTED
           if not _TOKENS.fullmatch(str(getattr(t, key)))]  # fmt: skip
    if bad:
        raise Untranslatable(f"{t.name}: {', '.join(bad)}: not a value swanctl.conf takes")
    return t


def interface_commands(t: TwinTunnel, device: str) -> list[tuple[str, ...]]:
    """A persistent tunnel's interface and routes, made before its daemon starts (the
    same the updown script makes when its SAs come up)."""
    name = f"{device}{t.n}"
    out = [("ip", "link", "add", name, "type", "xfrm", "dev", "eth0", "if_id", str(t.n))]
    if t.address != "-":
        out.append(("ip", "address", "replace", t.address, "dev", name))
    out.append(("ip", "link", "set", name, "up"))
    metric = str(t.metric or t.n)
    out += [("ip", "route", "replace", r, "dev", name, "metric", metric) for r in t.routes]
    return out


def swanctl(tunnels: list[TwinTunnel], header: str, updown: str) -> str:
    # the header names the customer's file: a line break in its name stays a comment
    header = "".join(f"{line if line.startswith('#') else '# ' + line}\n"
                     for line in header.splitlines())  # fmt: skip
    connections = "".join(_connection(t, updown) for t in tunnels)
    secrets = "".join(
        f"    ike-{t.n} {{\n        id = {t.remote}\n        secret = {quoted(t.key)}\n    }}\n"
        for t in tunnels
    )
    return header + "connections {\n" + connections + "}\nsecrets {\n" + secrets + "}\n"


def _connection(t: TwinTunnel, updown: str) -> str:
    local_id = f"\n            id = {quoted(t.local_id)}" if t.local_id else ""
    # IKEv1 has no IKE SA rekeying: strongSwan, like the routers, authenticates anew
    lifetime = "reauth_time" if t.version == "1" or t.reauth else "rekey_time"
    return f"""\
    {name(t.name)} {{
        version = {t.version}
        remote_addrs = {t.remote}
        proposals = {t.proposals}
        {lifetime} = {t.rekey_time}s{_reauth(t, lifetime)}
        dpd_delay = {t.dpd_delay}s{_dpd_timeout(t)}
        keyingtries = {t.keyingtries}
        aggressive = {"yes" if t.aggressive else "no"}
        local {{
            auth = psk{local_id}
        }}
        remote {{
            auth = psk
            id = {quoted(t.remote_id) if t.remote_id else t.remote}
        }}
        children {{
            {name(t.child)} {{
                local_ts = {t.local_ts}
                remote_ts = {t.remote_ts}
                esp_proposals = {t.esp_proposals}
                rekey_time = {t.child_rekey_time}s
                start_action = {t.start_action}
                dpd_action = {t.dpd_action}{_close(t)}{_interface(t, updown)}
            }}
        }}
    }}
"""


def _reauth(t: TwinTunnel, lifetime: str) -> str:
    if lifetime == "reauth_time" or t.reauth_time == "0":
        return ""
    return f"\n        reauth_time = {t.reauth_time}s"


def _close(t: TwinTunnel) -> str:
    return "" if t.close_action == "none" else f"\n                close_action = {t.close_action}"


def _dpd_timeout(t: TwinTunnel) -> str:
    """IKEv1's DPD gives up after dpd_timeout (strongSwan's default 150 s), IKEv2's
    after its retransmissions: only IKEv1 takes the router's count."""
    if t.version != "1" or not t.dpd_timeout:
        return ""
    return f"\n        dpd_timeout = {t.dpd_timeout}s"


def _interface(t: TwinTunnel, updown: str) -> str:
    """A route-based tunnel's SAs belong to its XFRM interface, which updown makes."""
    if not t.interface:
        return ""
    return (
        f"\n                if_id_in = {t.n}\n                if_id_out = {t.n}"
        f"\n                updown = {updown}"
    )


def updown(tunnels: list[TwinTunnel], vendor: str, device: str) -> str:
    """The script making each tunnel's interface (``<device><n>``) as it comes up."""
    lines = [
        "tunnel " + " ".join(shlex.quote(w) for w in (str(t.n), t.address, *t.routes))
        for t in tunnels
    ]
    kept = " ".join(str(t.n) for t in tunnels if t.persistent)
    metrics = "".join(f"{t.n}) echo {t.metric} ;; " for t in tunnels if t.metric)
    return f"""#!/bin/sh
# vpnlab: the {vendor} twin's tunnel interfaces, as the {vendor} has one per tunnel:
# an XFRM interface with the tunnel interface's address, and the static routes the
# {vendor} sends into it. One line per tunnel: if_id, address, routes. The tunnels
# in PERSISTENT keep theirs when their SAs go, as the {vendor}'s do.
PERSISTENT=" {kept} "
metric() {{ case "$1" in {metrics}*) echo "$1" ;; esac; }}
tunnel() {{
    case "$1" in "$PLUTO_IF_ID_OUT") ;; *) return ;; esac
    n="$1"; device="{device}$1"; address="$2"; shift 2
    case "$PLUTO_VERB" in
        up-client)
            ip link add "$device" type xfrm dev eth0 if_id "$PLUTO_IF_ID_OUT" 2>/dev/null
            [ "$address" = "-" ] || ip address replace "$address" dev "$device"
            ip link set "$device" up
            for route in "$@"; do
                ip route replace "$route" dev "$device" metric "$(metric "$n")"
            done
            ;;
        down-client)
            case "$PERSISTENT" in *" $n "*) ;; *) ip link del "$device" 2>/dev/null ;; esac
            ;;
    esac
}}
{chr(10).join(lines)}
"""


def quoted(value: str) -> str:
    """A value as swanctl reads a quoted string (its own words, nothing more)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def name(value: str) -> str:
    """A router's name for something as a swanctl section name (letters, digits, -, _)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in value) or "tunnel"


def secret_text(key: str) -> str:
    """A router's text key as swanctl reads it: one that would read as hex or base64
    (``0x…``, ``0s…``) written as the hex of its bytes."""
    return "0x" + key.encode().hex() if key.startswith(("0x", "0s")) else key


def ipv4_network(value: str, where: str) -> str:
    """A route's or selector's network as the twin writes it, or refused at ``where``."""
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        raise Untranslatable(f"{where}: {value!r} is no IPv4 network") from None


def interface_address(address: str | None, where: str, what: str) -> str:
    """A tunnel interface's address/prefix (``what``: the router's word for it) as the
    twin writes it, "-" for none, or refused at ``where``."""
    if not address:
        return "-"
    try:
        return str(ipaddress.IPv4Interface(address))
    except ValueError:
        raise Untranslatable(f"{where}: {what} {address!r} is no address") from None
