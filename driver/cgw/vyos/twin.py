"""A VyOS (or EdgeOS) router's tunnels as strongSwan files that negotiate as it
would: its twin. VyOS runs strongSwan itself, so the twin writes what VyOS writes
(vyos-1x ``data/templates/ipsec/swanctl/peer.j2``; 1.3's and EdgeOS's ipsec.conf
from ``vpn-config.pl``, in swanctl's words):

- its IKE version (``key-exchange``; none: ``version = 0``, IKEv2 first, either
  accepted — EdgeOS and VyOS ≤ 1.2: IKEv1), its ike-group's proposals in order
  (``aes128-sha1-modp1024``) and its esp-group's, each with the PFS group;
- lifetimes: VyOS 1.4 rekeys the IKE SA at the ike-group's lifetime and leaves the
  child's rekey at strongSwan's hour (``life_time`` only); 1.3 and EdgeOS rekey both
  ``rekeymargin`` (540 s, or half the shorter lifetime) before they end, and
  reauthenticate the IKE SA (ipsec.conf's ``reauth=yes``, which they leave);
- the ike-group's ``close-action`` (1.3's ``hold`` is swanctl's ``trap``);
- DPD only with a ``dead-peer-detection`` node (its interval, timeout and action:
  1.3's ``hold`` is swanctl's ``trap``);
- ``connection-type`` initiate (or none given) starts the tunnel at once and after
  every failure, ``respond`` on traffic (trap), ``none`` only answers;
- its identities (``authentication local-id``/``id``; 1.4 accepts any identity of
  its peer unless ``remote-id`` says), aggressive mode (IKEv1 with ``mode
  aggressive``);
- a ``vti`` peer's selectors ``0.0.0.0/0,::/0``, its SAs bound to an XFRM interface
  with the vti's address and the static routes into it (which, as VyOS's
  ``vti-up-down`` takes the vti down with its SAs, come and go with them); a
  ``tunnel N`` peer's prefixes, policy-based.

What the twin cannot be is said, not guessed (``Untranslatable``): Vyatta's BGP
syntax in a file that does not say it is EdgeOS's (VyOS 1.2 and later refuse it,
EdgeOS keeps it), a group, key or vti that is not defined, a peer that is not an
IPv4 address, certificates or RSA keys, transport mode, selectors narrowed by
protocol or port, a 1.4 esp-group lifetime under an hour (strongSwan 5.9 would let
the SA expire before its default rekey), BGP the twin's FRR cannot run as written
(twin_frr.py). What it never shows: VyOS's own build of strongSwan and its kernel,
IPComp (``compression``), forced UDP encapsulation, MOBIKE, ECMP over static routes
of one distance (the twin prefers the first tunnel), ``adjust-mss``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel, interface_address, secret_text
from driver.cgw.twin_swanctl import twin as twin_of
from driver.cgw.vyos import defaults
from driver.cgw.vyos.bgp import vyatta_syntax, vyos_bgp
from driver.cgw.vyos.conf import VyosConf
from driver.cgw.vyos.routes import static_routes
from driver.cgw.vyos.tunnels import VyosTunnel, inside_cidr, vyos_tunnels
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/vyos-twin-updown.sh"
# a vti's selectors, as peer.j2 writes them
VTI_TS = "0.0.0.0/0,::/0"


def twin(conf: VyosConf, source: str) -> Twin:
    tunnels = vyos_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    problems += [
        f"{node.where}: {what}: Vyatta's syntax, which {conf.platform} refuses and EdgeOS "
        f"keeps: on VyOS write {fix}; from EdgeOS give `show configuration` (its config.boot, "
        "whose footer says so)"
        for node, what, fix in vyatta_syntax(conf)
    ]
    header = (
        f"# vpnlab: the twin of the VyOS router in {source}: strongSwan negotiating as\n"
        f"# {conf.platform} would, from its peers, ike-groups and esp-groups.\n"
    )
    return twin_of("VyOS", tunnels, _tunnel, problems, header, UPDOWN, "vti",
                   vyos_bgp(conf, source))  # fmt: skip


def _tunnel(t: VyosTunnel, n: int) -> TwinTunnel:
    found = reasons(t)
    if found:
        raise Untranslatable("\n  ".join(f"{r.where}: {r.what}" for r in found))
    key, _ = t.key()
    version = t.version
    dpd = t.dpd()
    start = t.start_action()
    ike_rekey, child_rekey = _rekeys(t)
    vti = t.vti is not None
    address, where = t.address()
    routes = static_routes(t.conf, t.vti, inside_cidr(t)) if vti else []
    distances = {r.distance for r in routes}
    return TwinTunnel(
        n,
        t.peer.name,
        t.vti or f"tunnel-{t.child.name if t.child else n}",
        version,
        t.remote or "",
        secret_text(key or ""),
        t.ike_words(),
        t.esp_words(),
        str(ike_rekey),
        str(child_rekey),
        dpd[0] if dpd else 0,
        start,
        {"hold": "trap"}.get(dpd[2], dpd[2]) if dpd else "clear",
        local_id=t.identity(),
        remote_id=t.identity_of_peer() or ("%any" if t.platform == defaults.VYOS_14 else None),
        aggressive=t.aggressive,
        local_ts=VTI_TS if vti else _networks(t.prefixes("local"), t),
        remote_ts=VTI_TS if vti else _networks(t.prefixes("remote"), t),
        address=interface_address(address, where, "vti address") if vti else "-",
        routes=tuple(_networks(r.destination, t) for r in routes),
        interface=vti,
        # a distance of its own orders the tunnels; VyOS's default (1 on both: FRR's
        # ECMP) is run as the first tunnel preferred (0: the tunnel's number)
        metric=min(distances) if len(distances) == 1 and distances != {1} else 0,
        dpd_timeout=dpd[1] if dpd and version == "1" else 0,
        # 1.3 and EdgeOS write ipsec.conf without reauth=no: IKEv2 SAs are reauthenticated
        reauth=t.platform != defaults.VYOS_14,
        close_action=_close_action(t),
    )


def _close_action(t: VyosTunnel) -> str:
    """The ike-group's close-action: 1.4 writes it as is (none, trap, start), 1.3's
    ipsec.conf closeaction (none, clear, hold, restart) in swanctl's words."""
    given = t.ike.value("close-action") if t.ike else None
    return {"hold": "trap", "restart": "start"}.get(given or "none", given or "none")


@dataclass(frozen=True)
class Reason:
    """Why a tunnel cannot run as written: ``undefined`` (VyOS refuses the commit:
    lint says so too) or ``untranslatable`` (VyOS runs it; the twin cannot)."""

    kind: str
    where: str
    what: str


def reasons(t: VyosTunnel) -> list[Reason]:
    """What VyOS would refuse to commit, or the twin cannot run, for this tunnel."""
    where, out = t.peer.where, []

    def add(kind: str, at: str, what: str) -> None:
        out.append(Reason(kind, at, f"{t.label}: {what}"))

    if t.ike is None:
        add("undefined", where, f"ike-group {t.ike_group_name or '(none)'} is not defined "
            "(VyOS refuses the commit)")  # fmt: skip
    if t.esp is None:
        add("undefined", where, f"esp-group {t.esp_group_name or '(none)'} is not defined "
            "(VyOS refuses the commit)")  # fmt: skip
    if t.vti is not None and t.interface is None:
        add("undefined", t.where("vti", "bind"), f"vti bind {t.vti}, but interfaces vti "
            f"{t.vti} is not defined (VyOS refuses the commit)")  # fmt: skip
    mode = t.peer.value("authentication", "mode") or "pre-shared-secret"
    if mode != "pre-shared-secret":
        add("untranslatable", t.where("authentication", "mode"), f"authentication mode "
            f"{mode}: AWS's tunnels authenticate with pre-shared keys")  # fmt: skip
    elif t.key()[0] is None:
        add(
            "untranslatable",
            where,
            "no pre-shared key (1.3: authentication pre-shared-secret; "
            "1.4: vpn ipsec authentication psk <name> id <the peer's address> secret <key>)",
        )
    if not is_ipv4(t.remote or ""):
        add("untranslatable", where, f"the peer is {t.remote or 'any'} (the twin needs AWS's "
            "tunnel address)")  # fmt: skip
    if t.esp is not None and (t.esp.value("mode") or "tunnel") != "tunnel":
        add("untranslatable", t.where("mode", group=t.esp), f"esp-group {t.esp.name} mode "
            f"{t.esp.value('mode')}: AWS's tunnels are tunnel mode")  # fmt: skip
    narrowing = t.selector_narrowing()
    if narrowing:
        add("untranslatable", t.where(), f"{', '.join(narrowing)}: selectors narrowed to a "
            "protocol or port are not translated")  # fmt: skip
    if t.esp is not None and t.platform == defaults.VYOS_14:
        lifetime = t.lifetime(ike=False)
        if lifetime < defaults.CHILD_REKEY:
            add("untranslatable", t.where("lifetime", group=t.esp), f"esp-group {t.esp.name} "
                f"lifetime {lifetime}: VyOS 1.4 writes it as life_time with no rekey_time, so "
                f"its strongSwan (5.9) would rekey at {defaults.CHILD_REKEY} s, after the SA "
                "expired; not run")  # fmt: skip
    return out


def _rekeys(t: VyosTunnel) -> tuple[int, int]:
    """When the IKE SA and the child SA rekey, as the platform writes their lifetimes."""
    ike, esp = t.lifetime(ike=True), t.lifetime(ike=False)
    if t.platform == defaults.VYOS_14:
        return ike, min(esp, defaults.CHILD_REKEY)
    margin = defaults.REKEY_MARGIN
    if min(ike, esp) <= 2 * margin:
        margin = min(ike, esp) // 2 - 1
    return ike - margin, esp - margin


def _networks(value: str | None, t: VyosTunnel) -> str:
    if not value:
        raise Untranslatable(f"{t.where()}: {t.label}: no local and remote prefix")
    try:
        return ",".join(str(ipaddress.ip_network(v, strict=False)) for v in value.split(","))
    except ValueError:
        raise Untranslatable(f"{t.where()}: {t.label}: {value!r} is no network") from None
