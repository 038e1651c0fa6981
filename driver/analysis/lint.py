"""``vpnlab lint``: offline checks of a lab and of a customer's strongSwan configuration.

No AWS account, no root, no network. Every finding has a stable rule id, a
severity, where it is (lab path or file:line), what is wrong and how to fix
it; all findings are reported at once. ``RULES`` lists every rule.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from driver.analysis import path_analysis as routing
from driver.analysis.strongswan_conf import (
    ConfigSyntaxError,
    Conn,
    effective_conns,
    parse_ipsec_conf,
    parse_ipsec_secrets,
    parse_swanctl,
)
from driver.analysis.terraform_rules import NET_RULES, lint_terraform
from driver.errors import LabError, VpnlabError
from driver.lab import aws_rules
from driver.lab.loader import load_lab
from driver.lab.model import Lab, TunnelOptions

RULES = {
    "lab-invalid": "the lab file breaks an AWS or network rule (the model refuses it)",
    "lab-static-routes": "the static routes do not cover an on-prem subnet",
    "lab-network-cidrs": "local/remote network CIDRs do not cover the VPCs' subnets",
    "lab-weak-dh": "a DH group AWS still offers but that is weak (2, 5, 22)",
    "lab-weak-integrity": "SHA1 integrity",
    "lab-ikev1": "IKEv1 allowed (IKEv2 is more robust and required for startup action start)",
    "lab-dpd-clear": "AWS clears the tunnel on DPD timeout and waits for the customer gateway",
    "path-unreachable": "the traced path from one test host to the other does not arrive",
    "path-asymmetric": "a stateful device (the firewall) sees only one direction of a flow",
    "path-bypasses-firewall": "the lab has a firewall, but neither direction passes it",
    "conf-syntax": "the configuration file cannot be parsed",
    "conf-duplicate-key": "a key set twice in one conn (the seed writes auto=start twice)",
    "conf-host-bits": "a subnet with host bits set (the seed's leftsubnet=192.168.1.0/16)",
    "conf-selectors": "traffic selectors differ from the VPN connection's network CIDRs",
    "conf-leftid": "local id missing or a private address: behind NAT it must be the EIP",
    "conf-right": "the remote is not an IP address, or both tunnels name the same one",
    "conf-tunnel-count": "not two tunnels, as AWS provides",
    "conf-secret-missing": "no pre-shared key for a tunnel",
    "conf-dpdaction": "dpdaction is not restart: a tunnel AWS clears stays down",
    "conf-keyingtries": "keyingtries is not %forever: the gateway gives up re-keying",
    "conf-no-common-ike": "no IKE proposal the VPN connection accepts",
    "conf-no-common-esp": "no ESP proposal the VPN connection accepts",
    "conf-no-pfs": "ESP proposals without a DH group: AWS requires PFS at rekey",
    "conf-defaults-appended": "proposals without a trailing '!': strongSwan appends defaults",
    "conf-weak-proposal": "the customer gateway offers weak algorithms",
    "conf-identical-selectors": "two policy-based tunnels with identical selectors",
    "conf-route-based": "marks/VTI: route-based, needs kernel support and distinct marks",
    "conf-mtu": "no path MTU discovery over AWS VPN: clamp MSS",
    **NET_RULES,
}
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: str
    message: str
    hint: str

    def text(self) -> str:
        return f"{self.where}: {self.severity}: {self.message} [{self.rule}]\n    hint: {self.hint}"


# strongSwan keyword -> (kind, AWS name). Kinds: enc, integ, prf, dh.
_KEYWORDS = {
    **{kw: ("enc", aws) for aws, kw in aws_rules.ENCRYPTION.items()},
    "aes128gcm128": ("enc", "AES128-GCM-16"),
    "aes256gcm128": ("enc", "AES256-GCM-16"),
    **{kw: ("integ", aws) for aws, kw in aws_rules.INTEGRITY.items()},
    "sha2_256": ("integ", "SHA2-256"),
    "sha2_384": ("integ", "SHA2-384"),
    "sha2_512": ("integ", "SHA2-512"),
    **{kw: ("prf", aws) for aws, kw in aws_rules.PRF.items()},
    **{kw: ("dh", group) for group, kw in aws_rules.DH_GROUPS.items()},
}


def _proposals(text: str) -> tuple[list[dict[str, set]], bool]:
    """Parsed proposals ({kind: {AWS names}}, unknown keywords under 'other'), strict?"""
    strict = text.strip().endswith("!")
    out = []
    for proposal in text.strip().rstrip("!").split(","):
        parsed: dict[str, set] = {
            "enc": set(),
            "integ": set(),
            "prf": set(),
            "dh": set(),
            "other": set(),
        }
        for token in proposal.strip().split("-"):
            kind, name = _KEYWORDS.get(token, ("other", token))
            parsed[kind].add(name)
        out.append(parsed)
    return out, strict


def _acceptable(proposal: dict[str, set], phase, ike: bool) -> bool:
    """Would AWS (these tunnel options) accept some combination in this proposal?"""
    enc = proposal["enc"] & set(phase.encryption)
    if not enc or proposal["other"]:
        return False
    aead = all(e in aws_rules.AEAD_ENCRYPTION for e in enc)
    integrity = proposal["prf"] if (aead and ike) else proposal["integ"]
    if not aead and not (integrity & set(phase.integrity)):
        return False
    if aead and ike and proposal["prf"] and not (proposal["prf"] & set(phase.integrity)):
        return False
    return not proposal["dh"] or bool(proposal["dh"] & set(phase.dh_groups)) or not ike


# --- the lab ----------------------------------------------------------------------------


def lint_lab(lab: Lab, source: str) -> list[Finding]:
    out = []

    def add(rule, severity, path, message, hint):
        out.append(Finding(rule, severity, f"{source}: {path}", message, hint))

    vpn = lab.vpn
    for name, subnet in (
        ("onprem.public_subnet_cidr", lab.onprem.public_subnet_cidr),
        ("onprem.private_subnet_cidr", lab.onprem.private_subnet_cidr),
    ):
        if not any(subnet.subnet_of(r) for r in vpn.static_routes):
            add(
                "lab-static-routes",
                "error",
                "vpn.static_routes",
                f"no static route covers {name} ({subnet}): AWS will not route to it",
                f"add {lab.onprem.vpc_cidr} (the on-prem VPC) to vpn.static_routes",
            )
        if not subnet.subnet_of(vpn.local_network_cidr):
            add(
                "lab-network-cidrs",
                "error",
                "vpn.local_network_cidr",
                f"{vpn.local_network_cidr} does not cover {name} ({subnet}): the tunnels' "
                "selectors exclude it",
                f"use {lab.onprem.vpc_cidr}",
            )
    if not lab.aws.private_subnet_cidr.subnet_of(vpn.remote_network_cidr):
        add(
            "lab-network-cidrs",
            "error",
            "vpn.remote_network_cidr",
            f"{vpn.remote_network_cidr} does not cover aws.private_subnet_cidr "
            f"({lab.aws.private_subnet_cidr})",
            f"use {lab.aws.vpc_cidr}",
        )
    out += _path_findings(lab, source)
    seen = set()
    for i, tunnel in enumerate(lab.tunnels):
        o = tunnel.options
        where = "vpn.tunnel_options" if o == vpn.tunnel_options else f"vpn.tunnels[{i}]"
        for phase_name, phase in (("phase1", o.phase1), ("phase2", o.phase2)):
            weak = sorted(set(phase.dh_groups) & aws_rules.WEAK_DH_GROUPS)
            if weak and (where, phase_name, "dh") not in seen:
                seen.add((where, phase_name, "dh"))
                add(
                    "lab-weak-dh",
                    "warning",
                    f"{where}.{phase_name}.dh_groups",
                    f"DH group {', '.join(map(str, weak))} is weak (the seed's modp1024 is "
                    "group 2)",
                    "offer 14 or higher, e.g. [14, 19, 20]",
                )
            if (
                set(phase.integrity) & aws_rules.WEAK_INTEGRITY
                and (where, phase_name, "integ") not in seen
            ):
                seen.add((where, phase_name, "integ"))
                add(
                    "lab-weak-integrity",
                    "warning",
                    f"{where}.{phase_name}.integrity",
                    "SHA1 is weak",
                    "use SHA2-256 or stronger",
                )
        if "ikev1" in o.ike_versions and (where, "ikev1") not in seen:
            seen.add((where, "ikev1"))
            add(
                "lab-ikev1",
                "info",
                f"{where}.ike_versions",
                "IKEv1 is allowed",
                "prefer [ikev2]: simpler rekeying, and startup_action: start needs it",
            )
        if o.dpd_action == "clear" and o.startup_action == "add" and (where, "dpd") not in seen:
            seen.add((where, "dpd"))
            add(
                "lab-dpd-clear",
                "info",
                f"{where}.dpd_action",
                "on DPD timeout AWS clears the tunnel and waits for the customer gateway "
                "to initiate",
                "the VPN server restarts tunnels (dpdaction=restart, "
                "keyingtries=%forever); with IKEv2 you may also set dpd_action: restart",
            )
    return out


def _path_findings(lab: Lab, source: str) -> list[Finding]:
    forward, back = routing.both_ways(lab)
    out = []
    for direction, trace in (("AWS → on-prem", forward), ("on-prem → AWS", back)):
        if not trace.reached:
            out.append(
                Finding(
                    "path-unreachable",
                    "error",
                    f"{source}: vpn",
                    f"{direction}: {trace.text()}",
                    "make the static routes, network CIDRs and "
                    "route tables cover both test hosts' subnets",
                )
            )
    asymmetric = routing.stateful_asymmetry(forward, back)
    if asymmetric:
        propagation = "aws.route_propagation"
        out.append(
            Finding(
                "path-asymmetric",
                "error",
                f"{source}: {propagation}",
                f"{', '.join(asymmetric)} sees one direction only, so a stateful device drops the "
                f"return: AWS → on-prem: {forward.text()}; on-prem → AWS: {back.text()}",
                "keep both directions on the firewall: set aws.route_propagation: false (the "
                "0.0.0.0/0 route then sends outbound through the firewall, whose subnet learns "
                "the VPN routes), or drop firewall.ingress_route so neither passes it",
            )
        )
    elif lab.firewall and "firewall" not in forward.nodes + back.nodes:
        out.append(
            Finding(
                "path-bypasses-firewall",
                "warning",
                f"{source}: firewall",
                "neither direction passes the firewall: the VPN's propagated "
                "routes are more specific than 0.0.0.0/0",
                "set aws.route_propagation: false and firewall.ingress_route: true",
            )
        )
    return out


# --- a customer's configuration ----------------------------------------------------


@dataclass
class _Tunnel:
    name: str
    line: int
    settings: Conn | None  # ipsec.conf conn (None for swanctl)
    right: str | None
    leftid: str | None
    local_ts: str | None
    remote_ts: str | None
    ike: str | None
    esp: str | None
    keys: dict[str, list[int]]  # key -> lines (duplicates)
    dpdaction: str | None
    keyingtries: str | None
    route_based: list[tuple[int, str]]


def _from_ipsec_conf(text: str, source: str) -> list[_Tunnel]:
    sections = parse_ipsec_conf(text, source)
    tunnels = []
    for raw, conn in zip(
        [s for s in sections if s.name not in ("setup", "%default")],
        effective_conns(sections),
        strict=True,
    ):
        if conn.get("auto", "ignore") == "ignore":
            continue
        keys: dict[str, list[int]] = {}
        for setting in raw.settings:
            keys.setdefault(setting.key, []).append(setting.line)
        route = [
            (s.line, f"{s.key}={s.value}")
            for s in conn.settings
            if s.key in ("mark", "mark_in", "mark_out", "if_id_in", "if_id_out")
            or (s.key == "leftupdown" and "vti" in s.value)
        ]
        tunnels.append(
            _Tunnel(
                conn.name,
                conn.line,
                conn,
                conn.get("right"),
                conn.get("leftid"),
                conn.get("leftsubnet"),
                conn.get("rightsubnet"),
                conn.get("ike"),
                conn.get("esp"),
                keys,
                conn.get("dpdaction", "none"),
                conn.get("keyingtries", "3"),
                route,
            )
        )
    return tunnels


def _from_swanctl(text: str, source: str) -> list[_Tunnel]:
    root = parse_swanctl(text, source)
    connections = root.child("connections")
    tunnels = []
    for conn in connections.children if connections else []:
        children = conn.child("children")
        child = children.children[0] if children and children.children else None
        keys: dict[str, list[int]] = {}
        for setting in conn.settings + (child.settings if child else []):
            keys.setdefault(setting.key, []).append(setting.line)
        route = [
            (s.line, f"{s.key} = {s.value}")
            for s in (child.settings if child else [])
            if s.key in ("mark_in", "mark_out", "if_id_in", "if_id_out")
        ]
        local = conn.child("local")
        tunnels.append(
            _Tunnel(
                conn.name,
                conn.line,
                None,
                conn.get("remote_addrs"),
                local.get("id") if local else None,
                child.get("local_ts") if child else None,
                child.get("remote_ts") if child else None,
                conn.get("proposals", "default"),
                child.get("esp_proposals", "default") if child else None,
                keys,
                child.get("dpd_action", "clear") if child else None,
                conn.get("keyingtries", "1"),
                route,
            )
        )
    return tunnels


def lint_config(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    text = config.read_text()
    src = str(config)
    try:
        swanctl = "{" in text and "connections" in text
        tunnels = _from_swanctl(text, src) if swanctl else _from_ipsec_conf(text, src)
        secret_text = secrets.read_text() if secrets else (text if swanctl else "")
        if swanctl:
            secret_root = parse_swanctl(secret_text, str(secrets or config)).child("secrets")
            secret_pairs = [
                {s.value for s in section.settings if s.key.startswith("id")}
                for section in (secret_root.children if secret_root else [])
            ]
        else:
            secret_pairs = [set(s.ids) for s in parse_ipsec_secrets(secret_text, str(secrets))]
    except ConfigSyntaxError as exc:
        return [
            Finding(
                "conf-syntax",
                "error",
                f"{exc.source}:{exc.line}",
                str(exc),
                "fix the syntax; strongSwan would refuse the file",
            )
        ]
    out: list[Finding] = []

    def add(rule, severity, line, message, hint):
        out.append(Finding(rule, severity, f"{src}:{line}", message, hint))

    vpn = lab.vpn
    if len(tunnels) != 2:
        add(
            "conf-tunnel-count",
            "error",
            1,
            f"{len(tunnels)} tunnel(s) configured; an AWS VPN connection has two",
            "configure both tunnels (two conns)",
        )
    rights = [t.right for t in tunnels]
    options = lab.tunnels[0].options if lab.tunnels else TunnelOptions()
    for i, t in enumerate(tunnels):
        line = t.line
        for key, lines in t.keys.items():
            if len(lines) > 1:
                add(
                    "conf-duplicate-key",
                    "warning",
                    lines[-1],
                    f"{t.name}: {key} is set {len(lines)} times (lines "
                    f"{', '.join(map(str, lines))}); the last one wins",
                    f"keep one {key} line",
                )
        for label, ts, expected in (
            ("local", t.local_ts, vpn.local_network_cidr),
            ("remote", t.remote_ts, vpn.remote_network_cidr),
        ):
            key = {"local": "leftsubnet/local_ts", "remote": "rightsubnet/remote_ts"}[label]
            if not ts:
                continue
            try:
                net = ipaddress.ip_network(ts.split(",")[0].strip(), strict=True)
            except ValueError:
                try:
                    fixed = ipaddress.ip_network(ts.split(",")[0].strip(), strict=False)
                except ValueError:
                    continue
                add(
                    "conf-host-bits",
                    "warning",
                    line,
                    f"{t.name}: {key} {ts} has host bits set; strongSwan uses {fixed}",
                    f"write {fixed}",
                )
                net = fixed
            if net != expected:
                add(
                    "conf-selectors",
                    "error",
                    line,
                    f"{t.name}: {key} is {net}, the VPN connection's {label} network is "
                    f"{expected}: the VGW answers TS_UNACCEPTABLE or narrows the tunnel",
                    f"set {key} to {expected}",
                )
        if not t.leftid or _private(t.leftid.lstrip("@")):
            add(
                "conf-leftid",
                "error",
                line,
                f"{t.name}: local id is {t.leftid or 'not set'}; behind NAT (an Elastic IP) "
                "AWS authenticates the customer gateway's public address",
                "set leftid (local id) to the Elastic IP the customer gateway was created with",
            )
        if not t.right or not _is_ip(t.right) or rights.count(t.right) > 1:
            add(
                "conf-right",
                "error",
                line,
                f"{t.name}: remote {t.right or 'not set'} is not one of two distinct tunnel "
                "outside addresses",
                "use the VPN connection's tunnel1/tunnel2 outside IPs",
            )
        elif secret_pairs is not None and not any(t.right in ids for ids in secret_pairs):
            add(
                "conf-secret-missing",
                "error",
                line,
                f"{t.name}: no pre-shared key names {t.right}",
                f"add a secret for {t.leftid or '<EIP>'} {t.right}",
            )
        if t.dpdaction not in ("restart", "start"):
            add(
                "conf-dpdaction",
                "warning",
                line,
                f"{t.name}: dpdaction is {t.dpdaction}; when AWS clears the tunnel it stays down",
                "set dpdaction=restart (swanctl: dpd_action = restart)",
            )
        if t.keyingtries not in ("%forever", "0"):
            add(
                "conf-keyingtries",
                "warning",
                line,
                f"{t.name}: keyingtries is {t.keyingtries}; after that many failures the "
                "tunnel is abandoned",
                "set keyingtries=%forever (swanctl: keyingtries = 0)",
            )
        for line_no, what in t.route_based:
            add(
                "conf-route-based",
                "info",
                line_no,
                f"{t.name}: {what} makes it route-based: it needs VTI or XFRM interfaces "
                "and a distinct mark per tunnel",
                "check the kernel supports it; `vpnlab check` refuses it where the kernel does not",
            )
        out += _proposal_findings(t, src, lab, i, options)
    if (
        len(tunnels) == 2
        and not tunnels[0].route_based
        and (tunnels[0].local_ts, tunnels[0].remote_ts)
        == (tunnels[1].local_ts, tunnels[1].remote_ts)
    ):
        add(
            "conf-identical-selectors",
            "warning",
            tunnels[1].line,
            "both tunnels are policy-based with identical selectors: one tunnel carries "
            "each direction, and failover waits for DPD (~20-30 s)",
            "accept it (AWS's guide notes it), or go route-based with VTI/XFRM and BGP",
        )
    if tunnels:
        add(
            "conf-mtu",
            "info",
            tunnels[0].line,
            "AWS VPN has no path MTU discovery (MTU 1446, MSS 1406; ~1422/1382 with AES-CBC "
            "and NAT-T)",
            "clamp TCP MSS on the VPN server, e.g. iptables TCPMSS --set-mss 1382",
        )
    return out


def _proposal_findings(
    t: _Tunnel, src: str, lab: Lab, i: int, options: TunnelOptions
) -> list[Finding]:
    out = []
    where = f"{src}:{t.line}"
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    if t.settings is not None and t.esp is None:
        out.append(
            Finding(
                "conf-no-pfs",
                "warning",
                where,
                f"{t.name}: no esp= line: strongSwan's default ESP proposals name no DH "
                "group; the first CHILD_SA comes up, but AWS requires PFS when it rekeys",
                "add esp=, e.g. esp=aes256-sha256-modp2048!",
            )
        )
    for kind, text, phase, ike in (
        ("IKE", t.ike, options.phase1, True),
        ("ESP", t.esp, options.phase2, False),
    ):
        if not text or text == "default":
            continue
        proposals, strict = _proposals(text)
        accepted = [p for p in proposals if _acceptable(p, phase, ike)]
        rule = "conf-no-common-ike" if ike else "conf-no-common-esp"
        if not accepted and strict:
            out.append(
                Finding(
                    rule,
                    "error",
                    where,
                    f"{t.name}: no {kind} proposal in '{text}' is accepted: the "
                    f"tunnel options allow {'/'.join(phase.encryption)}, "
                    f"{'/'.join(phase.integrity)}, DH "
                    f"{'/'.join(map(str, phase.dh_groups))}",
                    "offer what the VPN connection allows (or widen its options)",
                )
            )
        elif not strict:
            out.append(
                Finding(
                    "conf-defaults-appended",
                    "info",
                    where,
                    f"{t.name}: '{text}' has no trailing '!': strongSwan appends its "
                    "default proposals, so what is negotiated may not be what is "
                    "written"
                    + (
                        ""
                        if accepted
                        else f" (none of the written {kind} proposals is "
                        "accepted; only the defaults would match)"
                    ),
                    "end it with '!' once it matches the tunnel options",
                )
            )
        weak = [f"DH {g}" for p in proposals for g in sorted(p["dh"] & aws_rules.WEAK_DH_GROUPS)]
        weak += ["SHA1" for p in proposals if p["integ"] & aws_rules.WEAK_INTEGRITY]
        if weak:
            out.append(
                Finding(
                    "conf-weak-proposal",
                    "warning",
                    where,
                    f"{t.name}: {kind} proposal offers {', '.join(sorted(set(weak)))}",
                    "use DH 14+ (modp2048, ecp256 …) and SHA2",
                )
            )
        if not ike and not any(p["dh"] for p in proposals):
            out.append(
                Finding(
                    "conf-no-pfs",
                    "warning",
                    where,
                    f"{t.name}: ESP '{text}' names no DH group: the first CHILD_SA "
                    "comes up, but AWS requires PFS when it rekeys (phase 2 "
                    "lifetime)",
                    "add the PFS group, e.g. esp=aes256-sha256-modp2048!",
                )
            )
    return out


def _is_ip(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value.strip())
    except ValueError:
        return False
    return True


_BEHIND_NAT = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")
)


def _private(value: str) -> bool:
    """An address that only exists behind NAT (not ipaddress's is_private, which
    also covers the documentation ranges the lab uses as public addresses)."""
    return _is_ip(value) and any(ipaddress.IPv4Address(value) in n for n in _BEHIND_NAT)


# --- entry point ---------------------------------------------------------------------------


def lint(
    lab_path: Path,
    config: Path | None = None,
    secrets: Path | None = None,
    terraform: Path | None = None,
) -> list[Finding]:
    try:
        lab = load_lab(lab_path)
    except LabError as exc:
        return [
            Finding(
                "lab-invalid",
                "error",
                f"{exc.source}:{p.line}" if p.line else exc.source,
                f"{p.path}: {p.message}" if p.path else p.message,
                p.hint,
            )
            for p in exc.problems
        ]
    findings = lint_lab(lab, str(lab_path))
    if config:
        for path in (config, secrets):
            if path and not path.is_file():
                raise VpnlabError(f"cannot read {path}")
        findings += lint_config(lab, config, secrets)
    if terraform:
        if not terraform.is_file():
            raise VpnlabError(f"cannot read {terraform}")
        findings += lint_terraform(lab, terraform, Finding)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], *_position(f.where)))


def _position(where: str) -> tuple[str, int]:
    """("file", line) for sorting: numerically by line, not as text."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)


def report(findings: list[Finding], as_json: bool) -> str:
    if as_json:
        return json.dumps([asdict(f) for f in findings], indent=2)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    return "\n".join([*(f.text() for f in findings), summary])
