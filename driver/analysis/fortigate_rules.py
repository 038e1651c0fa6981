"""Lint of a FortiGate's configuration (FortiOS CLI) against the VPN connection:
FortiOS's own traps first (a block pasted without its ``next``/``end``, a phase 2
naming a phase 1 that is not there, a proposal left to a default FortiOS does not
document, a default that changes between releases), then the rules every
implementation's tunnels answer to, with their fixes in FortiOS's words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import in_words, shared_findings
from driver.cgw.folder import CustomerConfigError
from driver.cgw.fortigate import defaults, files
from driver.cgw.fortigate.bgp import forti_bgp
from driver.cgw.fortigate.proposals import in_aws_names
from driver.cgw.fortigate.tunnels import (
    PHASE1_TABLE,
    PHASE2_TABLE,
    FortiTunnel,
    forti_tunnels,
    secrets_of,
)
from driver.cgw.fortigate.tunnels import record as tunnel_record
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

FORTIGATE_RULES = {
    "conf-fortigate-unterminated": "a FortiOS entry or table never closed with next/end (pasted)",
    "conf-fortigate-phase1name": "a phase2-interface names a phase 1 that is not defined",
    "conf-fortigate-no-proposal": "a phase without a proposal: FortiOS documents no default list",
    "conf-fortigate-default": "a key left to a FortiOS default that changes between releases",
    "conf-fortigate-pfs": "phase 2 PFS off, or no DH group AWS's rekey accepts",
}
# The shared rules' words for what FortiOS calls otherwise.
WORDS = {
    "(start_action = none)": "(phase 2 auto-negotiate disable)",
    "dpdaction is hold": "phase 2 auto-negotiate is disable",
}
# The shared rules' fixes, in FortiOS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: a phase1-interface (set remote-gw <the "
    "tunnel's outside IP>) and a phase2-interface naming it, for each",
    "conf-no-initiator": "set auto-negotiate enable in the phase2-interface: FortiOS then "
    "brings the tunnel up itself",
    "conf-dpdaction": "set dpd on-idle in the phase1-interface and auto-negotiate enable in "
    "the phase2-interface",
    "conf-right": "set remote-gw to the tunnel's outside IP address",
    "conf-selectors": "set src-subnet and dst-subnet in the phase2-interface (or leave both "
    "0.0.0.0 0.0.0.0, as route-based tunnels do)",
    "conf-leftid": "set localid to the customer gateway's public address, or leave it out",
    "conf-mtu": "set mtu 1427 and tcp-mss 1387 on the tunnel interface (config system "
    "interface), as AWS's sample does",
    "conf-weak-proposal": "set proposal aes256-sha256 and set dhgrp 14 (or higher)",
    "conf-psk-mismatch": "set psksecret in the phase1-interface to the VPN connection's key",
    "conf-secret-missing": "set psksecret in the phase1-interface to the VPN connection's key",
}


# The BGP rules' fixes (cgw_bgp_rules.py), in FortiOS's words.
BGP_HINTS = {
    "bgp-remote-as": "set remote-as <the VGW's ASN> in config router bgp > config neighbor > "
    "edit <AWS's inside address>",
    "bgp-local-as": "set as <the customer gateway's ASN> in config router bgp",
    "bgp-neighbors": "config router bgp > config neighbor > edit <AWS's inside address, the "
    ".1 of each tunnel's /30> > set remote-as <the VGW's ASN>",
    "bgp-timers": "set keep-alive-timer 10 and set holdtime-timer 30 in the neighbor",
    "bgp-config-missing": "config router bgp: set as <the customer gateway's ASN> and a "
    "neighbor per tunnel",
    "bgp-shutdown": "unset shutdown in the neighbor",
}


def lint_fortigate(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        customer = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    conf = customer.conf
    out = [
        Finding(
            "conf-fortigate-unterminated",
            "error",
            where,
            what,
            "close every entry with 'next' and every table with 'end'",
        )
        for where, what in conf.problems
    ]
    phase1 = {e.name for e in conf.entries(PHASE1_TABLE)}
    out += [
        Finding(
            "conf-fortigate-phase1name",
            "error",
            f"{p2.source}:{p2.line}",
            f"phase2-interface {p2.name} names phase 1 '{p2.get('phase1name', '')}', which "
            "is not defined: FortiOS brings no tunnel up for it",
            f"set phase1name to one of: {', '.join(sorted(phase1)) or '(none defined)'}",
        )
        for p2 in conf.entries(PHASE2_TABLE)
        if p2.get("phase1name", "") not in phase1
    ]
    tunnels = forti_tunnels(conf)
    records = [tunnel_record(t) for t in tunnels]
    out += shared_findings(
        lab, config, "FortiGate", tunnels, records, secrets_of(tunnels),
        _proposal_findings, WORDS, HINTS,
    )  # fmt: skip
    bgp = router_findings(lab, forti_bgp(conf, str(config)), str(config))
    out += [in_words(f, {}, BGP_HINTS) for f in bgp]
    out += _defaults(tunnels)
    return out


def _proposal_findings(t: FortiTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    for phase, kind, aws in (("phase1", "IKE", options.phase1), ("phase2", "ESP", options.phase2)):
        proposal = t.value(phase, "proposal")
        where = t.where(phase, "proposal")
        if not proposal:
            out.append(
                Finding(
                    "conf-fortigate-no-proposal",
                    "warning",
                    where,
                    f"{t.phase1.name if phase == 'phase1' else t.phase2.name}: {phase} sets no "
                    "proposal, and FortiOS's CLI reference states no default list: what it "
                    "offers depends on the release",
                    f"set proposal in the {phase}-interface, e.g. aes256-sha256",
                )
            )
            continue
        pfs = phase == "phase1" or t.value("phase2", "pfs") == "enable"
        offered = in_aws_names(proposal, t.value(phase, "dhgrp"), pfs)
        if not any(acceptable(p, aws, kind == "IKE") for p in offered):
            dh = t.value(phase, "dhgrp")
            fix = f"set proposal and dhgrp in the {phase}-interface to what the VPN allows"
            said = f"{t.phase2.name}: no {kind} proposal in '{proposal}' (dhgrp {dh})"
            out.append(no_common(kind, where, said, aws, fix))
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.phase2.name, kind, offered, where)
        ]
    out += _pfs(t, options)
    return out


def _pfs(t: FortiTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS rekeys phase 2 with PFS, in its phase 2 DH groups."""
    if t.value("phase2", "pfs") != "enable":
        return [
            Finding(
                "conf-fortigate-pfs",
                "error",
                t.where("phase2", "pfs"),
                f"{t.phase2.name}: set pfs disable: the first SA comes up, but AWS requires "
                "PFS when it rekeys phase 2",
                "set pfs enable and a dhgrp the VPN connection allows in the phase2-interface",
            )
        ]
    groups = {int(g) for g in t.value("phase2", "dhgrp").split() if g.isdecimal()}
    if groups & set(options.phase2.dh_groups):
        return []
    return [
        Finding(
            "conf-fortigate-pfs",
            "error",
            t.where("phase2", "dhgrp"),
            f"{t.phase2.name}: phase 2 DH groups {sorted(groups)} are none of those AWS "
            f"rekeys with ({', '.join(map(str, options.phase2.dh_groups))})",
            "set dhgrp in the phase2-interface to one the VPN connection allows, e.g. 14",
        )
    ]


def _defaults(tunnels: list[FortiTunnel]) -> list[Finding]:
    """A key the configuration leaves to a default that differs between releases."""
    out = []
    for t in tunnels:
        for phase, table in (("phase1", defaults.PHASE1), ("phase2", defaults.PHASE2)):
            entry = t.phase1 if phase == "phase1" else t.phase2
            for key in ("ike-version", "dhgrp"):
                if key in table and entry.get(key) is None and defaults.differs(table, key):
                    said = ", ".join(f"{r}: {table[key][r]}" for r in defaults.RELEASES)
                    out.append(
                        Finding(
                            "conf-fortigate-default",
                            "warning",
                            f"{entry.source}:{entry.line}",
                            f"{entry.name}: {phase} leaves {key} to FortiOS's default, which "
                            f"depends on the release ({said}); vpnlab assumes "
                            f"{defaults.DEFAULT_RELEASE}",
                            f"set {key} in the {phase}-interface",
                        )
                    )
    return out
