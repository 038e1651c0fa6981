"""Lint rules for a customer's strongSwan configuration (``--cgw-config``) against
the lab's VPN connection: tunnels, selectors, identities, secrets, DPD."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from driver.analysis.cgw_proposals import proposal_findings
from driver.analysis.cgw_tunnels import from_ipsec_conf, from_swanctl
from driver.analysis.findings import Finding
from driver.analysis.strongswan_conf import (
    ConfigSyntaxError,
    is_swanctl,
    parse_ipsec_secrets,
    parse_swanctl,
)
from driver.lab.model import Lab, TunnelOptions

CONF_RULES = {
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
}


def lint_config(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    text = config.read_text()
    src = str(config)
    try:
        swanctl = is_swanctl(text)
        tunnels = from_swanctl(text, src) if swanctl else from_ipsec_conf(text, src)
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
        out += proposal_findings(t, src, lab, i, options)
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
