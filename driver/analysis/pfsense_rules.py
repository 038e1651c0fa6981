"""Lint of a pfSense config.xml against the VPN connection: pfSense's own traps first
(a file it would not load, a phase 2 no phase 1 owns, a phase 1 with no phase 2, PFS
off or in a group AWS refuses, lifetimes beyond AWS's, a VTI address outside the
inside CIDR, nothing routed into the VTIs, the FRR package's BGP left unread), then
the rules every implementation's tunnels answer to, with their fixes in pfSense's
words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.pfsense_words import HINTS, P1, P2, WORDS
from driver.analysis.router_rules import misplaced_inside, said_once, shared_findings
from driver.cgw.folder import CustomerConfigError
from driver.cgw.pfsense import files
from driver.cgw.pfsense.conf import PfConf
from driver.cgw.pfsense.proposals import of_record
from driver.cgw.pfsense.routes import static_routes
from driver.cgw.pfsense.tunnels import (
    PfTunnel,
    frr_package,
    pf_tunnels,
    phase1s,
    record,
    secrets_of,
)
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

PFSENSE_RULES = {
    "conf-pfsense-syntax": "a config.xml pfSense would not load (or not pfSense's)",
    "conf-pfsense-orphan": "a phase 2 no phase 1 owns, or a phase 1 with no phase 2",
    "conf-pfsense-pfs": "PFS off (pfsgroup 0), or a PFS group AWS refuses",
    "conf-pfsense-lifetime": "an SA lifetime beyond the tunnel's",
    "conf-pfsense-vti-address": "a VTI's local address outside its tunnel's inside CIDR",
    "conf-pfsense-no-route": "nothing routed into the VTIs (no static route, no BGP)",
    "conf-pfsense-frr": "the FRR package's BGP, which vpnlab does not read",
}


def lint_pfsense(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding("conf-pfsense-syntax", "error", where, what,
                "give vpnlab the router's config.xml (Diagnostics > Backup & Restore)")
        for where, what in conf.problems
    ]  # fmt: skip
    tunnels = pf_tunnels(conf)
    records = [record(t) for t in tunnels]
    out += _orphans(conf)
    out += shared_findings(
        lab, config, "pfSense", tunnels, records, secrets_of(tunnels), _proposal_findings,
        WORDS, HINTS,
    )  # fmt: skip
    numbers = tunnel_numbers(records)
    out += _lifetimes(lab, tunnels, numbers) + _addresses(lab, tunnels, numbers)
    out += _routes(lab, conf, tunnels) + _frr(conf)
    return said_once(out)


def _orphans(conf: PfConf) -> list[Finding]:
    owners = {p.value("ikeid") for p in phase1s(conf)}
    out = [
        Finding("conf-pfsense-orphan", "warning", p.where,
                f"phase 2 {p.value('reqid') or '?'} has ikeid {p.value('ikeid')}, which no phase "
                "1 has: pfSense never uses it", f"{P2}: delete it, or add it under its phase 1")
        for p in conf.root.all("ipsec", "phase2") if p.value("ikeid") not in owners
    ]  # fmt: skip
    used = {p.value("ikeid") for p in conf.root.all("ipsec", "phase2") if not p.has("disabled")}
    out += [
        Finding("conf-pfsense-orphan", "error", p.where,
                f"phase 1 {p.value('ikeid')} has no phase 2 (none, or all disabled): it "
                "negotiates no SA pair and carries nothing",
                f"{P1}: Show Phase 2 Entries > Add P2 (a Routed VTI, or the VPN connection's "
                "CIDRs)")
        for p in phase1s(conf) if not p.has("disabled") and p.value("ikeid") not in used
    ]  # fmt: skip
    return out


def _proposal_findings(t: PfTunnel, lab: Lab, i: int, options: TunnelOptions):
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    for kind, text, aws, ike, where in (
        ("IKE", t.ike_words(), options.phase1, True, t.phase1.where_of("encryption")),
        ("ESP", t.esp_words(), options.phase2, False, t.phase2s[0].where),
    ):
        offered = of_record(text)
        if not any(acceptable(p, aws, ike) for p in offered):
            fix = HINTS["conf-ike-proposal" if ike else "conf-esp-proposal"]
            out.append(no_common(kind, where, f"{t.label}: no {kind} proposal in '{text}'", aws,
                                 fix))  # fmt: skip
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.label, kind, offered, where)
        ]
    return out + _pfs(t, options)


def _pfs(t: PfTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS requires PFS in phase 2, in its phase 2 DH groups: each phase 2 says its own."""
    allowed = sorted(options.phase2.dh_groups)
    best = 14 if 14 in allowed else allowed[-1]
    refused = "its first quick mode" if t.version == "1" else "its rekeys"
    out = []
    for p2 in t.phase2s:
        group = p2.value("pfsgroup")
        if not group or group == "0":
            said = f"PFS key group is off: AWS requires PFS in phase 2, so it refuses {refused}"
        elif not group.isdecimal() or int(group) not in allowed:
            said = (f"PFS key group {group} is none of the groups AWS rekeys phase 2 with "
                    f"({', '.join(map(str, allowed))})")  # fmt: skip
        else:
            continue
        fix = f"{P2}: PFS key group {best} (<pfsgroup>{best}</pfsgroup>)"
        label = f"{t.label}: phase 2 {p2.value('reqid') or '?'}"
        out.append(Finding("conf-pfsense-pfs", "error", p2.where_of("pfsgroup"),
                           f"{label}: {said}", fix))  # fmt: skip
    return out


def _lifetimes(lab: Lab, tunnels: list[PfTunnel], numbers: list[int]) -> list[Finding]:
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else lab.vpn.tunnel_options
        for ike, phase, name in ((True, options.phase1, P1), (False, options.phase2, P2)):
            seconds, where = t.lifetime(ike)
            if seconds is not None and seconds > phase.lifetime:
                out.append(Finding(
                    "conf-pfsense-lifetime", "warning", where,
                    f"{t.label}: the {'phase 1' if ike else 'phase 2'} lifetime is {seconds} s, "
                    f"beyond the tunnel's {phase.lifetime} s", f"{name}: Life Time "
                    f"{phase.lifetime} (<lifetime>{phase.lifetime}</lifetime>)",
                ))  # fmt: skip
    return out


def _addresses(lab: Lab, tunnels: list[PfTunnel], numbers: list[int]) -> list[Finding]:
    out = []
    for n, t in zip(numbers, tunnels, strict=True):
        found = t.vti_addresses()
        inside = lab.tunnels[n].inside_cidr if n < len(lab.tunnels) else None
        if found is None or inside is None:
            continue
        expected = misplaced_inside(f"{found[0]}/30", inside)
        if expected is not None:
            p2 = next(p for p in t.phase2s if p.value("mode") == "vti")
            out.append(Finding(
                "conf-pfsense-vti-address", "error", p2.where_of("localid"),
                f"{t.label}: the VTI's local address {found[0]} is not the customer gateway's "
                f"inside address of Tunnel{n + 1} ({expected.ip}, in {inside})",
                f"{P2}: Local Network Address {expected.ip}, Remote Network Address "
                f"{list(expected.network.hosts())[0]}",
            ))  # fmt: skip
    return out


def _routes(lab: Lab, conf: PfConf, tunnels: list[PfTunnel]) -> list[Finding]:
    vtis = [t for t in tunnels if t.vti]
    if not vtis or lab.vpn.routing == "bgp" or any(static_routes(conf, t) for t in vtis):
        return []
    return [Finding(
        "conf-pfsense-no-route", "error", vtis[0].phase1.where,
        f"nothing is routed into {' and '.join(t.ifname for t in vtis)}: no static route's "
        "gateway is on a VTI, so the tunnels come up and carry nothing",
        f"System > Routing > Static Routes: {lab.aws.vpc_cidr} via the gateway of "
        f"{vtis[0].ifname}'s interface (<DESCR>_VTIV4, once Interfaces > Assignments has "
        f"{vtis[0].ifname} assigned and enabled)",
    )]  # fmt: skip


def _frr(conf: PfConf) -> list[Finding]:
    bgp = frr_package(conf)
    if bgp is None:
        return []
    return [Finding(
        "conf-pfsense-frr", "info", bgp.where,
        "the FRR package's BGP is configured here, and vpnlab does not read it yet: its "
        "neighbours, ASNs and timers are not judged, and the check refuses to run a twin "
        "without it", "judge the BGP by hand against the parameter sheet (vpnlab sheet)",
    )]  # fmt: skip
