"""Lint rules for the lab itself: its routes and selectors, weak options, and the
traced paths between the test hosts (driver/analysis/path_analysis.py)."""

from __future__ import annotations

import ipaddress

from driver.analysis import path_analysis as routing
from driver.analysis.findings import Finding
from driver.lab import aws_rules, security_groups, topology
from driver.lab.model import Lab

LAB_RULES = {
    "lab-invalid": "the lab file breaks an AWS or network rule (the model refuses it)",
    "lab-static-routes": "the static routes do not cover an on-prem subnet",
    "lab-bgp-prefixes": "BGP: the announced prefixes miss an on-prem subnet, or exceed AWS's 100",
    "lab-network-cidrs": "local/remote network CIDRs do not cover the VPCs' subnets",
    "lab-weak-dh": "a DH group AWS still offers but that is weak (2, 5, 22)",
    "lab-weak-integrity": "SHA1 integrity",
    "lab-ikev1": "IKEv1 allowed (IKEv2 is more robust and required for startup action start)",
    "lab-dpd-clear": "AWS clears the tunnel on DPD timeout and waits for the customer gateway",
    "path-unreachable": "the traced path from one test host to the other does not arrive",
    "path-asymmetric": "a stateful device (the firewall) sees only one direction of a flow",
    "path-bypasses-firewall": "the lab has a firewall, but neither direction passes it",
    "path-security-group": "a test host's security group allows no ICMP from the other test host",
}


def lint_lab(
    lab: Lab,
    source: str,
    paths: bool = True,
    prefix_limit: int = aws_rules.MAX_ADVERTISED_PREFIXES,
) -> list[Finding]:
    """``paths``: trace the VGW lab's paths and security groups (a Transit Gateway
    lab's site views have their own rules: driver/analysis/transit_gateway_rules.py).
    ``prefix_limit``: what AWS accepts from the customer gateway (a Transit Gateway's
    connection takes more than a VGW's)."""
    out = []

    def add(rule, severity, path, message, hint):
        out.append(Finding(rule, severity, f"{source}: {path}", message, hint))

    vpn = lab.vpn
    announced = topology.advertised_prefixes(lab)
    for name, subnet in (
        ("onprem.public_subnet_cidr", lab.onprem.public_subnet_cidr),
        ("onprem.private_subnet_cidr", lab.onprem.private_subnet_cidr),
    ):
        if vpn.routing == "static" and not any(subnet.subnet_of(r) for r in vpn.static_routes):
            add(
                "lab-static-routes",
                "error",
                "vpn.static_routes",
                f"no static route covers {name} ({subnet}): AWS will not route to it",
                f"add {lab.onprem.vpc_cidr} (the on-prem VPC) to vpn.static_routes",
            )
        if vpn.routing == "bgp" and not any(subnet.subnet_of(r) for r in announced):
            add(
                "lab-bgp-prefixes",
                "error",
                "vpn.advertised_prefixes",
                f"no prefix the VPN server announces covers {name} ({subnet}): AWS will not "
                "route to it",
                f"add {lab.onprem.vpc_cidr} (the on-prem VPC) to vpn.advertised_prefixes",
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
    if vpn.routing == "bgp" and len(announced) > prefix_limit:
        add(
            "lab-bgp-prefixes",
            "error",
            "vpn.advertised_prefixes",
            f"{len(announced)} prefixes: AWS accepts at most {prefix_limit} from a customer "
            "gateway and closes the session at the next one (Site-to-Site VPN quotas: "
            f"{aws_rules.MAX_ADVERTISED_PREFIXES} on a VGW, "
            f"{aws_rules.MAX_ADVERTISED_PREFIXES_TRANSIT_GATEWAY:,} on a Transit Gateway)",
            "announce summary routes instead (e.g. the on-prem VPC's CIDR)",
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
    if paths:
        out += _path_findings(lab, source)
        out += _security_group_findings(lab, source)
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


def _security_group_findings(lab: Lab, source: str) -> list[Finding]:
    """The groups the data plane enforces (driver/lab/security_groups.py): each test
    host must accept ICMP from the other one."""
    plan = topology.plan(lab)
    out = []
    for side, peer, peer_ip in (
        ("aws", "on-prem", plan.onprem_test_ip),
        ("onprem", "AWS", plan.aws_test_ip),
    ):
        group = security_groups.test_host(lab, side)
        address = ipaddress.ip_address(peer_ip)
        if not any(address in ipaddress.ip_network(r.cidr) for r in group.ingress):
            allows = ", ".join(r.text() for r in group.ingress) or "nothing"
            out.append(
                Finding(
                    "path-security-group",
                    "error",
                    f"{source}: {side}.test_host.icmp_from",
                    f"the {side} test host's security group allows {allows}: the {peer} "
                    f"test host ({peer_ip}) gets no reply",
                    f"add the {peer} side's VPC to {side}.test_host.icmp_from, or leave it out "
                    "(the default is the other side's VPC)",
                )
            )
    return out
