"""Lint rules for the lab's network, read from a Terraform JSON (``--terraform``).

vpnlab's own synthesis gets all of these right (tests/synth/test_synthesis.py proves
it); the rules are for Terraform a team maintains after the hand-off, or
edited by hand: they read the resources, and the VPN server's user-data
template for its sysctl settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from driver.analysis.findings import Finding
from driver.core.errors import VpnlabError
from driver.core.input_files import read_text
from driver.lab.model import Lab

NET_RULES = {
    "net-source-dest-check": "the VPN server's source/destination check is on",
    "net-forwarding": "the VPN server does not forward, or reverse-path filtering is strict",
    "net-ike-ports": "the VPN server's security group does not admit UDP 500 and 4500 from "
    "both tunnel addresses",
    "net-onprem-route": "no on-prem route sends the AWS side to the VPN server's interface",
    "net-aws-route": "the AWS route table neither propagates from the VGW nor routes the "
    "on-prem side to it",
    "net-icmp": "a test host's security group does not admit ICMP from the other side",
}


MAX_TERRAFORM_BYTES = 64 << 20  # a synthesized stack is ~100 KB


def _resources(tf: dict, type_: str) -> dict[str, dict]:
    return tf.get("resource", {}).get(type_, {})


def lint_terraform(lab: Lab, path: Path) -> list[Finding]:
    try:
        tf = json.loads(read_text(path, MAX_TERRAFORM_BYTES, "Terraform JSON"))
    except ValueError as exc:
        raise VpnlabError(f"{path}: not a Terraform JSON file ({exc})") from None
    out = []
    instances = _resources(tf, "aws_instance")
    server = next(
        (k for k, v in instances.items() if "vpn-server" in v.get("tags", {}).get("Name", "")), None
    )
    where = f"{path}: aws_instance.{server}" if server else str(path)
    if server is None:
        return [
            Finding(
                "net-source-dest-check",
                "error",
                str(path),
                "no VPN server instance (Name tag containing 'vpn-server')",
                "lint the Terraform vpnlab synthesized for this lab",
            )
        ]
    vpn_server = instances[server]
    if vpn_server.get("source_dest_check") is not False:
        out.append(
            Finding(
                "net-source-dest-check",
                "error",
                where,
                "source/destination check is on: EC2 drops the packets the VPN server forwards",
                "set source_dest_check = false",
            )
        )
    out += _forwarding(path, vpn_server, where)
    out += _ike_ports(tf, vpn_server, path)
    routes = _resources(tf, "aws_route")
    server_eni = f"aws_instance.{server}.primary_network_interface_id"
    remote = str(lab.vpn.remote_network_cidr)
    if not any(
        r.get("destination_cidr_block") == remote
        and server_eni in str(r.get("network_interface_id", ""))
        for r in routes.values()
    ):
        out.append(
            Finding(
                "net-onprem-route",
                "error",
                str(path),
                f"no route sends {remote} to the VPN server's interface: on-prem "
                "hosts cannot reach the AWS side",
                f"add aws_route {remote} → {server_eni} on the on-prem private route table",
            )
        )
    propagation = _resources(tf, "aws_vpn_gateway_route_propagation")
    static_to_vgw = [r for r in routes.values() if "aws_vpn_gateway" in str(r.get("gateway_id"))]
    if not propagation and not static_to_vgw:
        out.append(
            Finding(
                "net-aws-route",
                "error",
                str(path),
                "no route table learns or routes the on-prem side via the VGW",
                "enable aws_vpn_gateway_route_propagation on the AWS private route "
                "table, or add static routes to the VGW",
            )
        )
    out += _icmp(tf, lab, path)
    return out


def _forwarding(path: Path, server: dict, where: str) -> list[Finding]:
    match = re.search(r'templatefile\("([^"]+)"', str(server.get("user_data", "")))
    if not match:
        return []
    template = path.parent / match.group(1).replace("${path.module}/", "")
    try:
        text = template.read_text()
    except OSError:
        return [
            Finding(
                "net-forwarding",
                "warning",
                where,
                f"cannot read the user-data template {template}",
                "lint the directory Terraform runs in",
            )
        ]
    settings = dict(re.findall(r"(net\.ipv4\.[\w.]+) = (\d)", text))
    out = []
    if settings.get("net.ipv4.ip_forward") != "1":
        out.append(
            Finding(
                "net-forwarding",
                "error",
                f"{template}",
                "net.ipv4.ip_forward is not 1: the VPN server does not forward",
                "set net.ipv4.ip_forward = 1 in /etc/sysctl.d",
            )
        )
    if settings.get("net.ipv4.conf.all.rp_filter", "1") == "1":
        out.append(
            Finding(
                "net-forwarding",
                "error",
                f"{template}",
                "reverse-path filtering is strict (rp_filter=1): decrypted packets "
                "arrive where their source is not routed, and are dropped",
                "set net.ipv4.conf.all.rp_filter = 2 (loose) or 0",
            )
        )
    return out


def _ike_ports(tf: dict, server: dict, path: Path) -> list[Finding]:
    groups = set(
        re.findall(
            r"aws_security_group\.([\w-]+)\.id",
            json.dumps(server.get("vpc_security_group_ids", [])),
        )
    )
    rules = []
    for name in groups:
        group = _resources(tf, "aws_security_group").get(name, {})
        rules += [
            (r["protocol"], r["from_port"], c)
            for r in group.get("ingress", [])
            for c in r.get("cidr_blocks", [])
        ]
        rules += [
            (r["ip_protocol"], r.get("from_port"), r.get("cidr_ipv4"))
            for r in _resources(tf, "aws_vpc_security_group_ingress_rule").values()
            if f"aws_security_group.{name}.id" in str(r.get("security_group_id"))
        ]
    missing = [
        f"UDP {port} from tunnel {n}"
        for n in (1, 2)
        for port in (500, 4500)
        if not any(
            proto == "udp" and from_ == port and f"tunnel{n}_address" in str(c)
            for proto, from_, c in rules
        )
    ]
    if missing:
        return [
            Finding(
                "net-ike-ports",
                "error",
                str(path),
                f"the VPN server's security group does not admit {', '.join(missing)}",
                "allow UDP 500 (IKE) and 4500 (NAT-T) from each tunnel's outside address /32",
            )
        ]
    return []


def _icmp(tf: dict, lab: Lab, path: Path) -> list[Finding]:
    out = []
    groups = _resources(tf, "aws_security_group")
    for side, other in (("aws", lab.onprem.vpc_cidr), ("onprem", lab.aws.vpc_cidr)):
        group = next(
            (g for g in groups.values() if g.get("name", "").endswith(f"{side}-test-host")), None
        )
        if group is None:
            continue
        if not any(
            r["protocol"] in ("icmp", "-1") and str(other) in r.get("cidr_blocks", [])
            for r in group.get("ingress", [])
        ):
            out.append(
                Finding(
                    "net-icmp",
                    "error",
                    f"{path}: {group.get('name')}",
                    f"the {side} test host does not admit ICMP from {other}: "
                    "ping cannot prove the tunnel",
                    f"allow ICMP from {other}",
                )
            )
    return out
