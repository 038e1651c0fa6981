"""Lint of a Palo Alto firewall's configuration (PAN-OS: set commands, XML or the
brace form) against the VPN connection: PAN-OS's own traps first (a command read
where no ``top`` came back, a gateway or crypto profile named but never defined,
a profile without encryption or hash, the algorithm names of PAN-OS before 7.0, a
tunnel interface without its address or outside the VPN's inside CIDR, nothing
routed into the tunnels, phase 2 without PFS, a tunnel that starts only on traffic
the routes never send it), then the rules every implementation's tunnels answer
to, with their fixes in PAN-OS's words."""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.router_rules import in_words, shared_findings
from driver.cgw.folder import CustomerConfigError
from driver.cgw.panos import files
from driver.cgw.panos.bgp import pan_bgp
from driver.cgw.panos.conf import PanConf
from driver.cgw.panos.proposals import NO_PFS, OLD_NAMES, group_number, of_record
from driver.cgw.panos.tunnels import (
    ENCRYPTED,
    UNITS,
    PanTunnel,
    pan_tunnels,
    record,
    secrets_of,
    static_routes,
    unit_address,
)
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.model import Lab, TunnelOptions

PANOS_RULES = {
    "conf-panos-syntax": "a command PAN-OS refuses as written (no 'top' back from an edit, "
    "a quote or list left open, XML it does not load)",
    "conf-panos-undefined": "an IKE gateway or crypto profile named but never defined",
    "conf-panos-profile": "a crypto profile without encryption or hash (no default exists)",
    "conf-panos-old-name": "an algorithm by its name before PAN-OS 7.0 (aes128)",
    "conf-panos-pfs": "an IPsec crypto profile with no-pfs, or a group AWS does not rekey with",
    "conf-panos-unit": "a tunnel interface without its address, or outside the inside CIDR",
    "conf-panos-no-route": "nothing routed into the tunnel interfaces (no static route, no BGP)",
    "conf-panos-on-traffic": "a tunnel PAN-OS starts only on traffic routed into it, and AWS "
    "waits too",
    "conf-panos-encrypted-key": "a key PAN-OS printed encrypted (-AQ==…): not comparable",
}
# The shared rules' words for what PAN-OS calls otherwise.
WORDS = {
    "(start_action = none)": "(passive-mode yes: responder only)",
    "dpdaction is trap": "without tunnel monitoring PAN-OS starts it again only on traffic",
    "dpdaction is hold": "passive mode: PAN-OS never starts it again",
}
_MONITOR = (
    "set network tunnel ipsec <tunnel> tunnel-monitor enable yes, destination-ip <AWS's "
    "inside address of the tunnel>"
)
# The shared rules' fixes, in PAN-OS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an IKE gateway (peer-address ip <the "
    "tunnel's outside IP>) and a network tunnel ipsec naming it, for each",
    "conf-no-initiator": "set network ike gateway <gateway> protocol-common passive-mode no, "
    f"and {_MONITOR}",
    "conf-dpdaction": _MONITOR,
    "conf-right": "set network ike gateway <gateway> peer-address ip <the tunnel's outside IP>",
    "conf-selectors": "remove the tunnel's proxy-id (PAN-OS proposes 0.0.0.0/0, as AWS's "
    "route-based tunnels do), or set its local and remote to the VPN connection's CIDRs",
    "conf-leftid": "set network ike gateway <gateway> local-id type ipaddr id <the customer "
    "gateway's public address>, or leave local-id out",
    "conf-mtu": "set network interface tunnel units <tunnel.N> mtu 1427, and TCP MSS "
    "adjustment on the outside interface (adjust-tcp-mss enable yes)",
    "conf-weak-proposal": "encryption aes-256-cbc, hash sha256, dh-group group14 in the IKE "
    "crypto profile; esp encryption aes-256-cbc, authentication sha256, dh-group group14 in "
    "the IPsec crypto profile",
    "conf-psk-mismatch": "set network ike gateway <gateway> authentication pre-shared-key key "
    "<the VPN connection's key>",
    "conf-secret-missing": "set network ike gateway <gateway> authentication pre-shared-key "
    "key <the VPN connection's key>",
    "conf-sa-pairs": "one proxy-id per tunnel (its local and remote covering the VPN "
    "connection's CIDRs), or none (0.0.0.0/0, route-based)",
}
# The BGP rules' fixes (cgw_bgp_rules.py), in PAN-OS's words.
_BGP = "set network virtual-router <VR> protocol bgp"
BGP_HINTS = {
    "bgp-remote-as": f"{_BGP} peer-group <group> peer <peer> peer-as <the VGW's ASN>",
    "bgp-local-as": f"{_BGP} local-as <the customer gateway's ASN>",
    "bgp-neighbors": f"{_BGP} peer-group <group> peer <peer> peer-address ip <AWS's inside "
    "address, the .1 of each tunnel's /30>, local-address interface <tunnel.N>",
    "bgp-timers": f"{_BGP} peer-group <group> peer <peer> connection-options "
    "keep-alive-interval 10 hold-time 30",
    "bgp-config-missing": f"{_BGP} enable yes, local-as <ASN> and a peer per tunnel",
    "bgp-shutdown": f"{_BGP} peer-group <group> peer <peer> enable yes",
}


def lint_panos(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        conf = files.load(config, secrets)
    except (CustomerConfigError, VpnlabError) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    out = [
        Finding(
            "conf-panos-syntax",
            "error",
            where,
            what,
            "paste each block with a 'top' after it (or use set commands from the top)",
        )
        for where, what in conf.problems
    ]
    tunnels = pan_tunnels(conf)
    out += _undefined(tunnels)
    known = [t for t in tunnels if t.gateway is not None]
    records = [record(t) for t in known]
    out += shared_findings(
        lab, config, "Palo Alto firewall", known, records, secrets_of(known),
        _proposal_findings, WORDS, HINTS,
    )  # fmt: skip
    bgp = pan_bgp(conf, str(config))
    out += [in_words(f, {}, BGP_HINTS) for f in router_findings(lab, bgp, str(config))]
    out += _old_names(known)
    out += _encrypted_keys(known)
    numbers = tunnel_numbers(records)
    first = {t.name: n for t, n in reversed(list(zip(known, numbers, strict=True)))}
    units = list({t.name: t for t in known if t.interface}.values())
    out += _units(lab, conf, units, [first[t.name] for t in units], bgp is not None)
    out += _routes(lab, conf, units, bgp is not None, str(config))
    out += _on_traffic(lab, known, numbers, bgp is not None)
    return out


def _undefined(tunnels: list[PanTunnel]) -> list[Finding]:
    out = []
    for t in tunnels:
        if t.gateway is None:
            out.append(
                _undefined_finding(
                    t.where_tun("auto-key"), f"tunnel {t.name}", "IKE gateway", t.gateway_name
                )  # fmt: skip
            )
            continue
        if t.ike_profile() is None:
            out.append(
                _undefined_finding(
                    t.where_gw("protocol"),
                    f"gateway {t.gateway_name}",
                    "IKE crypto profile",
                    t.ike_profile_name(),
                )  # fmt: skip
            )
        if t.ipsec_profile() is None:
            name = t.tun("auto-key", "ipsec-crypto-profile")
            out.append(
                _undefined_finding(
                    t.where_tun("auto-key", "ipsec-crypto-profile"),
                    f"tunnel {t.name}",
                    "IPsec crypto profile",
                    name,
                )  # fmt: skip
            )
    return list({f.where + f.message: f for f in out}.values())  # a tunnel per proxy-ID


def _undefined_finding(where: str, who: str, what: str, name: str) -> Finding:
    return Finding(
        "conf-panos-undefined",
        "error",
        where,
        f"{who} names {what} '{name}', which is not defined (nor one PAN-OS has from the "
        "factory): PAN-OS refuses the commit",
        f"define {what} '{name}', or name one that is",
    )


def _proposal_findings(t: PanTunnel, lab: Lab, i: int, options: TunnelOptions) -> list[Finding]:
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    out = []
    for kind, profile, aws in (
        ("IKE", t.ike_profile(), options.phase1),
        ("ESP", t.ipsec_profile(), options.phase2),
    ):
        if profile is None:
            continue  # _undefined says so
        where = profile.where if profile.where != "factory" else t.where_gw("protocol")
        label = f"{'IKE' if kind == 'IKE' else 'IPsec'} crypto profile {profile.name}"
        missing = [w for w, v in (("encryption", profile.encryption),
                                  ("hash" if kind == "IKE" else "esp authentication",
                                   profile.hashes)) if not v]  # fmt: skip
        if missing:
            out.append(
                Finding(
                    "conf-panos-profile",
                    "error",
                    where,
                    f"{label} sets no {' and no '.join(missing)}, and PAN-OS has no "
                    "default for it: the commit fails",
                    f"set {' and '.join(missing)} in the {label}",
                )  # fmt: skip
            )
            continue
        text = (record(t).ike if kind == "IKE" else record(t).esp) or ""
        offered = of_record(text, kind == "IKE")
        if not any(acceptable(p, aws, kind == "IKE") for p in offered):
            fix = f"set the {label}'s algorithms to what the VPN connection allows"
            out.append(no_common(kind, where, f"{t.label}: no combination of {label}", aws, fix))
        out += [
            dataclasses.replace(f, hint=HINTS["conf-weak-proposal"])
            for f in weak_findings(t.label, kind, offered, where)
        ]
    out += _pfs(t, options)
    return out


def _pfs(t: PanTunnel, options: TunnelOptions) -> list[Finding]:
    """AWS rekeys phase 2 with PFS, in its phase 2 DH groups."""
    profile = t.ipsec_profile()
    if profile is None or not profile.encryption:
        return []
    where = profile.where if profile.where != "factory" else t.where_tun("auto-key")
    group = profile.groups[-1] if profile.groups else NO_PFS
    if group == NO_PFS:
        said = "dh-group no-pfs: the first SA comes up, but AWS requires PFS when it rekeys"
    elif group_number(group) not in options.phase2.dh_groups:
        said = (f"dh-group {group} is none of the groups AWS rekeys phase 2 with "
                f"({', '.join(map(str, options.phase2.dh_groups))})")  # fmt: skip
    else:
        return []
    return [
        Finding(
            "conf-panos-pfs",
            "error",
            where,
            f"{t.label}: IPsec crypto profile {profile.name}: {said}",
            f"set network ike crypto-profiles ipsec-crypto-profiles {profile.name} "
            "dh-group group14",
        )  # fmt: skip
    ]


def _old_names(tunnels: list[PanTunnel]) -> list[Finding]:
    out = {}
    for t in tunnels:
        for profile in (t.ike_profile(), t.ipsec_profile()):
            for word in profile.encryption if profile else []:
                if word in OLD_NAMES:
                    out[(profile.where, word)] = Finding(
                        "conf-panos-old-name",
                        "warning",
                        profile.where,
                        f"crypto profile {profile.name}: {word} is the name PAN-OS used before "
                        f"7.0 (AWS's sample for PAN-OS 4.1 writes it); PAN-OS 7.0 and later "
                        f"call it {OLD_NAMES[word]} and refuse {word}",
                        f"encryption {OLD_NAMES[word]}",
                    )
    return list(out.values())


def _encrypted_keys(tunnels: list[PanTunnel]) -> list[Finding]:
    path = ("authentication", "pre-shared-key", "key")
    found = {
        t.gateway_name: Finding(
            "conf-panos-encrypted-key",
            "info",
            t.where_gw(*path),
            f"gateway {t.gateway_name}: its key is encrypted by PAN-OS (-AQ==…): vpnlab cannot "
            "compare it with the VPN connection's, and the twin needs it in plain text",
            "give vpnlab a copy with the key itself (authentication pre-shared-key key <key>)",
        )
        for t in tunnels
        if (t.gateway.value(*path) or "").startswith(ENCRYPTED)
    }
    return list(found.values())


def _units(
    lab: Lab, conf: PanConf, tunnels: list[PanTunnel], numbers: list[int], bgp: bool
) -> list[Finding]:
    """Each tunnel interface's address: the customer's host of its inside CIDR."""
    out = []
    parent = conf.network.at(*UNITS[:-1], "ip")
    if parent is not None and parent.children:
        out.append(
            Finding("conf-panos-unit", "error" if bgp else "warning", parent.where,
                    "ip is set on 'interface tunnel' itself, not on a unit (tunnel.N): no "
                    "tunnel interface gets the address (AWS's sample writes it so)",
                    "set network interface tunnel units <tunnel.N> ip <its inside address/30>")
        )  # fmt: skip
    for n, t in zip(numbers, tunnels, strict=False):
        address, where = unit_address(conf, t.interface)
        inside = lab.tunnels[n].inside_cidr if n < len(lab.tunnels) else None
        if not address or not inside:
            if not address and bgp:
                out.append(
                    Finding(
                        "conf-panos-unit",
                        "error",
                        where or t.where_tun("tunnel-interface"),
                        f"{t.interface} has no address: BGP over it has nothing to peer from",
                        f"set network interface tunnel units {t.interface} ip <its inside "
                        "address/30>",
                    )  # fmt: skip
                )
            continue
        network = ipaddress.IPv4Network(str(inside))
        expected = ipaddress.IPv4Interface(f"{list(network.hosts())[1]}/{network.prefixlen}")
        try:
            wrong = ipaddress.IPv4Interface(address) != expected
        except ValueError:
            wrong = True
        if wrong:
            out.append(
                Finding("conf-panos-unit", "error", where,
                        f"{t.interface}: ip {address} is not the customer gateway's inside "
                        f"address of Tunnel{n + 1} ({expected}, in {network})",
                        f"set network interface tunnel units {t.interface} ip {expected}")
            )  # fmt: skip
    return out


def _routes(
    lab: Lab, conf: PanConf, tunnels: list[PanTunnel], bgp: bool, src: str
) -> list[Finding]:
    if not tunnels or bgp or any(static_routes(conf, t.interface) for t in tunnels):
        return []
    vpc = lab.aws.vpc_cidr
    return [
        Finding(
            "conf-panos-no-route",
            "error",
            tunnels[0].where_tun("tunnel-interface"),
            f"nothing is routed into {' and '.join(t.interface for t in tunnels)}: no static "
            "route names them and no BGP runs over them, so the tunnels come up and carry "
            "nothing",
            "; ".join(
                f"set network virtual-router default routing-table ip static-route aws-{i} "
                f"destination {vpc} interface {t.interface} metric {10 * i}"
                for i, t in enumerate(tunnels, start=1)
            ),
        )
    ]


def _on_traffic(lab: Lab, tunnels: list[PanTunnel], numbers: list[int], bgp: bool):
    """A tunnel PAN-OS starts only on traffic routed into it, where AWS waits too:
    with static routes one tunnel carries the traffic, and the other never starts."""
    if bgp:
        return []  # BGP's own packets are traffic into each tunnel
    out = {}
    for n, t in zip(numbers, tunnels, strict=True):
        options = lab.tunnels[n].options if n < len(lab.tunnels) else None
        if t.start_action() == "trap" and (options is None or options.startup_action == "add"):
            out[t.name] = Finding(
                "conf-panos-on-traffic",
                "warning",
                t.where_tun("tunnel-monitor"),
                f"{t.name}: without tunnel monitoring PAN-OS starts it only when traffic is "
                f"routed into {t.interface}, and the tunnel's startup action is add (AWS waits "
                "too): a tunnel the routes prefer less gets none while the other is up, so it "
                "stays down, AWS reports it DOWN, and failover waits for IKE",
                _MONITOR + ", or the tunnel's startup_action: start (AWS initiates; IKEv2)",
            )
    return list(out.values())
