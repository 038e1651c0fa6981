"""Lint rules for a customer's strongSwan configuration (``--cgw-config``) against
the lab's VPN connection: tunnels, selectors, identities, secrets, DPD."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

from driver.analysis import cgw_grammar
from driver.analysis.cgw_bgp_rules import bgp_findings
from driver.analysis.cgw_proposals import proposal_findings
from driver.analysis.cgw_secrets import secret_findings
from driver.analysis.cgw_start_rules import START_RULES, start_findings
from driver.analysis.findings import Finding
from driver.cgw.folder import ServerFolder
from driver.cgw.record import ConfiguredTunnel, tunnel_numbers
from driver.cgw.settings import ConfigSyntaxError
from driver.cgw.strongswan import files as cgw_files
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.core.addresses import is_ipv4
from driver.lab import aws_rules, topology
from driver.lab.model import Lab, TunnelOptions

CONF_RULES = {
    "conf-syntax": "the configuration file cannot be parsed",
    "conf-files": "the configuration cannot be read (missing file, wrong layout)",
    "conf-include": "an include that matches no file, or one outside the directory",
    "conf-replaced": "the lab's own strongswan.conf replaces the customer's",
    "conf-unknown-key": "a key strongSwan does not know (starter ignores it)",
    "conf-refused": "a key or value that makes strongSwan drop the connection",
    "conf-libreswan": "Libreswan/Openswan syntax, which strongSwan does not load",
    "conf-psk-mismatch": "the customer's pre-shared key is not the lab's",
    "conf-duplicate-key": "a key set twice in one conn (the seed writes auto=start twice)",
    "conf-host-bits": "a subnet with host bits set (the seed's leftsubnet=192.168.1.0/16)",
    "conf-selectors": "traffic selectors outside (error) or within (warning) the VPN's CIDRs",
    "conf-leftid": "IKEv2: local id not the customer gateway's public address (or unset)",
    "conf-right": "the remote is not an IP address",
    "conf-sa-pairs": "several conns to one tunnel address: AWS allows one SA pair per tunnel",
    "conf-duplicate-conn": "a conn repeating another's tunnel and selectors: one is refused",
    "conf-tunnel-count": "not two tunnels, as AWS provides",
    "conf-secret-missing": "no pre-shared key for a tunnel",
    "conf-no-initiator": "neither side starts the tunnel: AWS waits (add) and so does the conn",
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
    **START_RULES,
}


def lint_config(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        customer = cgw_files.load(config, secrets)
    except cgw_files.CustomerConfigError as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    except ConfigSyntaxError as exc:
        return [syntax_finding(exc, "strongSwan")]
    grammar = cgw_grammar.judge(customer)
    out = list(grammar.findings)
    out += include_findings(
        customer.folder, "its own strongswan.conf (userspace ESP, its log, vici)"
    )
    tunnels = tunnels_of(customer, grammar.refused)
    out += tunnel_findings(lab, tunnels, str(config))
    out += start_findings(lab, tunnels, customer.folder)
    out += secret_findings(lab, tunnels, customer.secrets)
    out += bgp_findings(lab, customer.folder)
    return out


def syntax_finding(exc: ConfigSyntaxError, daemon: str) -> Finding:
    return Finding(
        "conf-syntax",
        "error",
        f"{exc.source}:{exc.line}",
        str(exc).split(": ", 1)[1],
        f"fix the syntax; {daemon} refuses the whole file",
    )


def include_findings(folder: ServerFolder, replaced_with: str) -> list[Finding]:
    """Includes that read nothing, and the files the lab's own replace."""
    out = [
        Finding(
            "conf-include",
            "warning",
            where,
            what,
            "put the included files in the directory that stands for /etc, or drop the line",
        )
        for where, what in folder.notes
    ]
    out += [
        Finding(
            "conf-replaced",
            "info",
            path,
            f"the local lab runs {replaced_with} instead of this file",
            "nothing to do: connections, secrets and scripts are the customer's",
        )
        for path in folder.replaced[:1]
    ]
    return out


def tunnel_findings(
    lab: Lab,
    tunnels: list[ConfiguredTunnel],
    src: str,
    daemon: str = "strongSwan",
    proposals: Callable[..., list[Finding]] = proposal_findings,
) -> list[Finding]:
    """The rules every implementation's tunnels answer to; ``proposals`` judges their
    IKE and ESP proposals in that implementation's syntax."""
    out: list[Finding] = []

    def add(rule, severity, where, message, hint):
        out.append(Finding(rule, severity, where, message, hint))

    vpn = lab.vpn
    numbers = tunnel_numbers(tunnels)
    if len(set(numbers)) != 2:
        add(
            "conf-tunnel-count",
            "error",
            tunnels[0].where if tunnels else src,
            f"{len(set(numbers))} tunnel(s) {daemon} would load (by remote address); an AWS "
            "VPN connection has two",
            "configure both tunnels, each with auto=start (swanctl: start_action = start)",
        )
    out += _sa_pairs(tunnels, numbers)
    options = lab.tunnels[0].options if lab.tunnels else TunnelOptions()
    for i, t in zip(numbers, tunnels, strict=True):
        where = t.where
        for key, lines in t.keys.items():
            if len(lines) > 1:
                add(
                    "conf-duplicate-key",
                    "warning",
                    f"{t.source}:{lines[-1]}",
                    f"{t.name}: {key} is set {len(lines)} times (lines "
                    f"{', '.join(map(str, lines))}); the last one wins",
                    f"keep one {key} line",
                )
        for label, ts, expected in (
            ("local", t.local_ts, vpn.local_network_cidr),
            ("remote", t.remote_ts, vpn.remote_network_cidr),
        ):
            if ts:
                out += _selector_findings(t, label, ts, expected)
        out += _identity_findings(t, topology.customer_gateway_ip(lab), daemon)
        if not t.right or not is_ipv4(t.right):
            add(
                "conf-right",
                "error",
                where,
                f"{t.name}: remote {t.right or 'not set'} is not a tunnel's outside address",
                "use the VPN connection's tunnel1/tunnel2 outside IPs",
            )
        tunnel_options = lab.tunnels[i].options if i < len(lab.tunnels) else options
        if tunnel_options.startup_action == "add" and t.start_action not in ("start", "trap"):
            add(
                "conf-no-initiator",
                "error",
                where,
                f"{t.name}: it waits for the peer ({_waits(t)}), and the tunnel's startup "
                "action is add: AWS waits for the customer gateway too, so the tunnel never "
                "comes up",
                "set auto=start (swanctl: start_action = start), or the tunnel's "
                "startup_action: start (AWS initiates; IKEv2)",
            )
        if t.dpdaction not in ("restart", "start"):
            add(
                "conf-dpdaction",
                "warning",
                where,
                f"{t.name}: dpdaction is {t.dpdaction}; when AWS clears the tunnel it stays down",
                "set dpdaction=restart (swanctl: dpd_action = restart)",
            )
        if t.keyingtries not in ("%forever", "0"):
            add(
                "conf-keyingtries",
                "warning",
                where,
                f"{t.name}: keyingtries is {t.keyingtries}; after that many failures the "
                "tunnel is abandoned",
                "set keyingtries=%forever (swanctl: keyingtries = 0)",
            )
        for at, what in t.route_based:
            add(
                "conf-route-based",
                "info",
                at,
                f"{t.name}: {what} makes it route-based: it needs VTI or XFRM interfaces "
                "and a distinct mark per tunnel",
                "check the kernel supports it; `vpnlab check` refuses it where the kernel does not",
            )
        out += proposals(t, lab, i, options)
    if (
        len(tunnels) == 2
        and not tunnels[0].route_based
        and (tunnels[0].local_ts, tunnels[0].remote_ts)
        == (tunnels[1].local_ts, tunnels[1].remote_ts)
    ):
        add(
            "conf-identical-selectors",
            "warning",
            tunnels[1].where,
            "both tunnels are policy-based with identical selectors: a Linux kernel keeps "
            "one policy for them, bound to one tunnel, and drops what AWS sends over the "
            "other (XfrmInTmplMismatch); AWS sends on a tunnel it picks at random while "
            "both are up, and failover waits for DPD (~20-30 s)",
            "go route-based (marks + VTI or if_id + XFRM interfaces, 0.0.0.0/0 selectors, "
            "as AWS's downloadable sample does; `vpnlab check --dataplane vm` shows both)",
        )
    if tunnels:
        add(
            "conf-mtu",
            "info",
            tunnels[0].where,
            "AWS VPN has no path MTU discovery (MTU 1446, MSS 1406; ~1422/1382 with AES-CBC "
            "and NAT-T)",
            "clamp TCP MSS on the VPN server, e.g. iptables TCPMSS --set-mss 1382",
        )
    return out


def _sa_pairs(tunnels: list[ConfiguredTunnel], numbers: list[int]) -> list[Finding]:
    """Several conns to one tunnel address (a conn per subnet, as policy-based devices
    write it): each negotiates an SA pair of its own on one AWS tunnel. A conn whose
    selectors repeat another's to the same tunnel is no second pair: strongSwan does
    not establish it ("not establishing CHILD_SA ... due to existing duplicate")."""
    out = []
    for n in sorted(set(numbers)):
        conns = [t for t, m in zip(tunnels, numbers, strict=True) if m == n]
        if len(conns) < 2 or not conns[0].right:
            continue
        pairs: dict[tuple, ConfiguredTunnel] = {}
        for conn in conns:
            first = pairs.setdefault(_selectors(conn), conn)
            if first is not conn:
                out.append(
                    Finding(
                        "conf-duplicate-conn",
                        "warning",
                        conn.where,
                        f"{conn.name} repeats {first.name}'s tunnel ({conn.right.strip()}) "
                        "and selectors: strongSwan establishes only one of them (it refuses "
                        "the other as a duplicate CHILD_SA), so which conn carries the "
                        "tunnel depends on which starts first",
                        "remove one of them (an old copy left beside the new one?)",
                    )
                )
        if len(pairs) > 1:
            named = [t.name for t in pairs.values()]
            out.append(
                Finding(
                    "conf-sa-pairs",
                    "error",
                    conns[1].where,
                    f"{', '.join(named)} all go to {conns[0].right.strip()}: "
                    f"{len(pairs)} SA pairs on one tunnel, and AWS allows one per tunnel "
                    "(customer gateway requirements: 'a single unique SA pair')",
                    "one conn per tunnel whose selectors cover the networks (the VPN "
                    "connection's CIDRs), or route-based with 0.0.0.0/0",
                )
            )
    return out


def _selectors(conn: ConfiguredTunnel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A conn's selectors as strongSwan compares them (order and spaces aside)."""

    def networks(ts: str | None) -> tuple[str, ...]:
        return tuple(sorted(n.strip() for n in (ts or "").split(",") if n.strip()))

    return networks(conn.local_ts), networks(conn.remote_ts)


def _identity_findings(
    t: ConfiguredTunnel, public_ip: str, daemon: str = "strongSwan"
) -> list[Finding]:
    """The identity it presents, as driver/checks/identity.py's table judges it: AWS
    picks the key by address and, in IKEv1 main mode, accepts any identity; for IKEv2
    nothing is published but configurations that present the public address."""
    if t.version == "1":
        return []
    leftid = (t.leftid or "").strip()
    if leftid == public_ip:
        return []
    if not leftid:
        said = f"no local id, so {daemon} presents its own address: behind NAT its private one"
    elif aws_rules.text_behind_nat(leftid.lstrip("@")):
        said = f"local id is {leftid}, a private address"
    else:
        said = f"local id is {leftid}, not the lab's customer gateway address {public_ip}"
    return [
        Finding(
            "conf-leftid",
            "warning",
            t.origin("leftid"),
            f"{t.name}: {said}. AWS documents no rule on the IKEv2 identity; every published "
            "configuration that works behind NAT presents the customer gateway's public "
            "address (`vpnlab check` reads WARN)",
            f"set leftid (swanctl: local {{ id = … }}) to {public_ip} (or, if that is the "
            "customer gateway's address, onprem.vpn_server.public_ip in the lab)",
        )
    ]


def _selector_findings(
    t: ConfiguredTunnel, label: str, ts: str, expected: ipaddress.IPv4Network
) -> list[Finding]:
    """Selectors within the VPN connection's CIDR: AWS accepts them (a warning: only
    that traffic is carried); outside it: the VGW refuses them (TS_UNACCEPTABLE)."""
    key = {"local": "leftsubnet/local_ts", "remote": "rightsubnet/remote_ts"}[label]
    where = t.origin(f"{label}_ts")
    out = []
    for text in (part.strip() for part in ts.split(",")):
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError:
            try:
                net = ipaddress.ip_network(text, strict=False)
            except ValueError:
                continue
            out.append(
                Finding(
                    "conf-host-bits",
                    "warning",
                    where,
                    f"{t.name}: {key} {text} has host bits set; strongSwan uses {net}",
                    f"write {net}",
                )
            )
        if net == expected or net.version != expected.version:
            continue
        if net.subnet_of(expected):
            out.append(
                Finding(
                    "conf-selectors",
                    "warning",
                    where,
                    f"{t.name}: {key} {net} is narrower than the VPN connection's {label} "
                    f"network {expected}: AWS accepts it, and only {net} crosses the tunnel",
                    f"nothing to do if only {net} should cross; else set {key} to {expected}",
                )
            )
        elif expected.subnet_of(net):
            out.append(
                Finding(
                    "conf-selectors",
                    "warning",
                    where,
                    f"{t.name}: {key} {net} is wider than the VPN connection's {label} network "
                    f"{expected}: AWS's guide does not say what AWS does; the emulated VGW "
                    f"narrows it to {expected}",
                    f"set {key} to {expected}",
                )
            )
        else:
            out.append(
                Finding(
                    "conf-selectors",
                    "error",
                    where,
                    f"{t.name}: {key} {net} is not within the VPN connection's {label} "
                    f"network {expected}: the VGW answers TS_UNACCEPTABLE (or narrows it)",
                    f"set {key} to {expected} (or a part of it), or widen the VPN connection's "
                    f"{label}_network_cidr",
                )
            )
    return out


def _waits(t: ConfiguredTunnel) -> str:
    return (
        f"auto={t.start_action}" if t.settings is not None else f"start_action = {t.start_action}"
    )
