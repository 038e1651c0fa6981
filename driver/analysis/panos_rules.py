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
from pathlib import Path

from driver.analysis.cgw_bgp_rules import router_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.findings import Finding
from driver.analysis.panos_words import BGP_HINTS, HINTS, MONITOR, WORDS
from driver.analysis.router_rules import (
    apart_from,
    in_words,
    misplaced_inside,
    shared_findings,
)
from driver.cgw.folder import CustomerConfigError
from driver.cgw.panos import files
from driver.cgw.panos.bgp import pan_bgp
from driver.cgw.panos.conf import PanConf
from driver.cgw.panos.proposals import NO_PFS, OLD_NAMES, group_number, of_record
from driver.cgw.panos.tunnels import (
    ENCRYPTED,
    UNITS,
    PanTunnel,
    local_identity,
    pan_tunnels,
    record,
    secrets_of,
    static_routes,
    unit_address,
)
from driver.cgw.record import tunnel_numbers
from driver.core.errors import VpnlabError
from driver.lab.aws_rules import text_behind_nat
from driver.lab.model import Lab, TunnelOptions

PANOS_RULES = {
    "conf-panos-syntax": "a command PAN-OS refuses as written (no 'top' back from an edit, "
    "a quote or list left open, XML it does not load)",
    "conf-panos-undefined": "an IKE gateway or crypto profile named but never defined",
    "conf-panos-profile": "a crypto profile without encryption or hash (no default exists)",
    "conf-panos-old-name": "an algorithm by its name before PAN-OS 7.0 (aes128)",
    "conf-panos-nat-t": "a gateway on a private address with NAT traversal off",
    "conf-panos-pfs": "an IPsec crypto profile with no-pfs, or a group AWS does not rekey with",
    "conf-panos-unit": "a tunnel interface without its address, or outside the inside CIDR",
    "conf-panos-no-route": "nothing routed into the tunnel interfaces (no static route, no BGP)",
    "conf-panos-on-traffic": "a tunnel PAN-OS starts only on traffic routed into it, and AWS "
    "waits too",
    "conf-panos-encrypted-key": "a key PAN-OS printed encrypted (-AQ==…): not comparable",
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
    encrypted = {
        t.label for t in known
        if (t.gateway.value("authentication", "pre-shared-key", "key") or "").startswith(ENCRYPTED)
    }  # fmt: skip
    out = apart_from(out, "conf-secret-missing", encrypted)
    bgp = pan_bgp(conf, str(config))
    if bgp is not None:  # bgpd's packets into each tunnel interface start it again
        out = apart_from(out, "conf-dpdaction", {t.label for t in known})
    out += [in_words(f, {}, BGP_HINTS) for f in router_findings(lab, bgp, str(config))]
    out += _old_names(known)
    out += _encrypted_keys(known)
    numbers = tunnel_numbers(records)
    first = {t.name: n for t, n in reversed(list(zip(known, numbers, strict=True)))}
    units = list({t.name: t for t in known if t.interface}.values())
    out += _units(lab, conf, units, [first[t.name] for t in units], bgp is not None)
    out += _routes(lab, conf, units, bgp is not None, str(config))
    out += _on_traffic(lab, known, numbers, bgp is not None)
    out += _nat_t(known)
    return out


def _nat_t(tunnels: list[PanTunnel]) -> list[Finding]:
    """PAN-OS leaves NAT traversal off: behind NAT, its ESP is not in UDP 4500, and a
    NAT that translates only TCP and UDP drops it (AWS: "If not behind NAT, we
    recommend disabling NAT-T"; behind one, enable it)."""
    out = {}
    for t in tunnels:
        local = local_identity(t) if t.gateway.value("local-id", "id") is None else None
        if t.gw("protocol-common", "nat-traversal", "enable") == "yes" or not (
            local and text_behind_nat(local)
        ):
            continue
        out[t.gateway_name] = Finding(
            "conf-panos-nat-t",
            "warning",
            t.where_gw("protocol-common"),
            f"gateway {t.gateway_name}: its local address {local} is private, so it sits "
            "behind NAT, and NAT traversal is off (PAN-OS's default): its ESP is not carried "
            "in UDP 4500, which a NAT that translates only TCP and UDP drops (the twin, "
            "strongSwan, always detects NAT: it does not show this)",
            f"set network ike gateway {t.gateway_name} protocol-common nat-traversal enable yes",
        )
    return list(out.values())


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
        if profile.ah:
            out.append(
                Finding(
                    "conf-panos-profile",
                    "error",
                    where,
                    f"{label} uses AH: AWS's tunnels carry ESP only",
                    f"set esp encryption and esp authentication in the {label} (and delete its ah)",
                )  # fmt: skip
            )
            continue
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
        said = (
            "dh-group no-pfs: AWS requires PFS in phase 2, so it refuses the first quick mode"
            if t.version == "ikev1"
            else "dh-group no-pfs: the first SA comes up, but AWS requires PFS when it rekeys"
        )
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
                        "error",
                        profile.where,
                        f"crypto profile {profile.name}: {word} is the name PAN-OS used before "
                        f"7.0 (AWS's sample for PAN-OS 4.1 writes it); PAN-OS 7.0 and later "
                        f"call it {OLD_NAMES[word]}, and their schema has no {word}",
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
        expected = misplaced_inside(address, inside)
        if expected is not None:
            out.append(
                Finding("conf-panos-unit", "error", where,
                        f"{t.interface}: ip {address} is not the customer gateway's inside "
                        f"address of Tunnel{n + 1} ({expected}, in {inside})",
                        f"set network interface tunnel units {t.interface} ip {expected}")
            )  # fmt: skip
    return out


def _routes(
    lab: Lab, conf: PanConf, tunnels: list[PanTunnel], bgp: bool, src: str
) -> list[Finding]:
    if not tunnels or bgp or any(static_routes(conf, t.interface) for t in tunnels):
        return []
    if conf.network.at("logical-router") is not None:
        return []  # Advanced Routing's logical routers are not read: nothing to say
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
                MONITOR + ", or the tunnel's startup_action: start (AWS initiates; IKEv2)",
            )
    return list(out.values())
