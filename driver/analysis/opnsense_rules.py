"""Lint of an OPNsense config.xml against the VPN connection: OPNsense's own traps
first (a file it would not load, IPsec switched off, legacy tunnels vpnlab does not
read, an item pointing to no connection, a connection without an authentication
round, a child not in tunnel mode, a route-based child without its VTI or with
Policies on, a VTI address outside the inside CIDR, nothing routed into the VTIs,
the os-frr plugin's BGP left unread), then the rules every implementation's tunnels
answer to — the proposals judged as strongSwan's, since OPNsense keeps them in
strongSwan's words — with their fixes in OPNsense's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.analysis.cgw_proposals import proposal_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import misplaced_inside, said_once, shared_findings
from driver.cgw.folder import CustomerConfigError
from driver.cgw.opnsense import files
from driver.cgw.opnsense.conf import OpnConf
from driver.cgw.opnsense.tunnels import (
    OpnTunnel,
    opn_tunnels,
    record,
    secrets_of,
    static_routes,
)
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

OPNSENSE_RULES = {
    "conf-opnsense-syntax": "a config.xml OPNsense would not load (or not OPNsense's)",
    "conf-opnsense-disabled": "IPsec switched off (Connections: Enable IPsec unchecked)",
    "conf-opnsense-legacy": "legacy tunnels (phase 1/phase 2), which vpnlab does not read",
    "conf-opnsense-orphan": "an item pointing to no connection, or a connection without a "
    "local or remote authentication round",
    "conf-opnsense-auth": "an authentication round other than a pre-shared key",
    "conf-opnsense-mode": "a child not in tunnel mode",
    "conf-opnsense-vti": "a route-based child without its VTI, or a VTI's child with Policies on",
    "conf-opnsense-vti-address": "a VTI's address outside its tunnel's inside CIDR",
    "conf-opnsense-no-route": "nothing routed into the VTIs (no static route, no BGP)",
    "conf-opnsense-frr": "the os-frr plugin's BGP, which vpnlab does not read",
}
_CONN = "VPN > IPsec > Connections"
# The shared rules' words for what OPNsense calls otherwise.
WORDS = {
    "dpdaction is clear": "the child's DPD action is Clear (the model's default)",
    "dpdaction is none": "the connection has no DPD delay, so no DPD",
    "keyingtries is 1": "Keyingtries is 1 (left empty: strongSwan's default)",
    "no esp_proposals:": "ESP proposals 'default' (the model's):",
    "(start_action = none)": "(the child's Start action: None)",
}
# The shared rules' fixes, in OPNsense's words.
HINTS = {
    "conf-tunnel-count": f"configure both tunnels: a connection per AWS outside address ({_CONN}"
    ": Remote addresses), each with its local and remote PSK rounds and a child",
    "conf-no-initiator": "the child's Start action: Start (or Trap, started by traffic)",
    "conf-dpdaction": "the child's DPD action: Start (restart), with the connection's DPD "
    "delay (10)",
    "conf-keyingtries": "the connection's Keyingtries: 0 (for ever)",
    "conf-right": "the connection's Remote addresses: <the tunnel's outside IP>",
    "conf-selectors": "the child's Local and Remote: the VPN connection's CIDRs (or 0.0.0.0/0 "
    "with a VTI)",
    "conf-leftid": "the local round's Id: <the customer gateway's public address>",
    "conf-mtu": "Interfaces > Settings: MSS 1379 on the VTI interfaces (AWS's with AES-CBC "
    "and NAT-T)",
    "conf-psk-mismatch": "VPN > IPsec > Pre-Shared Keys: the key for the connection's "
    "identities, <the VPN connection's key>",
    "conf-secret-missing": "VPN > IPsec > Pre-Shared Keys: add one with the connection's "
    "local and remote identities and <the VPN connection's key>",
    "conf-identical-selectors": "a VTI per tunnel (VPN > IPsec > Virtual Tunnel Interfaces, "
    "the child's reqid, Policies off), as OPNsense's route-based guide does",
    "conf-ike-version": "the connection's Version: IKEv2 (or IKEv1, as the tunnel allows)",
    "conf-no-pfs": "the child's ESP proposals with a DH group (aes256-sha256-modp2048): "
    "OPNsense's 'default' is strongSwan's, without PFS",
}
FIXES = {
    "conf-opnsense-syntax": f"set it in {_CONN} (the page keeps to the model's values), and "
    "send the backup it saves",
    "conf-opnsense-orphan": f"{_CONN}: edit the connection, and add its Local and Remote "
    "Authentication (Pre-Shared Key)",
    "conf-opnsense-auth": "Authentication: Pre-Shared Key, with the key under VPN > IPsec > "
    "Pre-Shared Keys",
    "conf-opnsense-mode": "the child's Mode: Tunnel",
    "conf-opnsense-vti": "VPN > IPsec > Virtual Tunnel Interfaces: one with the child's reqid, "
    "and the child's Policies off",
}


def lint_opnsense(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    tunnels = opn_tunnels(conf)
    static_routes(conf, tunnels)
    out = [
        Finding("conf-opnsense-syntax" if "points to" not in what else "conf-opnsense-orphan",
                "error" if "points to" not in what else "warning", where, what,
                "give vpnlab the router's config.xml (System > Configuration > Backups)")
        for where, what in conf.problems
    ]  # fmt: skip
    if conf.root.tag != "opnsense":
        return out
    out += [
        Finding(rule, "error", where, what, FIXES.get(rule, ""))
        for t in tunnels
        for rule, where, what in t.problems
    ]
    out += _service(conf) + _legacy(conf) + _frr(conf)
    records = [record(t) for t in tunnels]
    out += shared_findings(
        lab, config, "OPNsense", tunnels, records, secrets_of(tunnels), _proposals, WORDS, HINTS
    )
    vtis = [t for t in tunnels if t.vti is not None]
    out += _addresses(lab, vtis, tunnel_numbers(records)[: len(vtis)]) + _routes(conf, vtis)
    return said_once(out)


def _proposals(t: OpnTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    """OPNsense keeps its proposals in strongSwan's words: judged as strongSwan's are
    (its 'default' ESP proposals name no DH group, so no PFS)."""
    return [
        dataclasses.replace(f, hint=HINTS.get(f.rule, f.hint))
        for f in proposal_findings(record(t), lab, i, options)
    ]


def _service(conf: OpnConf) -> list[Finding]:
    if files.ipsec_enabled(conf):
        return []
    return [
        Finding(
            "conf-opnsense-disabled",
            "error",
            conf.root.where_of("ipsec"),
            "IPsec is off (no <ipsec><enable>): OPNsense starts no strongSwan, so none of its "
            "connections comes up",
            f"{_CONN}: Enable IPsec, then Apply",
        )
    ]


def _legacy(conf: OpnConf) -> list[Finding]:
    return [
        Finding(
            "conf-opnsense-legacy",
            "warning",
            p.where,
            f"a legacy tunnel (phase 1 {p.value('ikeid')}, VPN > IPsec > Tunnel Settings "
            "[legacy]): vpnlab reads the Connections model only, so this tunnel is not judged",
            "move it to VPN > IPsec > Connections (the legacy pages left OPNsense's core in "
            "25.7), or judge it on the router",
        )
        for p in files.legacy_phase1s(conf)
    ]


def _frr(conf: OpnConf) -> list[Finding]:
    bgp = conf.root.find("OPNsense", "quagga", "bgp")
    if bgp is None or bgp.value("enabled") != "1":
        return []
    return [
        Finding(
            "conf-opnsense-frr",
            "info",
            bgp.where,
            "BGP from the os-frr plugin (Routing > BGP): vpnlab does not read it yet, so "
            "neither lint nor the twin judges its neighbours",
            "check its neighbours against the VPN connection's inside addresses and ASN by hand",
        )
    ]


def _addresses(lab: Lab, vtis: list[OpnTunnel], numbers: list[int]) -> list[Finding]:
    out = []
    for n, t in zip(numbers, vtis, strict=False):
        if n >= len(lab.tunnels) or not lab.tunnels[n].inside_cidr:
            continue
        expected = misplaced_inside(t.address or "", lab.tunnels[n].inside_cidr)
        if expected is not None:
            out.append(
                Finding(
                    "conf-opnsense-vti-address",
                    "error",
                    t.vti.where_of("tunnel_local"),
                    f"{t.name}: the VTI's tunnel address {t.vti.value('tunnel_local')} is not "
                    f"the customer gateway's in tunnel {n + 1}'s inside CIDR "
                    f"({lab.tunnels[n].inside_cidr}: {expected.ip})",
                    f"the VTI's Tunnel local address {expected.ip}, Tunnel remote address "
                    f"{expected.ip - 1}",
                )
            )
    return out


def _routes(conf: OpnConf, vtis: list[OpnTunnel]) -> list[Finding]:
    if not vtis or any(t.routes for t in vtis) or _frr(conf):
        return []
    return [
        Finding(
            "conf-opnsense-no-route",
            "error",
            vtis[0].vti.where,
            f"nothing is routed into the VTIs of {' and '.join(t.name for t in vtis)}: no static "
            "route has a gateway on their far ends, so the tunnels come up and carry nothing",
            "System > Gateways: a gateway on each VTI (its Tunnel remote address); System > "
            "Routes: the VPC's network through it",
        )
    ]
