"""A Cisco ASA's tunnels as strongSwan files that negotiate as the ASA would: its twin.

Each ``interface TunnelN`` with ``tunnel protection ipsec profile`` (a VTI: starts
at once, an XFRM interface with its address and the ``route <nameif> …`` routes
into it), and each crypto map entry's access-list entry (policy-based: its
selectors, started by traffic; an entry whose selectors an earlier one matches
only answers, as the ASA sends by the first), becomes a swanctl connection,
translated as Cisco IOS's are (driver/cgw/cisco_ios/twin.py): the ASA's IKE
policies and transform sets or IKEv2 ipsec-proposals in strongSwan's words, the
entry's PFS group, the lifetimes, DPD from the tunnel group's ``isakmp
keepalive`` (on by default). What the file leaves out is the ASA's default
(defaults.py). Its ``router bgp`` runs as FRR.

What the twin cannot be is said, not guessed (``Untranslatable``): a key
``show running-config`` masked (``*****``), a crypto map entry with a backup peer
(the twin does not fail over), a tunnel group or IKE policy missing. What it never
shows: the ASA's own IKE stack, ``sla monitor`` tracking, its semi-periodic DPD,
hardware crypto, fragmentation (``crypto ipsec fragmentation``, ``df-bit``).
"""

from __future__ import annotations

import dataclasses

from driver.cgw.cisco_asa import defaults
from driver.cgw.cisco_asa.bgp import asa_bgp
from driver.cgw.cisco_asa.proposals import strongswan
from driver.cgw.cisco_asa.tunnels import asa_tunnels
from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.cisco_ios.twin import cisco_tunnel, shadowed
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel
from driver.cgw.twin_swanctl import twin as twin_of

UPDOWN = "/etc/swanctl/cisco-asa-twin-updown.sh"
VENDOR = "Cisco ASA"
ASA_SAID = {
    "masked": "masked (*****) or encrypted in the file",
    "key": "ikev1 pre-shared-key <key>, or ikev2 local-authentication and "
    "remote-authentication pre-shared-key <key>, under tunnel-group <peer> ipsec-attributes",
    "no ikev2": "no crypto ikev2 policy (a new ASA has none)",
    "no ikev1": "no crypto ikev1 policy with authentication pre-share",
}


def twin(conf: IosConf, source: str) -> Twin:
    tunnels = asa_tunnels(conf)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    header = (
        f"# vpnlab: the twin of the Cisco ASA in {source}: strongSwan negotiating\n"
        f"# as {defaults.RELEASE} would, from its tunnel interfaces and crypto commands.\n"
    )
    answering = shadowed(tunnels)

    def translate(t: IosTunnel, n: int) -> TwinTunnel:
        made = cisco_tunnel(t, n, _ike, _esp, ASA_SAID)
        return dataclasses.replace(made, start_action="none") if t.name in answering else made

    return twin_of(VENDOR, tunnels, translate, problems, header, UPDOWN, "Tunnel", asa_bgp(conf))


def _ike(words: str, where: str, version: str) -> str:
    return _strongswan(words, where, ike=True)


def _esp(words: str, where: str, pfs: str | None) -> str:
    return _strongswan(f"{words} pfs {pfs}" if pfs else words, where, ike=False)


def _strongswan(words: str, where: str, ike: bool) -> str:
    try:
        return strongswan(words, ike)
    except KeyError as exc:
        raise Untranslatable(f"{where}: '{exc.args[0]}' has no twin in strongSwan") from None
