"""Lint of a MikroTik RouterOS export against the VPN connection: RouterOS's own traps
first (a line /import refuses, a peer, profile or proposal named but never
defined, a policy in transport mode, an IPsec peer or policy left disabled, PFS
off, a key the export hides, FastTrack or a masquerade that takes the tunnel's
traffic past its policy), then the rules every implementation's tunnels answer
to, with their fixes in RouterOS's words."""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.mikrotik_words import HINTS, WORDS
from driver.analysis.router_rules import apart_from, said_once, shared_findings
from driver.cgw.folder import CustomerConfigError
from driver.cgw.mikrotik import files
from driver.cgw.mikrotik.bgp import mt_bgp
from driver.cgw.mikrotik.conf import Item, RosConf
from driver.cgw.mikrotik.proposals import GROUP_NUMBERS, in_aws_names
from driver.cgw.mikrotik.tunnels import MtTunnel, mt_tunnels, record, secrets_of
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

MIKROTIK_RULES = {
    "conf-mikrotik-syntax": "a line RouterOS's /import refuses (an unclosed quote)",
    "conf-mikrotik-undefined": "a peer, profile or proposal named but never defined",
    "conf-mikrotik-transport": "a policy in transport mode (tunnel=no, the default)",
    "conf-mikrotik-auth": "an identity authenticating otherwise than with a pre-shared key",
    "conf-mikrotik-disabled": "an IPsec peer or policy left disabled: nothing negotiated",
    "conf-mikrotik-pfs": "a proposal without PFS (pfs-group=none), or a group AWS refuses",
    "conf-mikrotik-hidden-key": "an identity whose secret the export hides",
    "conf-mikrotik-fasttrack": "FastTrack ahead of the IPsec accept rules: traffic skips IPsec",
    "conf-mikrotik-nat": "a masquerade the tunnel's traffic meets before its policy",
}


def lint_mikrotik(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding("conf-mikrotik-syntax", "warning", where,
                f"{what}; /import stops at it, so nothing after it would load",
                "close the quote (an export cut while copying)")
        for where, what in conf.problems
    ]  # fmt: skip
    tunnels = mt_tunnels(conf)
    out += [
        Finding(rule, "error", where, what, _fix(rule))
        for t in tunnels
        for rule, where, what in t.problems
    ]
    records = [record(t) for t in tunnels]
    shared = shared_findings(
        lab, config, "MikroTik RouterOS", tunnels, records, secrets_of(tunnels),
        _proposal_findings, WORDS, HINTS,
    )  # fmt: skip
    hidden = {t.name for t in tunnels if t.key is None and t.key_where}
    out += apart_from(shared, "conf-secret-missing", hidden)
    out += router_findings(lab, mt_bgp(conf), str(config))
    out += _hidden(tunnels) + _disabled(conf)
    out += _fasttrack(conf) + _nat(conf, tunnels)
    return said_once(out)


def _fix(rule: str) -> str:
    return {
        "conf-mikrotik-undefined": "define it (/ip ipsec profile|proposal|peer add name=…), or "
        "name one that is",
        "conf-mikrotik-transport": "/ip ipsec policy set … tunnel=yes",
        "conf-mikrotik-auth": "/ip ipsec identity: auth-method=pre-shared-key secret=<the VPN "
        "connection's key>",
    }.get(rule, "")


def _proposal_findings(t: MtTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    for kind, text, aws, ike, where in (
        ("IKE", t.ike, options.phase1, True, t.where("profile")),
        ("ESP", t.esp, options.phase2, False, t.where("proposal")),
    ):
        offered = in_aws_names(text)
        if not any(acceptable(p, aws, ike) for p in offered):
            fix = HINTS["conf-ike-proposal" if ike else "conf-esp-proposal"]
            out.append(no_common(kind, where, f"{t.name}: no {kind} proposal in '{text}'", aws,
                                 fix))  # fmt: skip
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.name, kind, offered, where)
        ]
    return out + _pfs(t, options)


def _pfs(t: MtTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS requires PFS in phase 2, in its phase 2 DH groups."""
    allowed = sorted(options.phase2.dh_groups)
    group = t.proposal.get("pfs-group", "")
    numbers = [GROUP_NUMBERS.get(g) for g in group.split(",")]
    if group == "none":
        said = "pfs-group=none: AWS requires PFS in phase 2, so it refuses " + (
            "its quick mode" if t.version == "1" else "its rekeys")  # fmt: skip
    elif not any(n in allowed for n in numbers if n):
        said = f"pfs-group={group} is none of the groups AWS rekeys phase 2 with " + (
            f"({', '.join(map(str, allowed))})")  # fmt: skip
    else:
        return []
    return [Finding("conf-mikrotik-pfs", "error", t.where("proposal"), f"{t.name}: {said}",
                    "/ip ipsec proposal: pfs-group=modp2048")]  # fmt: skip


def _hidden(tunnels: list[MtTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-mikrotik-hidden-key",
            "info",
            t.key_where,
            f"{t.name}: its identity has no secret in the export (RouterOS hides secrets): "
            "vpnlab cannot compare it with the VPN connection's, and the twin needs it",
            "export it with its secrets: /export show-sensitive (RouterOS 7), or give the "
            "identity's secret= in the copy you send",
        )
        for t in tunnels
        if t.key is None and t.key_where
    ]


def _disabled(conf: RosConf) -> list[Finding]:
    out = []
    for path, what, key in (("/ip ipsec peer", "peer", "name"),
                            ("/ip ipsec policy", "policy", "dst-address")):  # fmt: skip
        for item in conf.menu(path):
            if item.disabled and item.get("template") not in ("yes", "true"):
                named = item.get(key) or ""
                out.append(
                    Finding(
                        "conf-mikrotik-disabled",
                        "warning",
                        item.where,
                        f"{what} {named} is disabled (disabled=yes): RouterOS negotiates "
                        "nothing for it",
                        f"{path} set [ find {key}={named} ] disabled=no, once it is right",
                    )
                )
    return out


def _filter_rules(conf: RosConf) -> list[Item]:
    return [r for r in conf.menu("/ip firewall filter") if not r.disabled]


def _fasttrack(conf: RosConf) -> list[Finding]:
    """FastTrack sends an established connection's packets past the IPsec policy
    lookup; RouterOS's default configuration accepts ``ipsec-policy=in,ipsec`` and
    ``out,ipsec`` ahead of it for that reason (the defconf rules)."""
    accepted: set[str] = set()
    out = []
    for rule in _filter_rules(conf):
        if rule.get("action") == "accept" and rule.get("chain") == "forward":
            accepted.add(rule.get("ipsec-policy") or "")
        if rule.get("action") == "fasttrack-connection" and not {"in,ipsec", "out,ipsec"} <= (
            accepted
        ):
            out.append(
                Finding(
                    "conf-mikrotik-fasttrack",
                    "warning",
                    rule.where,
                    "FastTrack comes before rules accepting IPsec traffic (ipsec-policy=in,ipsec "
                    "and out,ipsec): established connections to AWS skip the policy and leave "
                    "unencrypted",
                    "/ip firewall filter add chain=forward action=accept ipsec-policy=in,ipsec "
                    "place-before=0 (and out,ipsec), as RouterOS's default configuration has",
                )
            )
    return out


def _nat(conf: RosConf, tunnels: list[MtTunnel]) -> list[Finding]:
    """A source NAT rule the tunnel's traffic meets before the policy: the rewritten
    source no longer matches the policy's src-address (srcnat runs before the IPsec
    policy lookup). Exempt: ``ipsec-policy=out,none``, a destination the rule leaves
    out (``dst-address=!NET``, ``dst-address-list=!LIST``) or does not name, or an
    accept for the remote network before it."""
    remotes = [ipaddress.ip_network(t.remote_ts, strict=False) for t in tunnels
               if t.remote_ts and _is_network(t.remote_ts)]  # fmt: skip
    exempt: list = []
    out = []
    for rule in conf.menu("/ip firewall nat"):
        if rule.disabled or rule.get("chain") != "srcnat":
            continue
        caught = [r for r in remotes if _matches(conf, rule, r)]
        if rule.get("action") == "accept":
            exempt += caught
            continue
        if rule.get("action") not in ("masquerade", "src-nat"):
            continue
        if rule.get("ipsec-policy") == "out,none":
            continue
        caught = [r for r in caught if r not in exempt]
        if caught:
            out.append(
                Finding(
                    "conf-mikrotik-nat",
                    "warning",
                    rule.where,
                    f"{rule.get('action')} rewrites the source of traffic to "
                    f"{', '.join(map(str, caught))} before the IPsec policy is looked up, so it "
                    "no longer matches the policy and leaves unencrypted",
                    "ipsec-policy=out,none on this rule (or an accept for the VPC's network "
                    "before it)",
                )
            )
    return out


def _matches(conf: RosConf, rule: Item, network) -> bool:
    """Whether traffic to ``network`` meets ``rule`` by its destination: all of it when
    the rule names none, what it names, what it leaves out (``!``) not."""
    for key in ("dst-address", "dst-address-list"):
        said = rule.get(key)
        if not said:
            continue
        negated = said.startswith("!")
        name = said.lstrip("!")
        named = [name] if key == "dst-address" else [
            e.get("address") or "" for e in conf.menu("/ip firewall address-list")
            if e.get("list") == name and not e.disabled]  # fmt: skip
        nets = [ipaddress.ip_network(n, strict=False) for n in named if _is_network(n)]
        inside = any(n.version == network.version and network.subnet_of(n) for n in nets)
        overlaps = any(n.version == network.version and network.overlaps(n) for n in nets)
        if (negated and inside) or (not negated and not overlaps):
            return False
    return True


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True
