"""``vpnlab init --from-answers``: the lab that matches the other company's answers,
and where their answers and AWS's options cannot meet.

Their proposals are met with what AWS offers: what AWS does not offer is dropped
(a warning), nothing left is an error; their device's words
(driver/handoff/vendor_words.py) say what it cannot set. Errors refuse the lab,
all at once; warnings go with it."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from driver.analysis.findings import Finding
from driver.analysis.lab_from_cgw import DEFAULT_ONPREM_VPC, two_subnets, vpc_holding
from driver.handoff.answers import Answers
from driver.handoff.vendor_words import VOCABULARIES, Vocabulary
from driver.lab import aws_rules
from driver.lab.loader import parse_lab

AWS_VPCS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/16", "172.31.0.0/16", "10.100.0.0/16"))
# how people name their device -> the sheet's vocabulary
VENDORS = {
    "strongswan": "strongSwan", "libreswan": "Libreswan", "cisco": "Cisco IOS",
    "ios": "Cisco IOS", "fortigate": "FortiOS", "fortios": "FortiOS", "fortinet": "FortiOS",
    "palo alto": "PAN-OS", "pan-os": "PAN-OS", "juniper": "Junos", "junos": "Junos",
    "srx": "Junos", "yamaha": "Yamaha RTX", "rtx": "Yamaha RTX", "vyos": "VyOS",
    "edgeos": "VyOS", "edgerouter": "VyOS", "vyatta": "VyOS",
}  # fmt: skip


@dataclass(frozen=True)
class Plan:
    lab: str  # the lab file's text
    findings: list[Finding]


def default_name(path: Path) -> str:
    """A lab name from a file's name (the lab's, else the answers'), when the answers
    give none: lowercase, digits and '-', starting with a letter, at most 20."""
    name = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower())
    return re.sub(r"^[^a-z]+", "", name)[:20].strip("-") or "customer"


def vocabulary_of(vendor: str) -> Vocabulary | None:
    """The sheet's words for the device they named (whole words: "Cisco ASA" is not
    IOS, whose words the ASA does not share), or None."""
    named = f" {re.sub(r'[^a-z0-9-]+', ' ', vendor.lower())} "
    if " asa " in named:
        return None
    title = next((t for word, t in VENDORS.items() if f" {word} " in named), None)
    return next((v for v in VOCABULARIES if v.title == title), None)


class _Findings(list):
    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def add(self, severity: str, key: str, message: str, hint: str) -> None:
        where = f"{self.source}: {key}"
        self.append(Finding(f"answers-{key.split('.')[0]}", severity, where, message, hint))


def plan(answers: Answers, source: str, default_name: str) -> Plan:
    found = _Findings(source)
    p, routing, address = answers.proposals, answers.routing, answers.address
    versions = tuple(p.ike_versions) or aws_rules.IKE_VERSIONS  # none answered: either
    phases = {
        "phase1": _phase(found, p, 1, aws_rules.PHASE1_DH_GROUPS),
        "phase2": _phase(found, p, 2, aws_rules.PHASE2_DH_GROUPS),
    }
    _lifetimes(found, p)
    device = vocabulary_of(answers.device.vendor)
    if device:
        _device(found, device, phases, versions)
    startup = "add" if answers.tunnels.can_initiate else "start"
    if startup == "start" and "ikev2" not in versions:
        found.add(
            "error",
            "tunnels.can_initiate",
            "your device cannot start IKE, and AWS starts IKEv2 only",
            "answer ikev2 in proposals.ike_versions, or let your device start",
        )
    _address(found, address, startup)
    name = answers.connection.name
    if name and not re.fullmatch(r"[a-z][a-z0-9-]{0,19}", name):
        found.add(
            "error",
            "connection.name",
            f"'{name}' cannot name a lab",
            "lowercase letters, digits and '-', starting with a letter, at most 20",
        )
    networks = routing.networks
    if networks and _aws_vpc(networks) is None:
        found.add(
            "error",
            "routing.networks",
            f"{', '.join(map(str, networks))} leave no room "
            f"for the AWS side's VPC (tried {', '.join(map(str, AWS_VPCS))})",
            "answer the networks that must reach AWS, not a default route",
        )
    if not networks:
        found.add(
            "error",
            "routing.networks",
            "no network of yours to reach AWS",
            "answer your networks as CIDRs, e.g. [192.168.0.0/16]",
        )
    if routing.bgp:
        _bgp(found, answers)
    elif answers.tunnels.kind == "policy" and len(networks) > 1:
        found.add(
            "warning",
            "routing.networks",
            f"{len(networks)} networks with policy-based "
            f"tunnels: AWS keeps one SA pair per tunnel, so one selector ({networks[0]})",
            "summarise them in one CIDR, or use route-based tunnels (0.0.0.0/0 selectors)",
        )
    if any(f.severity == "error" for f in found):
        return Plan("", list(found))
    return Plan(_lab(answers, phases, startup, versions, source, default_name), list(found))


def _address(found, address, startup: str) -> None:
    """Their public address as AWS's customer gateway needs it."""
    if startup == "start" and address.behind_nat:
        found.add(
            "warning",
            "address.behind_nat",
            "AWS starts IKE towards a device behind NAT",
            "configure your device's identity (IDr): AWS requires it behind NAT",
        )
    if address.public_ip is None:
        found.add(
            "warning",
            "address.public_ip",
            "no public address: the lab's check uses "
            "203.0.113.10, AWS's customer gateway needs yours",
            "answer it before apply",
        )
    elif aws_rules.behind_nat(address.public_ip):
        found.add(
            "error",
            "address.public_ip",
            f"{address.public_ip} exists only behind NAT",
            "answer the public address AWS sees: behind NAT, the NAT device's",
        )
    if not address.static:
        found.add(
            "warning",
            "address.static",
            "a customer gateway with a pre-shared key needs a static public address",
            "a dynamic one needs certificate authentication, which vpnlab does not emulate",
        )


def _phase(found, p, n: int, groups: frozenset) -> dict:
    """AWS's options for phase ``n``: theirs that AWS offers (an empty answer: all)."""
    out = {}
    for kind, offered, name in (
        ("encryption", tuple(aws_rules.ENCRYPTION), f"phase{n}_encryption"),
        ("integrity", tuple(aws_rules.INTEGRITY), f"phase{n}_integrity"),
        ("dh_groups", tuple(sorted(groups)), f"phase{n}_{'dh' if n == 1 else 'pfs'}_groups"),
    ):
        answered = getattr(p, name)
        kept = [v for v in answered if v in offered]
        dropped = [str(v) for v in answered if v not in offered]
        key = f"proposals.{name}"
        if dropped and kept:
            found.add(
                "warning",
                key,
                f"AWS does not offer {', '.join(dropped)}: left out",
                f"AWS offers {', '.join(map(str, offered))}",
            )
        if answered and not kept:
            found.add(
                "error",
                key,
                f"AWS offers none of {', '.join(dropped)}",
                f"AWS offers {', '.join(map(str, offered))}: your device needs one of them",
            )
        out[kind] = kept or list(offered)
    out["lifetime"] = getattr(p, f"phase{n}_lifetime")
    return out


def _lifetimes(found, p) -> None:
    for n, (low, high) in ((1, aws_rules.PHASE1_LIFETIME), (2, aws_rules.PHASE2_LIFETIME)):
        value = getattr(p, f"phase{n}_lifetime")
        if not low <= value <= high:
            found.add(
                "error",
                f"proposals.phase{n}_lifetime",
                f"{value} s is outside AWS's {low}-{high} s",
                "answer a lifetime your device can set within it",
            )
    if p.phase2_lifetime >= p.phase1_lifetime:
        found.add(
            "error",
            "proposals.phase2_lifetime",
            "phase 2's lifetime is not below phase 1's, which AWS requires",
            "shorten phase 2's or lengthen phase 1's",
        )


def _device(found, device: Vocabulary, phases: dict, versions: tuple) -> None:
    """What the named device cannot set, or is not known to, of what was chosen."""
    for n, tables in (
        (1, (device.ike_encryption, device.ike_integrity, device.ike_groups)),
        (2, (device.esp_encryption, device.esp_integrity, device.pfs_groups)),
    ):
        chosen = phases[f"phase{n}"]
        for kind, table in zip(("encryption", "integrity", "dh_groups"), tables, strict=True):
            cannot = [str(v) for v in chosen[kind] if table.get(v) is None]
            if cannot and len(cannot) == len(chosen[kind]):
                found.add(
                    "warning",
                    f"proposals.phase{n}_{kind}",
                    f"{device.title} cannot set {', '.join(cannot)} ({device.source})",
                    "check the device's release, or answer what it can set",
                )
    # an RTX's IKEv2 PFS is its phase 1 group (IKEv1 can name a second: §15.24)
    if (
        device.title == "Yamaha RTX"
        and "ikev1" not in versions
        and not set(phases["phase1"]["dh_groups"]) & set(phases["phase2"]["dh_groups"])
    ):
        found.add(
            "warning",
            "proposals.phase2_pfs_groups",
            "Yamaha RTX's PFS under IKEv2 uses its phase 1 group, which phase 2's groups do not "
            "include",
            "answer a common group, or IKEv1 (ipsec ike group <gw> <phase 1's> <phase 2's>)",
        )


def _bgp(found, answers: Answers) -> None:
    asn = answers.routing.asn
    if answers.tunnels.kind == "policy":
        found.add(
            "error",
            "routing.bgp",
            "BGP runs over route-based tunnels only",
            "answer tunnels.kind: route, or no BGP (static routing)",
        )
    low, high = aws_rules.BGP_ASN
    if not low <= asn <= high:
        found.add(
            "error",
            "routing.asn",
            f"ASN {asn} is outside AWS's {low}-{high}",
            "answer a 2-byte or 4-byte ASN AWS accepts",
        )
    elif asn in aws_rules.RESERVED_CUSTOMER_ASNS:
        found.add("error", "routing.asn", f"AWS reserves ASN {asn}", "answer another ASN")
    elif asn == aws_rules.AMAZON_SIDE_ASN_DEFAULT:
        found.add(
            "error",
            "routing.asn",
            f"ASN {asn} is the AWS side's (its default): "
            "the session would be iBGP, which AWS does not run",
            "answer another private ASN (64513-65534)",
        )
    if len(answers.routing.networks) > aws_rules.MAX_ADVERTISED_PREFIXES:
        found.add(
            "error",
            "routing.networks",
            "more prefixes than the 100 AWS accepts",
            "summarise them: AWS closes the session at the 101st",
        )


def _aws_vpc(networks) -> ipaddress.IPv4Network | None:
    """A VPC for the AWS side apart from all their networks."""
    return next((v for v in AWS_VPCS if not any(v.overlaps(n) for n in networks)), None)


def _lab(
    answers: Answers, phases: dict, startup: str, versions: tuple, source: str, default_name: str
) -> str:
    networks = answers.routing.networks
    aws_vpc = _aws_vpc(networks)
    onprem_vpc = vpc_holding(networks[0], DEFAULT_ONPREM_VPC, subnets=2)
    public, private = two_subnets(onprem_vpc)
    route = answers.tunnels.kind == "route"
    listed = ", ".join(map(str, networks))
    name = answers.connection.name or default_name
    lines = [
        f"# Written by `vpnlab init --from-answers {source}`: the other company's answers",
        "# met with AWS's options (each value names the answer it comes from); the AWS",
        "# side is yours to change. Check it with: sudo vpnlab check <this file>",
        "# Their device: " + (_device_named(answers) or "not said"),
        f"name: {name}                     # connection.name",
        "region: ap-northeast-1",
        "",
        "aws:",
        f"  vpc_cidr: {aws_vpc}            # yours: apart from their networks",
        f"  private_subnet_cidr: {next(aws_vpc.subnets(new_prefix=24))}",
        "",
        "onprem:",
        f"  vpc_cidr: {onprem_vpc}         # routing.networks",
        f"  public_subnet_cidr: {public}",
        f"  private_subnet_cidr: {private}",
    ]
    if answers.address.public_ip:
        lines += [
            "  vpn_server:",
            f"    public_ip: {answers.address.public_ip}   # address.public_ip",
        ]
    lines += ["", "vpn:"]
    if answers.routing.bgp:
        lines += ["  routing: bgp                    # routing.bgp",
                  f"  customer_gateway_asn: {answers.routing.asn}   # routing.asn",
                  f"  advertised_prefixes: [{listed}]   # routing.networks"]  # fmt: skip
    else:
        lines += [f"  static_routes: [{listed}]   # routing.networks"]
    lines += [
        f"  tunnel_interface: {'vti' if route else 'none'}   # tunnels.kind: "
        f"{answers.tunnels.kind}",
        f"  local_network_cidr: {'0.0.0.0/0' if route else networks[0]}",
        f"  remote_network_cidr: {'0.0.0.0/0' if route else aws_vpc}",
        "  tunnel_options:",
        f"    ike_versions: [{', '.join(versions)}]   # proposals.ike_versions",
        *_phase_lines(phases),
        f"    startup_action: {startup}   # tunnels.can_initiate",
        "  tunnels:",
        "    - inside_cidr: 169.254.10.0/30",
        "    - inside_cidr: 169.254.11.0/30",
        "",
        "strongswan:",
        "  config_style: swanctl",
        "",
    ]
    text = "\n".join(lines)
    parse_lab(text, "the lab init wrote")  # a lab init writes must load; else a bug here
    return text


def _device_named(answers: Answers) -> str:
    d = answers.device
    return " ".join(part for part in (d.vendor, d.model, d.software_version) if part)


def _phase_lines(phases: dict) -> list[str]:
    out = []
    for phase, values in phases.items():
        out.append(f"    {phase}:")
        for key in ("encryption", "integrity", "dh_groups"):
            out.append(f"      {key}: [{', '.join(map(str, values[key]))}]")
        out.append(f"      lifetime: {values['lifetime']}")
    return out
