"""Lint of a Yamaha RTX's configuration (``show config``) against the VPN
connection: the RTX's own traps first (a command it would refuse, an SA policy
named but never defined, a tunnel never enabled, PFS off, IKEv1 without phase 2
IDs, a keepalive AWS does not answer, lifetimes beyond AWS's, a tunnel address
outside the inside CIDR, nothing routed into the tunnels, NAT traversal off behind
NAT, BGP announcing nothing), then the rules every implementation's tunnels answer
to, with their fixes in the RTX's words (an RTX without ``ipsec auto refresh on``
only answers: the shared conf-no-initiator and conf-dpdaction say what that does)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import in_words, misplaced_inside, shared_findings
from driver.analysis.yamaha_words import BGP_HINTS, HINTS, WORDS
from driver.cgw.folder import CustomerConfigError
from driver.cgw.record import tunnel_numbers
from driver.cgw.yamaha import files
from driver.cgw.yamaha.bgp import yamaha_bgp
from driver.cgw.yamaha.conf import YamahaConf
from driver.cgw.yamaha.proposals import GROUPS, of_record
from driver.cgw.yamaha.routes import static_routes
from driver.cgw.yamaha.tunnels import YamahaTunnel, record, secrets_of, yamaha_tunnels
from driver.core.errors import VpnlabError
from driver.lab.aws_rules import text_behind_nat
from driver.lab.model import Lab, TunnelOptions

YAMAHA_RULES = {
    "conf-yamaha-syntax": "a command the RTX would refuse as written",
    "conf-yamaha-undefined": "ipsec tunnel names an SA policy that is never defined",
    "conf-yamaha-disabled": "an IPsec tunnel never enabled (tunnel enable N)",
    "conf-yamaha-pfs": "ipsec ike pfs off (the RTX's default), or a group AWS refuses",
    "conf-yamaha-phase2-id": "IKEv1 without ipsec ike local id / remote id: no phase 2 IDs",
    "conf-yamaha-keepalive": "a keepalive AWS does not answer, or none (no DPD)",
    "conf-yamaha-lifetime": "an SA lifetime beyond the tunnel's (the RTX's default: 28800 s)",
    "conf-yamaha-proposal-limitation": "IKEv2 without proposal-limitation: it offers all",
    "conf-yamaha-tunnel-address": "ip tunnel address missing, or outside the inside CIDR",
    "conf-yamaha-no-route": "nothing routed into the tunnels (no ip route, no BGP)",
    "conf-yamaha-nat-t": "a private local address with nat-traversal off (the default)",
    "conf-yamaha-bgp-import": "BGP announces nothing to AWS: no bgp import for its AS",
}


def lint_yamaha(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding("conf-yamaha-syntax", "error", where, what, "give vpnlab `show config` of the RTX")
        for where, what in conf.problems
    ]
    every = yamaha_tunnels(conf, enabled_only=False)
    out += _undefined(every) + _disabled(every)
    tunnels = [t for t in yamaha_tunnels(conf) if t.policy is not None]
    records = [record(t) for t in tunnels]
    out += shared_findings(
        lab, config, "Yamaha RTX", tunnels, records, secrets_of(tunnels), _proposal_findings,
        WORDS, HINTS,
    )  # fmt: skip
    bgp = yamaha_bgp(conf, str(config))
    out += [in_words(f, {}, BGP_HINTS) for f in router_findings(lab, bgp, str(config))]
    out += _bgp_import(conf, bgp)
    if tunnels and all(t.command("ip", "tunnel", "tcp", "mss", "limit") for t in tunnels):
        out = [f for f in out if f.rule != "conf-mtu"]  # the RTX clamps MSS itself
    numbers = tunnel_numbers(records)
    out += _phase2_ids(tunnels) + _keepalive(tunnels) + _limitation(tunnels)
    out += _lifetimes(lab, tunnels, numbers)
    out += _addresses(lab, tunnels, numbers, bgp is not None)
    out += _routes(lab, conf, tunnels, bgp is not None)
    out += _nat_t(tunnels)
    # a gateway two tunnels share is one finding at its line, not one per tunnel
    return list({(f.rule, f.where, f.message.split(": ", 1)[-1]): f for f in out}.values())


def _undefined(tunnels: list[YamahaTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-yamaha-undefined",
            "error",
            t.command("ipsec", "tunnel").where,
            f"{t.label}: ipsec tunnel {t.policy_id} names SA policy {t.policy_id}, which is not "
            "defined: the tunnel has no IKE gateway and never comes up",
            f"ipsec sa policy {t.policy_id} <gw> esp aes-cbc sha256-hmac",
        )
        for t in tunnels
        if t.policy is None
    ]


def _disabled(tunnels: list[YamahaTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-yamaha-disabled",
            "error",
            t.selected.where,
            f"{t.label} is never enabled: the RTX does not use it, so it never comes up",
            f"tunnel select {t.number}, then tunnel enable {t.number}",
        )
        for t in tunnels
        if not t.enabled
    ]


def _proposal_findings(t: YamahaTunnel, lab: Lab, i: int, options: TunnelOptions):
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    made = record(t)
    out = []
    for kind, text, aws, ike, where in (
        ("IKE", made.ike, options.phase1, True, t.where("encryption")),
        ("ESP", made.esp, options.phase2, False, t.policy.where),
    ):
        offered = of_record(text or "", ike)
        if not any(acceptable(p, aws, ike) for p in offered):
            fix = HINTS["conf-ike-proposal" if ike else "conf-esp-proposal"]
            out.append(no_common(kind, where, f"{t.label}: no {kind} proposal in '{text}'", aws,
                                 fix))  # fmt: skip
        if t.limited:
            out += [
                dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
                for f in weak_findings(t.label, kind, offered, where)
            ]
    return out + _pfs(t, options)


def _pfs(t: YamahaTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS requires PFS in phase 2, in its phase 2 DH groups; the RTX proposes none
    unless ``ipsec ike pfs G on`` (answering, it follows the initiator)."""
    group = t.pfs_group()
    if group is None:
        said = "ipsec ike pfs is off (the RTX's default): AWS requires PFS in phase 2, so it " + (
            "refuses the RTX's first quick mode"
            if t.version == "1"
            else "refuses the first rekey the RTX starts"
        )
        fix = f"ipsec ike pfs {t.gateway} on"
    elif GROUPS.get(group) not in options.phase2.dh_groups:
        said = (
            f"PFS uses {group} (ipsec ike group's {'second' if t.version == '1' else 'first'}"
            f" group), none of the groups AWS rekeys phase 2 with "
            f"({', '.join(map(str, options.phase2.dh_groups))})"
        )
        allowed = [w for w, g in GROUPS.items() if g in options.phase2.dh_groups]
        phase1 = t.groups()[0]
        fix = (
            f"ipsec ike group {t.gateway} " + (f"{phase1} " if t.version == "1" else "")
            + (allowed[-1] if allowed else "<a group the RTX has and AWS allows: none of "
               "modp768-modp2048 is in the tunnel's phase 2 groups>")
        )  # fmt: skip
    else:
        return []
    return [Finding("conf-yamaha-pfs", "error", t.where("pfs"), f"{t.label}: {said}", fix)]


def _phase2_ids(tunnels: list[YamahaTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-yamaha-phase2-id",
            "warning",
            t.policy.where,
            f"{t.label}: IKEv1 without ipsec ike local id / remote id: the RTX sends no IDs in "
            "quick mode (RFC 2409: the SA is then for the two gateways' own addresses); AWS's "
            "route-based tunnels carry 0.0.0.0/0, and what AWS makes of no IDs is not documented "
            "(the twin refuses it)",
            f"ipsec ike local id {t.gateway} 0.0.0.0/0 and ipsec ike remote id {t.gateway} "
            "0.0.0.0/0",
        )
        for t in tunnels
        if None in t.phase2_ids()
    ]


def _keepalive(tunnels: list[YamahaTunnel]) -> list[Finding]:
    out = []
    for t in tunnels:
        method, _, _ = t.keepalive()
        if method == "heartbeat":
            said = (
                "keepalive by heartbeat, Yamaha's own: AWS neither sends nor answers it, so "
                "the RTX may take a live tunnel for dead"
            )
        elif method == "none":
            said = (
                "no keepalive sent (ipsec ike keepalive use is "
                f"{(t.given('keepalive', 'use') or ('auto',))[0]}): the RTX notices a tunnel "
                "AWS cleared only when its SAs expire"
            )
        else:
            continue
        fix = f"ipsec ike keepalive use {t.gateway} on " + ("dpd 10 3" if t.version == "1" else
                                                             "rfc4306 10 3")  # fmt: skip
        out.append(Finding("conf-yamaha-keepalive", "warning", t.where("keepalive", "use"),
                           f"{t.label}: {said}", fix))  # fmt: skip
    return out


def _lifetimes(lab: Lab, tunnels: list[YamahaTunnel], numbers: list[int]) -> list[Finding]:
    """An SA lifetime beyond the tunnel's (its options', at most AWS's maximum): as
    IKEv1's initiator the RTX proposes its own (28,800 s for both unless set)."""
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else lab.vpn.tunnel_options
        for ike, phase, name in ((True, options.phase1, "isakmp-sa"),
                                 (False, options.phase2, "ipsec-sa")):  # fmt: skip
            seconds, where = t.lifetime(ike)
            if seconds > phase.lifetime:
                out.append(
                    Finding(
                        "conf-yamaha-lifetime",
                        "warning",
                        where,
                        f"{t.label}: the {name} lifetime is {seconds} s, beyond the tunnel's "
                        f"{phase.lifetime} s"
                        + (" (the RTX proposes it as IKEv1's initiator)" if t.version == "1"
                           else " (IKEv2 negotiates none: AWS rekeys first)"),
                        f"ipsec ike duration {name} {t.gateway} {phase.lifetime}",
                    )
                )  # fmt: skip
    return out


def _limitation(tunnels: list[YamahaTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-yamaha-proposal-limitation",
            "info",
            t.where("proposal-limitation"),
            f"{t.label}: IKEv2 without proposal-limitation on: the RTX offers every algorithm it "
            "supports (3DES, DES, MD5 and modp768 among them), whatever ipsec ike encryption, "
            "hash and the SA policy say; AWS chooses",
            f"ipsec ike proposal-limitation {t.gateway} on, to offer only what is configured",
        )
        for t in tunnels
        if not t.limited
    ]


def _addresses(lab: Lab, tunnels, numbers: list[int], bgp: bool) -> list[Finding]:
    """Each tunnel's ``ip tunnel address``: the customer's host of its inside CIDR."""
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        address = t.address
        inside = lab.tunnels[n].inside_cidr if n < len(lab.tunnels) else None
        if address is None or len(address.words) < 4:
            if bgp:
                out.append(
                    Finding("conf-yamaha-tunnel-address", "error", t.selected.where,
                            f"{t.label} has no ip tunnel address: BGP over it has nothing to "
                            "peer from",
                            f"tunnel select {t.number}, then ip tunnel address <its inside "
                            "address/30>")
                )  # fmt: skip
            continue
        expected = misplaced_inside(address.words[3], inside) if inside else None
        if expected is not None:
            out.append(
                Finding(
                    "conf-yamaha-tunnel-address",
                    "error",
                    address.where,
                    f"{t.label}: ip tunnel address {address.words[3]} is not the customer "
                    f"gateway's inside address of Tunnel{n + 1} ({expected}, in {inside})",
                    f"ip tunnel address {expected}",
                )
            )
    return out


def _routes(lab: Lab, conf: YamahaConf, tunnels: list[YamahaTunnel], bgp: bool):
    if not tunnels or bgp or any(static_routes(conf, t.number) for t in tunnels):
        return []
    gateways = " ".join(f"gateway tunnel {t.number} hide" for t in tunnels)
    return [
        Finding(
            "conf-yamaha-no-route",
            "error",
            tunnels[0].selected.where,
            f"nothing is routed into {' and '.join(t.label for t in tunnels)}: no ip route has "
            "them as its gateway and no BGP runs over them, so the tunnels come up and carry "
            "nothing",
            f"ip route {lab.aws.vpc_cidr} {gateways}",
        )
    ]


def _nat_t(tunnels: list[YamahaTunnel]) -> list[Finding]:
    """NAT traversal is off unless ``ipsec ike nat-traversal G on``, and both sides must
    enable it: an RTX on a private address (behind NAT) sends ESP a NAT that
    translates only TCP and UDP drops."""
    out = []
    for t in tunnels:
        local = t.local or ""
        if not text_behind_nat(local) or t.setting("nat-traversal") == "on":
            continue
        out.append(
            Finding(
                "conf-yamaha-nat-t",
                "warning",
                t.where("nat-traversal"),
                f"{t.label}: its local address {local} is private, so it sits behind NAT, and "
                "ipsec ike nat-traversal is off (the RTX's default): its ESP is not carried in UDP "
                "4500 (the twin, strongSwan, always detects NAT: it does not show this)",
                f"ipsec ike nat-traversal {t.gateway} on",
            )
        )
    return out


def _bgp_import(conf: YamahaConf, bgp) -> list[Finding]:
    """The RTX announces only what ``bgp import <AS> static filter N`` brings in, to
    the neighbours of that AS: AWS's sample imports for 7224, the ASN of VGWs made
    before 2018, so once the neighbours say the VGW's ASN it announces nothing."""
    if bgp is None or not bgp.neighbors:
        return []
    peers = {n.remote_as for n in bgp.neighbors.values()}
    imports = [c for c in conf.starting("bgp", "import") if c.words[2] != "filter"]
    if any(c.words[2] in peers for c in imports):
        return []
    where = imports[0].where if imports else conf.starting("bgp", "use")[-1].where
    said = (
        f"bgp import names AS {', '.join(sorted({c.words[2] for c in imports}))}, which no "
        f"neighbour has ({', '.join(sorted(p for p in peers if p))})"
        if imports
        else "no bgp import"
    )
    asn = next(iter(sorted(p for p in peers if p)), "<the VGW's ASN>")
    return [
        Finding(
            "conf-yamaha-bgp-import",
            "warning",
            where,
            f"{said}: the RTX announces nothing to AWS over BGP, so AWS learns no route to the "
            "customer's networks",
            f"bgp import {asn} static filter 1, and bgp import filter 1 equal <your network>",
        )
    ]
