"""The lab's cross-field rules: AWS's (tunnel options, inside CIDRs, keys) and the
network's (VPC sizes, overlaps, subnets inside their VPC).

They run on a built model and report through the loader's ``problem``, so
their findings carry key paths and lines like every other problem.
"""

from __future__ import annotations

from typing import Protocol

from driver.lab import aws_rules, expectations
from driver.lab.model import Lab, Tunnel, TunnelOptions


class Problems(Protocol):
    def problem(self, path: str, message: str, hint: str) -> None: ...


# --- cross-field rules (AWS's and the network's) ------------------------------


def check_semantics(lab: Lab, b: Problems) -> None:
    aws, onprem, vpn = lab.aws, lab.onprem, lab.vpn
    for key in lab.tags or {}:
        if key.startswith("vpnlab:"):
            b.problem(
                f"tags.{key}",
                "the tag prefix 'vpnlab:' is vpnlab's own",
                "vpnlab tags every resource with vpnlab:lab for leak checks; choose another key",
            )
    for side, name in ((aws, "aws"), (onprem, "onprem")):
        # An on-prem network wider than /16 is still a customer's network: `vpnlab
        # check` runs it; only synthesis refuses it (driver/synth/synthesis.py).
        low = 16 if name == "aws" else 0
        if side.vpc_cidr is not None and not low <= side.vpc_cidr.prefixlen <= 28:
            b.problem(
                f"{name}.vpc_cidr",
                f"{side.vpc_cidr} is not /16 to /28"
                if low
                else f"{side.vpc_cidr} is smaller than /28",
                "AWS VPCs are between /16 and /28",
            )
    _check_routing(lab, b)
    if vpn.tunnel_interface == "xfrm" and lab.strongswan.config_style == "ipsec.conf":
        b.problem(
            "vpn.tunnel_interface",
            "XFRM interfaces need if_id_in/if_id_out, which ipsec.conf does not have",
            "use strongswan.config_style: swanctl, or tunnel_interface: vti (marks)",
        )
    if aws.vpc_cidr and onprem.vpc_cidr and aws.vpc_cidr.overlaps(onprem.vpc_cidr):
        b.problem(
            "onprem.vpc_cidr",
            f"{onprem.vpc_cidr} overlaps the AWS VPC {aws.vpc_cidr}",
            "the two sides must use disjoint address ranges, or routing cannot tell them apart",
        )
    if lab.firewall is not None and lab.firewall.subnet_cidr is not None and aws.vpc_cidr:
        fw = lab.firewall.subnet_cidr
        if not fw.subnet_of(aws.vpc_cidr):
            b.problem(
                "firewall.subnet_cidr",
                f"{fw} is outside the VPC {aws.vpc_cidr}",
                f"choose a subnet inside {aws.vpc_cidr}",
            )
        elif aws.private_subnet_cidr and fw.overlaps(aws.private_subnet_cidr):
            b.problem(
                "firewall.subnet_cidr",
                f"{fw} overlaps aws.private_subnet_cidr",
                "give the firewall its own subnet",
            )
    subnets = (
        ("aws", aws, ("private_subnet_cidr",)),
        ("onprem", onprem, ("public_subnet_cidr", "private_subnet_cidr")),
    )
    for side_name, side, keys in subnets:
        seen = []
        for key in keys:
            subnet = getattr(side, key)
            if subnet is None or side.vpc_cidr is None:
                continue
            if not subnet.subnet_of(side.vpc_cidr):
                b.problem(
                    f"{side_name}.{key}",
                    f"{subnet} is outside the VPC {side.vpc_cidr}",
                    f"choose a subnet inside {side.vpc_cidr}",
                )
            elif subnet.prefixlen > 28:
                b.problem(
                    f"{side_name}.{key}",
                    f"{subnet} is smaller than /28",
                    "AWS subnets are /16 to /28",
                )
            for other_key, other in seen:
                if subnet.overlaps(other):
                    b.problem(
                        f"{side_name}.{key}",
                        f"{subnet} overlaps {side_name}.{other_key} ({other})",
                        "subnets of one VPC must not overlap",
                    )
            seen.append((key, subnet))
    _vpn_server_addresses(lab, b)
    for i, text in enumerate(lab.checks.expect or ()):
        try:
            expectation = expectations.Expectation.parse(text)
        except ValueError as exc:
            b.problem(
                f"checks.expect[{i}]",
                str(exc),
                "write node::probe::argument::expected, e.g. aws::ping::{onprem_test_ip}::YES",
            )
            continue
        if expectation.probe == "bgp" and vpn.routing != "bgp":
            b.problem(
                f"checks.expect[{i}]",
                "a bgp check in a lab with static routing: there is no BGP session to check",
                "set vpn.routing: bgp, or check the tunnel instead (vgw::tunnel::Tunnel1::"
                "ESTABLISHED)",
            )
    # Options inherited from vpn.tunnel_options are reported once, there.
    shared_problems = _check_options(vpn.tunnel_options, "vpn.tunnel_options", b)
    for i, tunnel in enumerate(vpn.tunnels):
        _check_tunnel(tunnel, f"vpn.tunnels[{i}]", b, skip=shared_problems)
    cidrs = [t.inside_cidr for t in vpn.tunnels if t.inside_cidr is not None]
    if len(cidrs) == 2 and cidrs[0].overlaps(cidrs[1]):
        b.problem(
            "vpn.tunnels[1].inside_cidr",
            f"{cidrs[1]} is also tunnel 1's inside CIDR",
            "each tunnel needs its own /30, e.g. 169.254.10.0/30 and 169.254.11.0/30",
        )


def _check_routing(lab: Lab, b: Problems) -> None:
    """Static or BGP, as AWS allows them (Site-to-Site VPN user guide: "Site-to-Site
    VPN routing options", "Customer gateway options"; CreateVpnGateway)."""
    vpn = lab.vpn
    if vpn.routing == "static" and not vpn.static_routes:
        b.problem(
            "vpn.static_routes",
            "static routing needs at least one static route",
            f"add the on-prem prefixes AWS should route into the VPN, e.g. [{lab.onprem.vpc_cidr}]"
            ", or set vpn.routing: bgp",
        )
    if not any(low <= vpn.amazon_side_asn <= high for low, high in aws_rules.AMAZON_SIDE_ASN):
        b.problem(
            "vpn.amazon_side_asn",
            f"{vpn.amazon_side_asn} is not a private ASN AWS accepts for a virtual private gateway",
            "use 64512-65534 or 4200000000-4294967294 (AWS's default: 64512)",
        )
    reserved_in = aws_rules.RESERVED_CUSTOMER_ASNS.get(vpn.customer_gateway_asn, False)
    if reserved_in is None or reserved_in == lab.region:  # the gateway has an ASN either way
        where = "in every region" if reserved_in is None else f"in {reserved_in}"
        b.problem(
            "vpn.customer_gateway_asn",
            f"ASN {vpn.customer_gateway_asn} is reserved by AWS {where}",
            "use your own public ASN or a private one (64512-65534)",
        )
    if vpn.routing != "bgp":
        return
    if vpn.static_routes:
        b.problem(
            "vpn.static_routes",
            "a VPN connection is either static or dynamic: AWS does not mix static routes with BGP",
            "remove vpn.static_routes (BGP advertises vpn.advertised_prefixes instead)",
        )
    if vpn.tunnel_interface == "none":
        b.problem(
            "vpn.tunnel_interface",
            "BGP runs between the tunnels' inside addresses, which a policy-based tunnel does not "
            "have",
            "set vpn.tunnel_interface: vti or xfrm",
        )
    if vpn.customer_gateway_asn == vpn.amazon_side_asn:
        b.problem(
            "vpn.customer_gateway_asn",
            f"the customer gateway and the virtual private gateway both use ASN "
            f"{vpn.amazon_side_asn}: the sessions would be iBGP, and AWS peers over eBGP",
            "give the customer gateway an ASN of its own (AWS's default 65000)",
        )
    aws_vpc = lab.aws.vpc_cidr
    for prefix in [p for p in vpn.advertised_prefixes if aws_vpc and p.overlaps(aws_vpc)]:
        b.problem(
            "vpn.advertised_prefixes",
            f"{prefix} overlaps the AWS VPC {lab.aws.vpc_cidr}",
            "advertise the on-prem prefixes only",
        )


def _check_tunnel(tunnel: Tunnel, path: str, b: Problems, skip: set[str]) -> None:
    if tunnel.inside_cidr is not None:
        reason = aws_rules.inside_cidr_problem(tunnel.inside_cidr)
        if reason:
            b.problem(
                f"{path}.inside_cidr",
                reason,
                "pick a free /30 such as 169.254.10.0/30 (not 169.254.0.0/30 to "
                "169.254.5.0/30, not 169.254.169.252/30)",
            )
    if tunnel.preshared_key is not None:
        for reason in aws_rules.psk_problems(tunnel.preshared_key):
            # Never echo the key itself: problems end up in logs.
            b.problem(
                f"{path}.preshared_key",
                f"the pre-shared key {reason}",
                "leave preshared_key out and AWS generates a valid one",
            )
    for problem in _option_problems(tunnel.options, path):
        if problem[1] not in skip:
            b.problem(*problem)


def _check_options(opts: TunnelOptions, path: str, b: Problems) -> set[str]:
    problems = _option_problems(opts, path)
    for problem in problems:
        b.problem(*problem)
    return {message for _, message, _ in problems}


def _option_problems(opts: TunnelOptions, path: str) -> list[tuple[str, str, str]]:
    """(path, message, hint) for each AWS rule that spans several options."""
    out = []
    p1, p2 = opts.phase1, opts.phase2
    for i, group in enumerate(p1.dh_groups or ()):
        if group not in aws_rules.PHASE1_DH_GROUPS:
            out.append(
                (
                    f"{path}.phase1.dh_groups[{i}]",
                    f"DH group {group} is not offered by AWS in phase 1",
                    "phase 1 accepts 2 and 14-24; 14 or higher is recommended",
                )
            )
    if p2.lifetime is not None and not (
        aws_rules.PHASE2_LIFETIME[0] <= p2.lifetime <= aws_rules.PHASE2_LIFETIME[1]
    ):
        out.append(
            (
                f"{path}.phase2.lifetime",
                f"{p2.lifetime} is out of range",
                "phase 2 lifetime is 900 to 3600 seconds",
            )
        )
    elif p1.lifetime and p2.lifetime and p2.lifetime >= p1.lifetime:
        out.append(
            (
                f"{path}.phase2.lifetime",
                f"phase 2 lifetime {p2.lifetime} s is not below phase 1's {p1.lifetime} s",
                "AWS requires the IPsec SA to expire before the IKE SA",
            )
        )
    if opts.rekey_margin and p2.lifetime and opts.rekey_margin > p2.lifetime // 2:
        out.append(
            (
                f"{path}.rekey_margin",
                f"{opts.rekey_margin} s is more than half the phase 2 lifetime ({p2.lifetime} s)",
                f"use at most {p2.lifetime // 2}",
            )
        )
    if opts.startup_action == "start" and opts.ike_versions and "ikev1" in opts.ike_versions:
        out.append(
            (
                f"{path}.startup_action",
                "startup action 'start' needs IKEv2 only",
                "set ike_versions: [ikev2] or startup_action: add",
            )
        )
    return out


def _vpn_server_addresses(lab: Lab, b: Problems) -> None:
    server, subnet = lab.onprem.vpn_server, lab.onprem.public_subnet_cidr
    if server.private_ip is not None and subnet is not None:
        reserved = (*(subnet.network_address + i for i in range(4)), subnet.broadcast_address)
        if server.private_ip not in subnet:
            b.problem(
                "onprem.vpn_server.private_ip",
                f"{server.private_ip} is outside onprem.public_subnet_cidr {subnet}",
                f"choose an address in {subnet}",
            )
        elif server.private_ip in reserved:
            b.problem(
                "onprem.vpn_server.private_ip",
                f"{server.private_ip} is one AWS reserves in every subnet (the first four "
                "and the last)",
                f"choose another address in {subnet}, e.g. {subnet.network_address + 10}",
            )
    if server.public_ip is not None and aws_rules.behind_nat(server.public_ip):
        b.problem(
            "onprem.vpn_server.public_ip",
            f"{server.public_ip} is a private address; a customer gateway's is public",
            "write the address the customer gateway has on the internet (its leftid)",
        )
