"""Lint of a Cisco ASA's configuration against the VPN connection: the ASA's own traps
first (a profile, transform set, access list or tunnel group named but never
defined, IKE not enabled on any interface, a VTI without ``tunnel mode ipsec
ipv4``, two keys for one peer, a backup peer that keeps one tunnel up at a time, a
crypto map applied nowhere, nothing routed into the VTIs, a VTI outside the VPN's
inside CIDR, PFS off), then the rules every implementation's tunnels answer to,
with their fixes in the ASA's words."""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cisco_ios_rules import (
    cisco_proposal_findings,
    inside_findings,
    pfs_findings,
)
from driver.analysis.findings import Finding
from driver.analysis.router_rules import said_once, shared_findings
from driver.cgw.cisco_asa.bgp import asa_bgp
from driver.cgw.cisco_asa.dialect import load
from driver.cgw.cisco_asa.proposals import in_aws_names
from driver.cgw.cisco_asa.tunnels import asa_tunnels
from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.cisco_ios.tunnels import record, secrets_of
from driver.cgw.folder import CustomerConfigError
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

CISCO_ASA_RULES = {
    "conf-asa-undefined": "a profile, transform set, access list or tunnel group named but "
    "never defined",
    "conf-asa-ike-disabled": "a tunnel's IKE version enabled on no interface (crypto ikev1|ikev2 "
    "enable)",
    "conf-asa-mode": "a tunnel interface without tunnel mode ipsec ipv4",
    "conf-asa-two-keys": "an IKEv2 tunnel group expecting another key than it sends",
    "conf-asa-backup-peer": "a crypto map entry with a backup peer: one tunnel up at a time",
    "conf-asa-unapplied": "a crypto map applied to no interface",
    "conf-asa-no-route": "nothing routed into the tunnel interfaces (no route, no BGP)",
    "conf-asa-inside": "a tunnel interface's address outside the VPN's inside CIDR",
    "conf-asa-pfs": "no set pfs, or a PFS group AWS does not accept",
    "conf-asa-masked-key": "a key the file masks (*****) or encrypts: not comparable",
    "conf-asa-vpn-filter": "a tunnel group's vpn-filter that permits nothing",
    "conf-asa-sla": "an sla monitor whose pings keep a crypto map's tunnel up",
    "conf-cisco-ios": "an IOS configuration's command in an ASA's file",
}
_GROUP = "tunnel-group <tunnel outside IP> ipsec-attributes"
# The shared rules' words for what the ASA calls otherwise.
WORDS = {
    "dpdaction is trap": "a crypto map negotiates on traffic only",
    "a Linux kernel keeps one policy for them, bound to one tunnel, and drops what AWS "
    "sends over the other (XfrmInTmplMismatch)": "the ASA sends by the first map entry that "
    "matches (the lower sequence number) only: the other entry's tunnel comes up only if "
    "AWS starts it, and carries nothing from the ASA",
}
# The shared rules' fixes, in the ASA's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an interface Tunnel with tunnel destination "
    "<the tunnel's outside IP> and tunnel protection ipsec profile, for each (ASA 9.7.1+)",
    "conf-no-initiator": "sla monitor pinging across the tunnel (AWS's ASA example), or a "
    "tunnel interface, which starts by itself",
    "conf-dpdaction": "isakmp keepalive threshold 10 retry 10 in the tunnel group, and an "
    "interface Tunnel (tunnel protection) instead of a crypto map",
    "conf-right": "tunnel destination (or crypto map … set peer) <the tunnel's outside IP>",
    "conf-selectors": "access-list <acl> extended permit ip <on-prem network> <mask> <VPC "
    "network> <mask> in the crypto map's match address (a tunnel interface: any any)",
    "conf-mtu": "sysopt connection tcpmss 1379 and crypto ipsec df-bit clear-df <outside "
    "interface>, as AWS's ASA example sets them",
    "conf-weak-proposal": "crypto ikev2 policy: encryption aes-256, integrity sha256, group 14; "
    "ipsec-proposal: protocol esp encryption aes-256, protocol esp integrity sha-256; "
    "set pfs group14",
    "conf-psk-mismatch": f"ikev1 pre-shared-key <the VPN connection's key> under {_GROUP}",
    "conf-secret-missing": f"ikev1 pre-shared-key <the VPN connection's key> (IKEv2: ikev2 "
    f"local-authentication and remote-authentication pre-shared-key) under {_GROUP}",
    "conf-identical-selectors": "an interface Tunnel per AWS tunnel (tunnel mode ipsec ipv4, "
    "tunnel protection ipsec profile), as AWS's ASA 9.7.1+ example configures it",
    "conf-sa-pairs": "one access-list entry per crypto map (AWS's example: permit ip any "
    "<VPC network> <mask>), or a tunnel interface",
}
FIXES = {
    "conf-asa-undefined": "define it, or name one that is (show running-config crypto; show "
    "running-config tunnel-group)",
    "conf-asa-ike-disabled": "crypto ikev1 enable outside (IKEv2: crypto ikev2 enable outside)",
    "conf-asa-mode": "tunnel mode ipsec ipv4 under the interface",
    "conf-asa-two-keys": f"ikev2 local-authentication and remote-authentication pre-shared-key "
    f"<the VPN connection's key> under {_GROUP}",
    "conf-asa-backup-peer": "crypto map … set peer <one tunnel's outside IP>, or an interface "
    "Tunnel per AWS tunnel (ASA 9.7.1+: both up at once)",
    "conf-asa-unapplied": "crypto map <name> interface outside",
    "conf-asa-vpn-filter": "access-list <filter> extended permit ip <VPC network> <mask> "
    "<on-prem network> <mask> before its deny (the entry AWS's example leaves commented)",
}


def lint_cisco_asa(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    tunnels = asa_tunnels(conf)
    out = [
        Finding("conf-cisco-ios", "error", where, what, "--cgw-daemon cisco-ios")
        for where, what in conf.problems
    ]
    out += [
        Finding(rule, "warning" if rule == "conf-asa-backup-peer" else "error", where, what,
                FIXES.get(rule, ""))
        for t in tunnels
        for rule, where, what in t.problems
    ]  # fmt: skip
    records = [record(t) for t in tunnels]
    out += shared_findings(
        lab, config, "Cisco ASA", tunnels, records, secrets_of(tunnels), _proposal_findings,
        WORDS, HINTS,
    )  # fmt: skip
    out += router_findings(lab, asa_bgp(conf), str(config))
    out += _masked_keys(tunnels)
    interfaces = [t for t in tunnels if t.at.words[0] == "interface"]
    out += _routes(lab, conf, interfaces)
    numbers = tunnel_numbers(records[: len(interfaces)])
    out += inside_findings(lab, interfaces, numbers, "conf-asa-inside")
    if _clamped(conf):  # AWS's example clamps the MSS (1379): nothing to add
        out = [f for f in out if f.rule != "conf-mtu"]
    return said_once(_kept_up(conf, tunnels, out))


def _kept_up(conf: IosConf, tunnels: list[IosTunnel], found: list[Finding]) -> list[Finding]:
    """A crypto map's tunnel comes up on traffic only; an ``sla monitor`` pinging across
    it for ever (AWS's example: ``type echo protocol ipIcmpEcho <VPC host> interface
    outside``, ``frequency 5``) is that traffic: it brings the tunnel up, and back after
    AWS clears it. Said as such, instead of the tunnel staying down."""
    targets = _sla_targets(conf)
    out = list(found)
    for t in tunnels:
        if t.at.words[0] != "crypto" or not t.remote_ts:
            continue
        network = ipaddress.IPv4Network(t.remote_ts)
        hit = next(((a, at) for a, at in targets if a in network), None)
        if hit is None:
            continue
        out = [f for f in out if not (f.rule in ("conf-dpdaction", "conf-no-initiator")
                                      and f.message.startswith(f"{t.name}:"))]  # fmt: skip
        out.append(
            Finding(
                "conf-asa-sla",
                "info",
                hit[1],
                f"{t.name}: sla monitor pings {hit[0]} across the tunnel for ever, so the ASA "
                "brings it up, and back after AWS clears it, as AWS's example intends; the "
                "twin sends no such pings (the check's own traffic starts it)",
                "keep it, or go route-based (an interface Tunnel starts by itself)",
            )
        )
    return out


def _sla_targets(conf: IosConf) -> list[tuple[ipaddress.IPv4Address, str]]:
    scheduled = {c.words[3] for c in conf.all("sla", "monitor", "schedule") if len(c.words) > 3}
    out = []
    for sla in conf.all("sla", "monitor"):
        echo = sla.first("type", "echo")
        if len(sla.words) != 3 or sla.words[2] not in scheduled or echo is None:
            continue
        for word in echo.words:
            try:
                out.append((ipaddress.IPv4Address(word), echo.where))
            except ValueError:
                continue
    return out


def _clamped(conf: IosConf) -> bool:
    """``sysopt connection tcpmss N`` at or below AWS's MSS (1406; 1379 in AWS's example)."""
    said = [c.words[3] for c in conf.all("sysopt", "connection", "tcpmss") if len(c.words) > 3]
    return any(w.isdecimal() and 0 < int(w) <= 1406 for w in said)


def _proposal_findings(t: IosTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    fixes = (
        "a crypto ikev1 policy (IKEv2: crypto ikev2 policy) with what the VPN allows",
        "a transform set (IKEv2: ipsec-proposal) with what the VPN allows",
    )
    found = cisco_proposal_findings(t, options, in_aws_names, fixes, show_pfs=True)
    found = [dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
             if f.rule == "conf-weak-proposal" else f for f in found]  # fmt: skip
    return found + pfs_findings(t, options, "conf-asa-pfs", "the ASA")


def _masked_keys(tunnels: list[IosTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-asa-masked-key",
            "info",
            t.key_where,
            f"{t.name}: its key is masked (*****, as show running-config prints it) or "
            "encrypted: vpnlab cannot compare it with the VPN connection's, and the twin "
            "needs it in plain text",
            "give vpnlab the file from 'more system:running-config', which shows the keys",
        )
        for t in tunnels
        if t.key is None and t.key_where
    ]


def _routes(lab: Lab, conf: IosConf, interfaces: list[IosTunnel]) -> list[Finding]:
    if not interfaces or any(t.routes for t in interfaces) or conf.all("router", "bgp"):
        return []
    vpc = ipaddress.IPv4Network(str(lab.aws.vpc_cidr))
    return [
        Finding(
            "conf-asa-no-route",
            "error",
            interfaces[0].at.where,
            f"nothing is routed into {' and '.join(t.name for t in interfaces)}: no route "
            "names their nameif and no router bgp learns routes over them, so the tunnels "
            "come up and carry nothing",
            "; ".join(
                f"route {t.at.after('nameif')[0] if t.at.after('nameif') else t.name} "
                f"{vpc.network_address} {vpc.netmask} <AWS's inside address of {t.name}>"
                for t in interfaces
            ),
        )
    ]
