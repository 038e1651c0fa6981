"""An OPNsense router's Connections as strongSwan files that negotiate as OPNsense's
would: its twin.

OPNsense writes swanctl.conf from the Connections model itself, each enabled item's
non-empty fields as they are (``Swanctl::getConfig``, opnsense/core @ f95e8151), so
the twin is that file: each child a connection with its connection's proposals,
version, lifetimes, DPD, keying tries and identities, the child's ESP proposals,
start, close and DPD actions and selectors, and a child with a VTI an XFRM
interface (OPNsense's ``ipsec<reqid>``) with the VTI's inside address and the static
routes whose gateway is its far end. What the file leaves empty is the model's
default or strongSwan's (defaults.py).

What the twin cannot be is said, not guessed (``Untranslatable``): IPsec switched
off, legacy tunnels beside the Connections, forced UDP encapsulation, a child
under a connection that has others, ``trap|start`` (strongSwan 6's), a key it does
not have. What it never shows: FreeBSD's IPsec stack (``if_ipsec``, reqid binding),
MOBIKE (strongSwan's default either way), the firewall's IPsec rules.
"""

from __future__ import annotations

from pathlib import Path

from driver.cgw.opnsense import defaults, files
from driver.cgw.opnsense.conf import flag
from driver.cgw.opnsense.tunnels import OpnTunnel, opn_tunnels, static_routes
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel, ipv4_network, secret_text
from driver.cgw.twin_swanctl import twin as twin_of

UPDOWN = "/etc/swanctl/opnsense-twin-updown.sh"
VENDOR = "OPNsense"


def twin(config: Path) -> Twin:
    conf = files.load(config)
    tunnels = opn_tunnels(conf)
    static_routes(conf, tunnels)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    if not files.ipsec_enabled(conf):
        problems.append(f"{config}: IPsec is off (VPN > IPsec > Connections: Enable IPsec is "
                        "unchecked): OPNsense starts no strongSwan")  # fmt: skip
    problems += [
        f"{p.where}: a legacy tunnel (phase 1 {p.value('ikeid')}) beside the Connections: "
        "vpnlab reads the Connections model only"
        for p in files.legacy_phase1s(conf)
    ]
    header = (
        f"# vpnlab: the twin of the OPNsense router in {config}: strongSwan with the\n"
        f"# swanctl.conf {defaults.RELEASE} writes from its Connections.\n"
    )
    return twin_of(VENDOR, tunnels, _tunnel, problems, header, UPDOWN, "ipsec")


def _tunnel(t: OpnTunnel, n: int) -> TwinTunnel:
    problems = [f"{where}: {what}" for _, where, what in t.problems]
    start = t.sa("start_action") or "start"
    if start == "trap|start":
        problems.append(f"{t.child.where_of('start_action')}: {t.name}: start action Trap+start "
                        "is strongSwan 6's; the twin runs strongSwan 5.9")  # fmt: skip
    if flag(t.connection, "encap", defaults.CONNECTION["encap"]):
        problems.append(f"{t.connection.where_of('encap')}: {t.name}: UDP encapsulation is "
                        "forced; the twin does not force it")  # fmt: skip
    if "/" in t.name:  # a connection with several children: several SA pairs to one peer
        problems.append(f"{t.connection.where}: {t.name}: a connection with several children: "
                        "the twin writes one child per connection (not yet)")  # fmt: skip
    if t.key is None:
        problems.append(
            f"{t.key_where or t.connection.where}: {t.name}: "
            + (
                "its pre-shared key is empty"
                if t.key_where
                else "no pre-shared key (VPN > IPsec > Pre-Shared Keys) has its identities"
            )  # fmt: skip
        )
    remote = (t.remote_addrs or "").split(",")[0]
    local_ts, remote_ts = t.selectors
    try:
        local_ts = ipv4_network(local_ts or "0.0.0.0/0", t.child.where_of("local_ts"))
        remote_ts = ipv4_network(remote_ts or "0.0.0.0/0", t.child.where_of("remote_ts"))
        routes = tuple(ipv4_network(r, t.vti.where) for r in t.routes) if t.vti else ()
    except Untranslatable as exc:
        problems.append(str(exc))
    if problems:
        raise Untranslatable("\n  ".join(problems))
    reauth = t.connection.value("reauth_time") or "0"
    keyingtries = t.connection.value("keyingtries")
    return TwinTunnel(
        n,
        t.name,
        t.name,
        t.ike("version") or "0",
        remote,
        secret_text(t.key.secret if t.key else ""),
        t.ike("proposals") or "default",
        t.sa("esp_proposals") or "default",
        t.connection.value("rekey_time") or defaults.IKE_REKEY_TIME,
        t.sa("rekey_time") or defaults.CHILD["rekey_time"],
        int(t.connection.value("dpd_delay") or "0"),
        start.replace("route", "trap"),
        {"start": "restart"}.get(t.sa("dpd_action") or "clear", t.sa("dpd_action") or "clear"),
        local_id=t.local_id,
        aggressive=flag(t.connection, "aggressive", "0"),
        local_ts=local_ts,
        remote_ts=remote_ts,
        address=t.address or "-",
        routes=routes,
        interface=t.vti is not None,
        persistent=t.vti is not None,  # OPNsense's ipsecN is there whether or not its SAs are
        remote_id=t.remote_id,
        dpd_timeout=int(t.connection.value("dpd_timeout") or "0"),
        reauth=reauth != "0" and t.connection.value("rekey_time") in (None, "0"),
        close_action=t.sa("close_action") or "none",  # swanctl's own words
        keyingtries=defaults.KEYINGTRIES if keyingtries is None else int(keyingtries),
        reauth_time=reauth,
    )
