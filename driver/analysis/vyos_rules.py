"""Lint of a VyOS (or EdgeOS) configuration against the VPN connection: VyOS's own
traps first (a line it would not load, a group or vti named but not defined,
no key-exchange — IKEv2 first — or one the tunnel refuses, PFS off or in a group
AWS refuses, lifetimes beyond AWS's, a vti address outside the inside CIDR, nothing
routed into the vtis, BGP in a syntax VyOS 1.2 and later refuse, BGP announcing
nothing), then the rules every implementation's tunnels answer to, with their
fixes in VyOS's words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import in_words, misplaced_inside, said_once, shared_findings
from driver.analysis.vyos_words import BGP_HINTS, HINTS, WORDS
from driver.cgw.folder import CustomerConfigError
from driver.cgw.record import tunnel_numbers
from driver.cgw.vyos import defaults, files
from driver.cgw.vyos.bgp import bgp_node, vyatta_syntax, vyos_bgp
from driver.cgw.vyos.conf import VyosConf
from driver.cgw.vyos.proposals import of_record
from driver.cgw.vyos.routes import static_routes
from driver.cgw.vyos.tunnels import VyosTunnel, inside_cidr, record, secrets_of, vyos_tunnels
from driver.cgw.vyos.twin import reasons
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

VYOS_RULES = {
    "conf-vyos-syntax": "a line VyOS would not load as written",
    "conf-vyos-undefined": "an ike-group, esp-group or vti a peer names but nothing defines",
    "conf-vyos-key-exchange": "no key-exchange (IKEv2 first), or a version the tunnel refuses",
    "conf-vyos-pfs": "esp-group pfs disable, or a PFS group AWS refuses",
    "conf-vyos-lifetime": "an SA lifetime beyond the tunnel's",
    "conf-vyos-vti-address": "a vti with no address, or one outside the inside CIDR",
    "conf-vyos-no-route": "nothing routed into the vtis (no static route, no BGP)",
    "conf-vyos-bgp-syntax": "BGP in Vyatta's syntax, which VyOS 1.2 and later refuse",
    "conf-vyos-bgp-network": "BGP announces nothing: no network, no redistribute",
}
_ESP = "set vpn ipsec esp-group"


def lint_vyos(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding("conf-vyos-syntax", "error", where, what,
                "give vpnlab `show configuration commands` of the router")
        for where, what in conf.problems
    ]  # fmt: skip
    tunnels = vyos_tunnels(conf)
    out += _undefined(tunnels)
    usable = [t for t in tunnels if t.ike is not None and t.esp is not None]
    records = [record(t) for t in usable]
    out += shared_findings(
        lab, config, "VyOS", usable, records, secrets_of(usable), _proposal_findings,
        WORDS, HINTS,
    )  # fmt: skip
    bgp = vyos_bgp(conf, str(config))
    out += [in_words(f, {}, BGP_HINTS) for f in router_findings(lab, bgp, str(config))]
    out += _bgp_syntax(conf) + _bgp_network(conf, bgp)
    numbers = tunnel_numbers(records)
    out += _key_exchange(lab, usable, numbers) + _lifetimes(lab, usable, numbers)
    out += _addresses(lab, usable, numbers, bgp is not None)
    out += _routes(lab, conf, usable, bgp is not None)
    return said_once(out)


def _undefined(tunnels: list[VyosTunnel]) -> list[Finding]:
    """What a peer names that nothing defines: VyOS refuses the commit (a missing key
    is the shared conf-secret-missing)."""
    return [
        Finding("conf-vyos-undefined", "error", r.where, r.what, _define(r.what))
        for t in tunnels
        for r in reasons(t)
        if r.kind == "undefined"
    ]


def _define(what: str) -> str:
    if "vti bind" in what:
        return "set interfaces vti vtiN address <the tunnel's inside address>/30"
    if "ike-group" in what:
        return ("set vpn ipsec ike-group <group> proposal 1 encryption aes128; … hash sha256; "
                "… dh-group 14")  # fmt: skip
    return f"{_ESP} <group> proposal 1 encryption aes128; … hash sha256"


def _proposal_findings(t: VyosTunnel, lab: Lab, i: int, options: TunnelOptions):
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    for kind, text, aws, ike, group in (
        ("IKE", t.ike_words(), options.phase1, True, t.ike),
        ("ESP", t.esp_words(), options.phase2, False, t.esp),
    ):
        where = t.where("proposal", group=group)
        name = f"{'ike' if ike else 'esp'}-group {group.name}"  # the group's, not the peer's
        offered = of_record(text)
        if not any(acceptable(p, aws, ike) for p in offered):
            fix = HINTS["conf-ike-proposal" if ike else "conf-esp-proposal"]
            out.append(no_common(kind, where, f"{name}: no {kind} proposal in '{text}'", aws,
                                 fix))  # fmt: skip
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(name, kind, offered, where)
        ]
    return out + _pfs(t, options)


def _pfs(t: VyosTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS requires PFS in phase 2, in its phase 2 DH groups."""
    group = t.pfs_group()
    allowed = sorted(options.phase2.dh_groups)
    if group is None:
        said = "pfs disable: AWS requires PFS in phase 2, so it refuses the rekeys"
    elif not group.isdecimal() or int(group) not in allowed:
        how = "pfs enable: the first IKE proposal's" if t.pfs == "enable" else f"pfs {t.pfs}"
        said = (f"PFS uses DH group {group} ({how}), none of the groups "
                f"AWS rekeys phase 2 with ({', '.join(map(str, allowed))})")  # fmt: skip
    else:
        return []
    fix = f"{_ESP} {t.esp.name} pfs dh-group{14 if 14 in allowed else allowed[-1]}"
    return [Finding("conf-vyos-pfs", "error", t.where("pfs", group=t.esp),
                    f"esp-group {t.esp.name}: {said}", fix)]  # fmt: skip


def _key_exchange(lab: Lab, tunnels: list[VyosTunnel], numbers: list[int]) -> list[Finding]:
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else lab.vpn.tunnel_options
        allowed = {v.removeprefix("ikev") for v in options.ike_versions}
        version, where = t.version, t.where("key-exchange", group=t.ike)
        fix = f"set vpn ipsec ike-group {t.ike.name} key-exchange ikev{max(allowed)}"
        if version == "0" and "2" not in allowed:
            out.append(Finding(
                "conf-vyos-key-exchange", "error", where,
                f"{t.label}: no key-exchange: {t.platform} starts IKEv2 and never IKEv1, "
                "which is all the tunnel allows: only AWS's own IKEv1 attempts bring it up"
                + _guessed(t), fix,
            ))  # fmt: skip
        elif version == "0":
            out.append(Finding(
                "conf-vyos-key-exchange", "info", where,
                f"{t.label}: no key-exchange: {t.platform} starts IKEv2 and answers "
                "either version (AWS's Vyatta sample means IKEv1, but never says so)"
                + _guessed(t), fix + " (say which)",
            ))  # fmt: skip
        elif version not in allowed:
            out.append(Finding(
                "conf-vyos-key-exchange", "error", where,
                f"{t.label}: key-exchange ikev{version}, which the tunnel does not allow "
                f"({', '.join(sorted(options.ike_versions))})", fix,
            ))  # fmt: skip
    return out


def _guessed(t: VyosTunnel) -> str:
    """Set commands in 1.3's syntax are VyOS 1.3's or EdgeOS's, which starts IKEv1."""
    if t.platform != defaults.VYOS_13 or t.conf.form != "set":
        return ""
    return (" (set commands in this syntax may be EdgeOS's, which starts IKEv1: from an "
            "EdgeRouter, give the whole `show configuration commands`, whose services say "
            "so, or `show configuration`, whose footer does)")  # fmt: skip


def _lifetimes(lab: Lab, tunnels: list[VyosTunnel], numbers: list[int]) -> list[Finding]:
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else lab.vpn.tunnel_options
        for ike, phase, group in ((True, options.phase1, t.ike), (False, options.phase2, t.esp)):
            seconds = t.lifetime(ike)
            if not ike and t.platform == defaults.VYOS_14 and seconds < defaults.CHILD_REKEY:
                out.append(Finding(
                    "conf-vyos-lifetime", "warning", t.where("lifetime", group=group),
                    f"{t.label}: esp-group {group.name} lifetime is {seconds} s: VyOS 1.4 "
                    "writes it as strongSwan's life_time and no rekey_time, so its strongSwan "
                    f"(5.9) rekeys at {defaults.CHILD_REKEY} s, after the SA expired; AWS's own "
                    "rekeys keep the tunnel up only while AWS rekeys first",
                    f"set vpn ipsec esp-group {group.name} lifetime {defaults.CHILD_REKEY}",
                ))  # fmt: skip
            if seconds > phase.lifetime:
                kind = "ike-group" if ike else "esp-group"
                out.append(Finding(
                    "conf-vyos-lifetime", "warning", t.where("lifetime", group=group),
                    f"{t.label}: {kind} {group.name} lifetime is {seconds} s, beyond the "
                    f"tunnel's {phase.lifetime} s",
                    f"set vpn ipsec {kind} {group.name} lifetime {phase.lifetime}",
                ))  # fmt: skip
    return out


def _addresses(lab: Lab, tunnels: list[VyosTunnel], numbers: list[int], bgp: bool):
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        if t.vti is None or t.interface is None:
            continue
        address, where = t.address()
        inside = lab.tunnels[n].inside_cidr if n < len(lab.tunnels) else None
        if address is None:
            if bgp:
                out.append(Finding(
                    "conf-vyos-vti-address", "error", where,
                    f"{t.label}: interfaces vti {t.vti} has no address: BGP over it has nothing "
                    "to peer from",
                    f"set interfaces vti {t.vti} address <its inside address>/30",
                ))  # fmt: skip
            continue
        expected = misplaced_inside(address, inside) if inside else None
        if expected is not None:
            out.append(Finding(
                "conf-vyos-vti-address", "error", where,
                f"{t.label}: interfaces vti {t.vti} address {address} is not the customer "
                f"gateway's inside address of Tunnel{n + 1} ({expected}, in {inside})",
                f"set interfaces vti {t.vti} address {expected}",
            ))  # fmt: skip
    return out


def _routes(lab: Lab, conf: VyosConf, tunnels: list[VyosTunnel], bgp: bool):
    vtis = [t for t in tunnels if t.vti]
    if not vtis or bgp or any(static_routes(conf, t.vti, inside_cidr(t)) for t in vtis):
        return []
    return [Finding(
        "conf-vyos-no-route", "error", vtis[0].peer.where,
        f"nothing is routed into {' and '.join(t.vti for t in vtis)}: no protocols static route "
        "names them and no BGP runs over them, so the tunnels come up and carry nothing",
        f"set protocols static route {lab.aws.vpc_cidr} interface {vtis[0].vti} (1.3: "
        f"interface-route … next-hop-interface), and one with distance 10 via "
        f"{vtis[-1].vti}",
    )]  # fmt: skip


def _bgp_syntax(conf: VyosConf) -> list[Finding]:
    return [
        Finding("conf-vyos-bgp-syntax", "warning", node.where,
                f"{what}: Vyatta's and EdgeOS's syntax (AWS's Vyatta sample writes it); VyOS 1.2 "
                "and later refuse the command, so the router announces nothing", fix)
        for node, what, fix in vyatta_syntax(conf)
    ]  # fmt: skip


def _bgp_network(conf: VyosConf, bgp) -> list[Finding]:
    if bgp is None or bgp.networks or bgp.redistributes:
        return []
    node, asn, _ = bgp_node(conf)
    prefix = "set protocols bgp " + ("" if conf.platform == defaults.VYOS_14 else f"{asn} ")
    return [Finding(
        "conf-vyos-bgp-network", "warning", node.where,
        "BGP announces nothing: no network and no redistribute, so AWS learns no route to the "
        "customer's networks",
        f"{prefix}address-family ipv4-unicast network <your network>",
    )]  # fmt: skip
