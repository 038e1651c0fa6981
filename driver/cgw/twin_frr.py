"""A router's BGP as FRR runs it: its twin's routing, beside its IPsec
(twin_swanctl.py).

The dialect reads the router's ``router bgp`` into the record FRR's own files are
read into (driver/cgw/frr/conf.py's BgpConfig: the ASN, each neighbour's remote AS,
timers, activation, shutdown and default-originate, the networks); this writes it as
FRR's configuration. Routers ask for no policy on eBGP, so the twin says ``no bgp
ebgp-requires-policy`` (FRR's RFC 8212 default would otherwise route nothing);
``network`` keeps FRR's import check, as IOS advertises only a prefix in its routing
table, unless the router's record says it has none (VyOS). What the twin cannot be
faithful to is refused: route maps and prefix lists (a policy language of their
own), redistribution (the twin's routing table is not the router's), peer groups,
local-as.
"""

from __future__ import annotations

from driver.cgw.frr.conf import BgpConfig
from driver.cgw.router import Untranslatable

FRR_CONF = "/etc/frr/frr.conf"
FRR_DAEMONS = "/etc/frr/daemons"


def routing(bgp: BgpConfig | None, vendor: str, problems: list[str]) -> dict[str, str]:
    """The twin's FRR files for the router's BGP (none without BGP); what cannot be
    translated is added to ``problems``, so the twin says every reason at once."""
    if bgp is None:
        return {}
    try:
        return frr_files(bgp, vendor)
    except Untranslatable as exc:
        problems.append(str(exc))
        return {}


def frr_files(bgp: BgpConfig, vendor: str) -> dict[str, str]:
    problems = _untranslatable(bgp)
    if problems:
        raise Untranslatable("\n  ".join(problems))
    lines = [
        f"! vpnlab: the BGP of the {vendor} in {bgp.source}, as FRR runs it (its twin)",
        "frr defaults traditional",
        "!",
        f"router bgp {bgp.asn}",
        f" ! the {vendor} asks for no policy on eBGP; FRR would otherwise route nothing",
        " no bgp ebgp-requires-policy",
    ]
    if not bgp.import_check:
        lines.append(" no bgp network import-check")
    if bgp.timers:
        lines.append(f" timers bgp {bgp.timers[0]} {bgp.timers[1]}")
    for address, peer in bgp.neighbors.items():
        lines.append(f" neighbor {address} remote-as {peer.remote_as}")
        if peer.timers:
            lines.append(f" neighbor {address} timers {peer.timers[0]} {peer.timers[1]}")
        # the lab's, not the router's: a session tried before its tunnel is up retries
        # in 2 s rather than FRR's 120 s
        lines.append(f" neighbor {address} timers connect 2")
        if peer.shutdown:
            lines.append(f" neighbor {address} shutdown")
    lines += [" !", " address-family ipv4 unicast"]
    # a network written in each of the router's router bgp blocks is one network
    lines += [f"  network {prefix}" for prefix in dict.fromkeys(p for p, _ in bgp.networks)]
    for address, peer in bgp.neighbors.items():
        active = peer.activated if peer.activated is not None else bgp.default_ipv4
        lines.append(f"  {'' if active else 'no '}neighbor {address} activate")
        if peer.default_originate:
            lines.append(f"  neighbor {address} default-originate")
    lines += [" exit-address-family", "!", ""]
    daemons = (
        f"# vpnlab: FRR's daemons for the {vendor}'s twin: zebra and bgpd, the VTYs on\n"
        "# the loopback only.\n"
        "bgpd=yes\nvtysh_enable=yes\n"
        'zebra_options="  -A 127.0.0.1 -s 90000000"\nbgpd_options="   -A 127.0.0.1"\n'
    )
    return {FRR_CONF: "\n".join(lines), FRR_DAEMONS: daemons}


def _untranslatable(bgp: BgpConfig) -> list[str]:
    src = bgp.source
    problems = []
    if bgp.asn is None:
        problems.append(f"{src}: router bgp names no AS number")
    for address, peer in bgp.neighbors.items():
        where = f"{src}:{peer.line}"
        if peer.policy_in or peer.policy_out:
            problems.append(
                f"{where}: neighbor {address} has a route map, prefix or filter list: the "
                "twin does not translate routing policy"
            )
        if peer.group or peer.local_as:
            what = "a peer group" if peer.group else "local-as"
            problems.append(f"{where}: neighbor {address} uses {what}: not translated yet")
        if not (peer.remote_as or "").isdecimal():
            problems.append(f"{where}: neighbor {address} has no numeric remote-as")
    problems += [
        f"{src}:{line}: redistribute {what}: the twin's routing table is not the router's"
        for what, line in bgp.redistributes
    ]
    return problems
