"""Lint of a Cisco IOS / IOS XE router's configuration against the VPN connection:
IOS's own traps first (a profile or transform set named but never defined, GRE
where AWS carries plain IPsec, a crypto map applied nowhere, nothing routed into
the tunnel interfaces, a tunnel interface outside the VPN's inside CIDR, a value
left to an IOS default AWS refuses), then the rules every implementation's
tunnels answer to, with their fixes in IOS's words."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import misplaced_inside, shared_findings
from driver.cgw.cisco_ios import defaults, files
from driver.cgw.cisco_ios.bgp import ios_bgp
from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.cisco_ios.proposals import in_aws_names
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.cisco_ios.tunnels import ios_tunnels, record, secrets_of
from driver.cgw.folder import CustomerConfigError
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

CISCO_IOS_RULES = {
    "conf-cisco-undefined": "a profile, transform set or access list named but never defined",
    "conf-cisco-gre": "a tunnel interface in GRE mode: AWS's tunnels are IPsec, no GRE",
    "conf-cisco-auth": "an IKEv2 profile authenticating otherwise than with a pre-shared key",
    "conf-cisco-unapplied": "a crypto map applied to no interface",
    "conf-cisco-no-route": "nothing routed into the tunnel interfaces (no ip route, no BGP)",
    "conf-cisco-inside": "a tunnel interface's address outside the VPN's inside CIDR",
    "conf-cisco-default": "an ISAKMP policy leaving a value to an IOS default AWS refuses",
    "conf-cisco-pfs": "no set pfs, or a PFS group AWS does not accept",
    "conf-cisco-encrypted-key": "a key IOS printed encrypted (type 6 or 7): not comparable",
    "conf-cisco-asa": "a Cisco ASA's command read as IOS's (--cgw-daemon cisco-ios)",
}
# The shared rules' words for what IOS calls otherwise.
WORDS = {
    "dpdaction is trap": "a crypto map negotiates on traffic only",
    "a Linux kernel keeps one policy for them, bound to one tunnel, and drops what AWS "
    "sends over the other (XfrmInTmplMismatch)": "IOS sends by the first map entry that "
    "matches (the lower sequence number) only: the other entry's tunnel comes up only if "
    "AWS starts it, and carries nothing from the router",
}
# The shared rules' fixes, in IOS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an interface Tunnel with tunnel destination "
    "<the tunnel's outside IP> and tunnel protection ipsec profile, for each",
    "conf-dpdaction": "crypto isakmp keepalive 10 10 periodic, and a tunnel interface "
    "(tunnel protection) instead of a crypto map",
    "conf-right": "tunnel destination (or set peer) <the tunnel's outside IP address>",
    "conf-selectors": "permit ip <on-prem network> <wildcard> <VPC network> <wildcard> in the "
    "crypto map's access list (or a tunnel interface: any any)",
    "conf-leftid": "identity local address <the customer gateway's public address> in the "
    "crypto ikev2 profile",
    "conf-mtu": "ip mtu 1422 and ip tcp adjust-mss 1382 on each interface Tunnel (AES-CBC "
    "with NAT-T, as said; AWS's example sets ip tcp adjust-mss 1387)",
    "conf-weak-proposal": "crypto isakmp policy: encryption aes 256, hash sha256, group 14; "
    "transform set esp-aes 256 esp-sha256-hmac; set pfs group14",
    "conf-psk-mismatch": "pre-shared-key address <tunnel outside IP> key <the VPN "
    "connection's key> in the crypto keyring",
    "conf-secret-missing": "pre-shared-key address <tunnel outside IP> key <the VPN "
    "connection's key> in the crypto keyring the ISAKMP profile names",
    "conf-identical-selectors": "a tunnel interface per AWS tunnel (tunnel mode ipsec ipv4, "
    "tunnel protection ipsec profile), as AWS's Cisco example configures it",
    "conf-sa-pairs": "one access-list entry per crypto map (its networks covering the VPN "
    "connection's CIDRs), or a tunnel interface",
}
AWS_REFUSES = {"group": {"1"}, "encryption": {"des", "3des"}, "authentication": {"rsa-sig"}}
FIXES = {"group": "group 14", "encryption": "encryption aes 256",
         "authentication": "authentication pre-share"}  # fmt: skip


def lint_cisco_ios(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    tunnels = ios_tunnels(conf)
    out = [
        Finding("conf-cisco-asa", "error", where, what, "--cgw-daemon cisco-asa")
        for where, what in conf.problems
    ]
    out += [
        Finding(rule, "error", where, what, _fix(rule))
        for t in tunnels
        for rule, where, what in t.problems
    ]
    records = [record(t) for t in tunnels]
    out += shared_findings(
        lab, config, "Cisco IOS router", tunnels, records, secrets_of(tunnels),
        _proposal_findings, WORDS, HINTS,
    )  # fmt: skip
    out += router_findings(lab, ios_bgp(conf), str(config))
    out += _defaults(conf)
    out += _encrypted_keys(tunnels)
    interfaces = [t for t in tunnels if t.at.words[0] == "interface"]
    out += _routes(lab, conf, interfaces, str(config))
    out += _inside(lab, interfaces, tunnel_numbers(records[: len(interfaces)]))
    return out


def _fix(rule: str) -> str:
    return {
        "conf-cisco-undefined": "define it, or name one that is (show running-config | "
        "section crypto)",
        "conf-cisco-gre": "tunnel mode ipsec ipv4",
        "conf-cisco-auth": "authentication local pre-share and authentication remote pre-share",
        "conf-cisco-unapplied": "crypto map <name> under the outside interface",
    }.get(rule, "")


def _proposal_findings(t: IosTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    fixes = (
        "crypto isakmp policy (or crypto ikev2 proposal) with what the VPN allows",
        "a crypto ipsec transform-set with what the VPN allows",
    )
    found = cisco_proposal_findings(t, options, in_aws_names, fixes, show_pfs=False)
    return found + _pfs(t, options)


def cisco_proposal_findings(
    t: IosTunnel,
    options: TunnelOptions,
    in_aws: Callable[[str, bool], list[dict[str, set]]],
    fixes: tuple[str, str],  # IKE's, ESP's, in the platform's words
    show_pfs: bool,  # the ESP proposals said with their PFS group (the ASA) or without (IOS)
) -> list[Finding]:
    """A Cisco tunnel's IKE and ESP proposals against the VPN's (IOS's or the ASA's
    words, read by ``in_aws``): none AWS accepts, or weak ones."""
    out = []
    for kind, fix, aws in (("IKE", fixes[0], options.phase1), ("ESP", fixes[1], options.phase2)):
        offered = t.ike if kind == "IKE" else t.transforms
        if not offered:
            continue
        where = offered[0][1] if kind == "IKE" else t.where("transform-set")
        text = t.esp if kind == "ESP" and show_pfs else "; ".join(w for w, _ in offered)
        parsed = in_aws(text if kind == "IKE" else t.esp, kind == "IKE")
        if not any(acceptable(p, aws, kind == "IKE") for p in parsed):
            out.append(
                no_common(kind, where, f"{t.name}: no {kind} proposal in '{text}'", aws, fix)
            )
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.name, kind, parsed, where)
        ]
    return out


def _defaults(conf: IosConf) -> list[Finding]:
    """An ISAKMP policy value left to IOS's default that AWS refuses (DH group 1, DES,
    RSA signatures): invisible in the file and in show running-config, decisive in the
    negotiation (defaults.py)."""
    out = []
    for policy in conf.all("crypto", "isakmp", "policy"):
        for key, refused in AWS_REFUSES.items():
            default = defaults.ISAKMP_POLICY[key]
            written = policy.after(key) or (policy.after("encr") if key == "encryption" else None)
            if written is not None or default not in refused:
                continue
            said = (
                "so this policy is for certificates and is not offered with a pre-shared key"
                if key == "authentication"
                else "which AWS does not accept"
            )
            out.append(
                Finding(
                    "conf-cisco-default",
                    "warning" if key == "authentication" else "error",
                    policy.where,
                    f"{policy.text} sets no {key}: IOS takes its default ({key} {default}), "
                    + said,
                    f"{FIXES[key]} under {policy.text}",
                )
            )
    return out


def _pfs(t: IosTunnel, options: TunnelOptions) -> list[Finding]:
    return pfs_findings(t, options, "conf-cisco-pfs", "IOS")


def pfs_findings(t: IosTunnel, options: TunnelOptions, rule: str, who: str) -> list[Finding]:
    """AWS negotiates phase 2 with PFS, in its phase 2 DH groups (a Cisco tunnel's
    ``set pfs``, IOS's or the ASA's: ``who``)."""
    fix = "set pfs group14 in the crypto ipsec profile (or crypto map entry)"
    if t.pfs is None:
        return [
            Finding(
                rule,
                "error",
                t.where("pfs"),
                f"{t.name}: no set pfs, so {who} offers phase 2 without PFS; AWS requires PFS "
                + ("(IKEv1: its quick mode fails at once)" if t.version == "1" else
                   "(IKEv2: the first CHILD_SA rekey fails)"),
                fix,
            )
        ]  # fmt: skip
    group = t.pfs.removeprefix("group")
    if group.isdecimal() and int(group) in options.phase2.dh_groups:
        return []
    return [
        Finding(
            rule,
            "error",
            t.where("pfs"),
            f"{t.name}: set pfs {t.pfs} is none of the DH groups AWS negotiates phase 2 with "
            f"({', '.join(map(str, options.phase2.dh_groups))})",
            fix,
        )
    ]


def _encrypted_keys(tunnels: list[IosTunnel]) -> list[Finding]:
    return [
        Finding(
            "conf-cisco-encrypted-key",
            "info",
            t.key_where,
            f"{t.name}: its key is encrypted by IOS (type 6 or 7): vpnlab cannot compare it "
            "with the VPN connection's, and the twin needs it in plain text",
            "give vpnlab a copy with 'key 0 <key>' (the key itself)",
        )
        for t in tunnels
        if t.key is None and t.key_where
    ]


def _routes(lab: Lab, conf: IosConf, interfaces: list[IosTunnel], src: str) -> list[Finding]:
    if not interfaces or any(t.routes for t in interfaces) or conf.all("router", "bgp"):
        return []
    vpc = ipaddress.IPv4Network(str(lab.aws.vpc_cidr))
    names = " and ".join(t.name for t in interfaces)
    return [
        Finding(
            "conf-cisco-no-route",
            "error",
            interfaces[0].at.where,
            f"nothing is routed into {names}: no ip route names them (or their AWS inside "
            "address) and no router bgp learns routes over them, so the tunnels come up and "
            "carry nothing",
            "; ".join(f"ip route {vpc.network_address} {vpc.netmask} {t.name}" for t in interfaces),
        )
    ]


def _inside(lab: Lab, interfaces: list[IosTunnel], numbers: list[int]) -> list[Finding]:
    return inside_findings(lab, interfaces, numbers, "conf-cisco-inside")


def inside_findings(
    lab: Lab, interfaces: list[IosTunnel], numbers: list[int], rule: str
) -> list[Finding]:
    """AWS's inside CIDR per tunnel: the first host is AWS's, the second the customer's
    (a Cisco tunnel interface's ``ip address``, IOS's or the ASA's)."""
    out = []
    for n, t in zip(numbers, interfaces, strict=False):
        if not t.address or n >= len(lab.tunnels) or not lab.tunnels[n].inside_cidr:
            continue
        inside = lab.tunnels[n].inside_cidr
        expected = misplaced_inside(t.address, inside)
        if expected is not None:
            out.append(
                Finding(
                    rule,
                    "error",
                    t.at.first("ip", "address").where,
                    f"{t.name}: ip address {t.address} is not the customer gateway's inside "
                    f"address of Tunnel{n + 1} ({expected}, in {inside})",
                    f"ip address {expected.ip} {expected.netmask}",
                )
            )
    return out
