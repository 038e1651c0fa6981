"""Lint of a Juniper SRX's configuration (Junos: set commands or the hierarchical
form) against the VPN connection: Junos's own traps first (a statement it would
not load, a gateway, policy or proposal named but never defined, a proposal
without its algorithms, no PFS, a VPN bound to no st0 unit, an st0 unit without
its address or outside the VPN's inside CIDR, nothing routed into the tunnels, a
VPN that waits for traffic the routes never send it), then the rules every
implementation's tunnels answer to, with their fixes in Junos's words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.junos_words import BGP_HINTS, HINTS, IMMEDIATELY, WORDS
from driver.analysis.router_rules import (
    apart_from,
    in_words,
    misplaced_inside,
    shared_findings,
)
from driver.cgw.folder import CustomerConfigError
from driver.cgw.junos import files
from driver.cgw.junos.bgp import junos_bgp
from driver.cgw.junos.conf import JunosConf
from driver.cgw.junos.proposals import group_number, of_record
from driver.cgw.junos.routes import static_routes
from driver.cgw.junos.tunnels import (
    ENCRYPTED,
    IKE,
    IPSEC,
    JunosTunnel,
    junos_tunnels,
    record,
    secrets_of,
    unit_address,
)
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.aws_rules import text_behind_nat
from driver.lab.model import Lab, TunnelOptions

JUNOS_RULES = {
    "conf-junos-syntax": "a statement Junos would not load as written, or groups not expanded",
    "conf-junos-undefined": "a gateway, policy or proposal named but never defined",
    "conf-junos-proposal": "a proposal without its algorithms, or a policy without proposals",
    "conf-junos-pfs": "an IPsec policy without perfect-forward-secrecy, or a group AWS refuses",
    "conf-junos-policy-based": "a VPN bound to no st0 unit (policy-based)",
    "conf-junos-unit": "an st0 unit without its address, or outside the inside CIDR",
    "conf-junos-no-route": "nothing routed into the st0 units (no static route, no BGP)",
    "conf-junos-on-traffic": "a VPN Junos starts only on traffic, where AWS waits too",
    "conf-junos-encrypted-key": "a key Junos printed encrypted ($9$…): not comparable",
    "conf-junos-nat-t": "a gateway on a private address with no-nat-traversal",
}


def lint_junos(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding(
            "conf-junos-syntax",
            "error",
            where,
            what,
            "give vpnlab `show configuration | display set` of the SRX",
        )
        for where, what in conf.problems
    ]
    tunnels = junos_tunnels(conf)
    out += _undefined(conf, tunnels)
    known = [t for t in tunnels if t.gateway is not None]
    records = [record(t) for t in known]
    out += shared_findings(
        lab,
        config,
        "Juniper SRX",
        known,
        records,
        secrets_of(known),
        _proposal_findings,
        WORDS,
        HINTS,
    )
    encrypted = {t.label for t in known if (t.key()[0] or "").startswith(ENCRYPTED)}
    out = apart_from(out, "conf-secret-missing", encrypted)
    bgp = junos_bgp(conf, str(config))
    if bgp is not None:  # bgpd's packets into each st0 unit start a VPN on traffic again
        out = apart_from(out, "conf-dpdaction", {t.label for t in known})
    out += [in_words(f, {}, BGP_HINTS) for f in router_findings(lab, bgp, str(config))]
    out += _encrypted_keys(known)
    out += [
        Finding(
            "conf-junos-policy-based",
            "error",
            t.vpn.where,
            f"vpn {t.name} binds no st0 unit: a policy-based VPN, whose selectors come "
            "from security policies vpnlab does not read; AWS's tunnels are route-based",
            f"set security ipsec vpn {t.name} bind-interface st0.<N>",
        )
        for t in {t.name: t for t in known if t.interface is None}.values()
    ]
    numbers = tunnel_numbers(records)
    units = list({t.name: t for t in known if t.interface}.values())
    first = {t.name: n for t, n in reversed(list(zip(known, numbers, strict=True)))}
    out += _units(lab, conf, units, [first[t.name] for t in units], bgp is not None)
    out += _routes(lab, conf, units, bgp is not None)
    out += _on_traffic(lab, known, numbers, bgp is not None)
    out += _nat_t(known)
    # a policy two VPNs share is one finding at its line, not one per VPN
    return list({(f.rule, f.where, f.message.split(": ", 1)[-1]): f for f in out}.values())


def _undefined(conf: JunosConf, tunnels: list[JunosTunnel]) -> list[Finding]:
    out = {}

    def missing(where: str, who: str, what: str, name: str | None) -> None:
        out[(who, what)] = Finding(
            "conf-junos-undefined",
            "error",
            where,
            f"{who} names {what} '{name or ''}', which is not defined: Junos refuses the commit",
            f"define security {what} {name or '<name>'}, or name one that is",
        )

    for t in tunnels:
        if t.gateway is None:
            missing(
                t.vpn.where_of("ike", "gateway"), f"vpn {t.name}", "ike gateway", t.gateway_name
            )
            continue
        if t.ike_policy is None:
            name = t.gateway.value("ike-policy")
            missing(
                t.gateway.where_of("ike-policy"), f"gateway {t.gateway_name}", "ike policy", name
            )
        if t.ipsec_policy is None:
            name = t.vpn.value("ike", "ipsec-policy")
            missing(t.vpn.where_of("ike", "ipsec-policy"), f"vpn {t.name}", "ipsec policy", name)
        for ike, table in ((True, IKE), (False, IPSEC)):
            policy = t.ike_policy if ike else t.ipsec_policy
            for p in t.proposals(ike) if policy else []:
                if p.node is None:
                    kind = f"{table[1]} proposal"
                    missing(
                        policy.where_of("proposals"),
                        f"{table[1]} policy {policy.name}",
                        kind,
                        p.name,
                    )
    return list(out.values())


def _proposal_findings(t: JunosTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    made = record(t)
    for kind, text, aws, ike in (
        ("IKE", made.ike, options.phase1, True),
        ("ESP", made.esp, options.phase2, False),
    ):
        policy = t.ike_policy if ike else t.ipsec_policy
        if policy is None:
            continue  # _undefined says so
        where = policy.where_of("proposals")
        if policy.value("proposal-set"):
            out.append(
                Finding(
                    "conf-junos-proposal",
                    "warning",
                    policy.where_of("proposal-set"),
                    f"{policy.name}: proposal-set {policy.value('proposal-set')}: Juniper's "
                    "table of what the set offers is not in vpnlab's sources, so its proposals "
                    "(and PFS) are not judged, and the twin refuses it",
                    "name the proposals (security ike/ipsec proposal …) the VPN allows",
                )
            )
            continue
        defined = [p for p in t.proposals(ike) if p.node is not None]
        incomplete = [p for p in defined if not p.node.value("encryption-algorithm")]
        if not defined or incomplete:
            what = (
                f"proposal {incomplete[0].name} sets no encryption-algorithm"
                if incomplete
                else f"policy {policy.name} names no proposals (or a proposal-set)"
            )
            out.append(
                Finding(
                    "conf-junos-proposal",
                    "error",
                    where,
                    f"{what}: Junos has no default for it",
                    "set the proposal's encryption-algorithm, authentication-algorithm "
                    "and dh-group (IKE), and name it in the policy's proposals",
                )
            )
            continue
        offered = of_record(text or "", ike)
        if not any(acceptable(p, aws, ike) for p in offered):
            fix = f"set the {kind.lower() if ike else 'ipsec'} proposals to what the VPN allows"
            out.append(
                no_common(kind, where, f"{t.label}: no {kind} proposal in '{text}'", aws, fix)
            )
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.label, kind, offered, where)
        ]
    out += _pfs(t, options)
    return out


def _pfs(t: JunosTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS requires PFS in phase 2, in its phase 2 DH groups; Junos has none unless set."""
    policy = t.ipsec_policy
    if policy is None or policy.value("proposal-set"):
        return []
    group = t.pfs()
    if group is None:
        said = (
            "no perfect-forward-secrecy (Junos's default): AWS requires PFS in phase 2, so it "
            + (
                "refuses the first quick mode"
                if t.version != "v2-only"
                else "refuses the first rekey of the SA that comes up"
            )
        )
    elif group_number(group) not in options.phase2.dh_groups:
        said = (
            f"perfect-forward-secrecy keys {group} is none of the groups AWS rekeys phase 2 "
            f"with ({', '.join(map(str, options.phase2.dh_groups))})"
        )
    else:
        return []
    return [
        Finding(
            "conf-junos-pfs",
            "error",
            policy.where,
            f"{t.label}: ipsec policy {policy.name}: {said}",
            f"set security ipsec policy {policy.name} perfect-forward-secrecy keys group14",
        )
    ]


def _encrypted_keys(tunnels: list[JunosTunnel]) -> list[Finding]:
    found = {}
    for t in tunnels:
        key, where = t.key()
        if key and key.startswith(ENCRYPTED):
            found[where] = Finding(
                "conf-junos-encrypted-key",
                "info",
                where,
                f"ike policy {t.ike_policy.name}: its key is encrypted by Junos ($9$…): vpnlab "
                "cannot compare it with the VPN connection's, and the twin needs it in plain text",
                "give vpnlab a copy with the key itself (pre-shared-key ascii-text <key>)",
            )
    return list(found.values())


def _units(
    lab: Lab, conf: JunosConf, tunnels: list[JunosTunnel], numbers: list[int], bgp: bool
) -> list[Finding]:
    """Each st0 unit's address: the customer's host of its tunnel's inside CIDR."""
    out = []
    for n, t in zip(numbers, tunnels, strict=False):
        address, where = unit_address(conf, t.interface)
        inside = lab.tunnels[n].inside_cidr if n < len(lab.tunnels) else None
        if not address:
            if bgp:
                out.append(
                    Finding(
                        "conf-junos-unit",
                        "error",
                        where or t.vpn.where,
                        f"{t.interface} has no family inet address: BGP over it has "
                        "nothing to peer from",
                        f"set interfaces {t.interface} family inet address <its inside address/30>",
                    )
                )
            continue
        if not inside:
            continue
        expected = misplaced_inside(address, inside)
        if expected is not None:
            out.append(
                Finding(
                    "conf-junos-unit",
                    "error",
                    where,
                    f"{t.interface}: address {address} is not the customer gateway's "
                    f"inside address of Tunnel{n + 1} ({expected}, in {inside})",
                    f"delete interfaces {t.interface} family inet address {address}; "
                    f"set interfaces {t.interface} family inet address {expected}",
                )
            )
    return out


def _routes(lab: Lab, conf: JunosConf, tunnels: list[JunosTunnel], bgp: bool) -> list[Finding]:
    if not tunnels or bgp or any(static_routes(conf, t.interface) for t in tunnels):
        return []
    vpc = lab.aws.vpc_cidr
    return [
        Finding(
            "conf-junos-no-route",
            "error",
            tunnels[0].vpn.where,
            f"nothing is routed into {' and '.join(t.interface for t in tunnels)}: no static route "
            "has them as its next hop and no BGP runs over them, so the tunnels come up and carry "
            "nothing (AWS's static sample leaves its route as a comment)",
            f"set routing-options static route {vpc} next-hop "
            f"[ {' '.join(t.interface for t in tunnels)} ]",
        )
    ]


def _on_traffic(lab: Lab, tunnels: list[JunosTunnel], numbers: list[int], bgp: bool):
    """A VPN Junos starts only on traffic routed into it (establish-tunnels on-traffic,
    its default), where AWS waits too: with static routes one tunnel carries the
    traffic, and the other never starts."""
    if bgp:
        return []  # BGP's own packets are traffic into each st0 unit
    out = {}
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else None
        if t.start_action() == "trap" and (options is None or options.startup_action == "add"):
            out[t.name] = Finding(
                "conf-junos-on-traffic",
                "warning",
                t.vpn.where,
                f"{t.name}: establish-tunnels is on-traffic (Junos's default): Junos starts it "
                f"only when traffic is routed into {t.interface}, and the tunnel's startup "
                "action is add (AWS waits too): a tunnel the routes prefer less gets none while "
                "the other is up, so it stays down and AWS reports it DOWN",
                f"{IMMEDIATELY.replace('<vpn>', t.name)} (or vpn-monitor, whose pings start it)",
            )
    return list(out.values())


def _nat_t(tunnels: list[JunosTunnel]) -> list[Finding]:
    """``no-nat-traversal`` (AWS's own sample sets it) on a gateway whose local address
    is private, so behind NAT: its ESP is not carried in UDP 4500 (AWS: "If not behind
    NAT, we recommend disabling NAT-T")."""
    out = {}
    for t in tunnels:
        local = t.gateway.value("local-address")
        if t.gateway.at("no-nat-traversal") is None or not (local and text_behind_nat(local)):
            continue
        out[t.gateway_name] = Finding(
            "conf-junos-nat-t",
            "warning",
            t.gateway.where_of("no-nat-traversal"),
            f"gateway {t.gateway_name}: its local address {local} is private, so it sits behind "
            "NAT, and no-nat-traversal keeps its ESP out of UDP 4500, which a NAT that translates "
            "only TCP and UDP drops (the twin, strongSwan, always detects NAT: it does not show "
            "this)",
            f"delete security ike gateway {t.gateway_name} no-nat-traversal",
        )
    return list(out.values())
