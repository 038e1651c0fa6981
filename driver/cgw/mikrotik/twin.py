"""A RouterOS router's policies as strongSwan files that negotiate as RouterOS would:
its twin.

Each enabled tunnel-mode policy becomes a policy-based swanctl connection: its
peer's profile and its proposal in strongSwan's words (IKEv2: the lists as one
proposal; IKEv1: one proposal per combination, as RouterOS offers them), the
lifetimes, DPD from the profile (its failures times its interval as IKEv1's
timeout), started by traffic as RouterOS negotiates when a policy needs an SA
(a ``passive=yes`` peer only answers), and, after DPD clears it, waiting for
traffic again (its policies stay). A policy whose networks an earlier one has
only answers: RouterOS sends by the first matching policy. What the export leaves
out is RouterOS's default (defaults.py).

What the twin cannot be is said, not guessed (``Untranslatable``): a key the
export hides, a peer by name, BGP (over policy-based tunnels, the twin runs none
yet). What it never shows: RouterOS's own IKE stack, FastTrack and the firewall's
IPsec rules (lint reads them), hardware offload, fragmentation.
"""

from __future__ import annotations

from pathlib import Path

from driver.cgw.mikrotik import files
from driver.cgw.mikrotik.bgp import mt_bgp
from driver.cgw.mikrotik.proposals import strongswan
from driver.cgw.mikrotik.tunnels import MtTunnel, duration, mt_tunnels
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel, ipv4_network, secret_text
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/mikrotik-twin-updown.sh"
VENDOR = "MikroTik RouterOS"


def twin(config: Path) -> Twin:
    conf = files.load(config)
    tunnels = mt_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    bgp = mt_bgp(conf)
    if bgp is not None:
        problems.append(
            f"{config}:{next(iter(bgp.neighbors.values())).line}: BGP over RouterOS's "
            "policy-based tunnels (policies for the inside addresses) is not translated "
            "yet, and the policies alone would not be the router; vpnlab lint judges it"
        )
    header = (
        f"# vpnlab: the twin of the MikroTik router in {config}: strongSwan negotiating\n"
        f"# as {files.release(conf)} would, from its IPsec peers, profiles and policies.\n"
    )
    answering = _shadowed(tunnels)

    def translate(t: MtTunnel, n: int) -> TwinTunnel:
        return _tunnel(t, n, answering)

    return twin_of(VENDOR, tunnels, translate, problems, header, UPDOWN, "ipsec")


def _shadowed(tunnels: list[MtTunnel]) -> set[str]:
    seen: set[tuple] = set()
    out = set()
    for t in tunnels:
        if (t.local_ts, t.remote_ts) in seen:
            out.add(t.name)
        seen.add((t.local_ts, t.remote_ts))
    return out


def _tunnel(t: MtTunnel, n: int, answering: set[str]) -> TwinTunnel:
    problems = [f"{where}: {what}" for _, where, what in t.problems]
    if not t.remote or not is_ipv4(t.remote):
        problems.append(f"{t.where('version')}: {t.name}'s peer address {t.remote!r} is no address")
    if t.key is None:
        problems.append(
            f"{t.key_where or t.where('version')}: {t.name}'s key is "
            + (
                "not in the export (RouterOS hides secrets: export show-sensitive)"
                if t.key_where
                else "not configured"
            )  # fmt: skip
            + ": give the twin the plain key (/ip ipsec identity … secret=<key>)"
        )
    try:
        ike = strongswan(t.ike, ike=True, combined=t.version == "2")
        esp = strongswan(t.esp, ike=False, combined=t.version == "2")
    except KeyError as exc:
        problems.append(f"{t.where('profile')}: '{exc.args[0]}' has no twin in strongSwan")
        ike = esp = ""
    local_ts = remote_ts = ""
    try:
        local_ts = ipv4_network(t.local_ts or "0.0.0.0/0", t.policy.where)
        remote_ts = ipv4_network(t.remote_ts or "0.0.0.0/0", t.policy.where)
    except Untranslatable as exc:
        problems.append(str(exc))
    if problems:
        raise Untranslatable("\n  ".join(problems))
    passive = t.peer is not None and t.peer.get("passive") in ("yes", "true")
    dpd = t.dpd
    return TwinTunnel(
        n,
        t.name,
        t.name,
        t.version,
        t.remote or "",
        secret_text(t.key.secret if t.key else ""),
        ike,
        esp,
        str(duration(t.profile["lifetime"]) or 86400),
        str(duration(t.proposal["lifetime"]) or 1800),
        dpd[0] if dpd else 0,
        "none" if passive or t.name in answering else "trap",
        "trap",
        aggressive=t.aggressive,
        local_ts=local_ts,
        remote_ts=remote_ts,
        interface=False,
        dpd_timeout=dpd[0] * dpd[1] if dpd else 0,
    )
