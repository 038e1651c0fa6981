"""The lab's route tables and security groups as EC2 holds them, for the local
target's data plane.

``vpnlab check`` routes by the lab's own tables (driver/analysis/
path_analysis.py ``route_tables``); the local target routes by what Terraform
applied: each subnet's route table (``DescribeRouteTables``, with the VGW's
propagated routes), the VGW's gateway route table and the VPN connection's
static routes (``DescribeVpnConnections``). Both come out with the path
analysis' node names, so the same code installs and explains them. The
security groups come from ``DescribeSecurityGroups``, as the lab's own
(driver/lab/security_groups.py) do for ``vpnlab check``.
"""

from __future__ import annotations

import ipaddress

from driver.analysis.path_analysis import Tables
from driver.lab.network_acls import DEFAULT, Acl, AclEntry
from driver.lab.security_groups import Group, Rule
from driver.local.dataplane.network_view import NetworkView
from driver.local.emulator.reachability_answers import Ec2View


def applied_view(view: Ec2View, outputs: dict, connection: dict, lab_tables: Tables) -> NetworkView:
    """Everything EC2 holds that decides a packet; the VPN server's own routing
    (its configuration's, not EC2's) from ``lab_tables``."""
    raw = view.tables()
    firewall = firewall_interface(view, outputs, raw)
    tables = applied_tables(view, outputs, connection, raw, firewall)
    tables["vpn_server"] = lab_tables["vpn_server"]
    return NetworkView(
        tables, applied_groups(view, outputs, firewall), applied_acls(view, outputs, firewall)
    )


def applied_tables(
    view: Ec2View, outputs: dict, connection: dict, raw: Tables, firewall: str | None
) -> Tables:
    """``raw``: ``view.tables()``; ``firewall``: the appliance's interface, if any."""
    aws_subnet = view.instances[outputs["aws_test_instance_id"]]["SubnetId"]
    onprem_subnet = view.instances[outputs["onprem_test_instance_id"]]["SubnetId"]
    vgw_id = outputs["vpn_gateway_id"]
    names = {vgw_id: "vgw", outputs["vpn_server_interface_id"]: "vpn_server"}
    firewall_subnet = None
    if firewall:
        names[firewall], firewall_subnet = "firewall", view.interfaces[firewall]["SubnetId"]

    def named(routes) -> list:
        return [
            (net, "deliver" if target.startswith("local:") else names.get(target, target), why)
            for net, target, why in routes
        ]

    tables: Tables = {
        "aws_host": named(raw.get(aws_subnet, [])),
        "onprem_host": named(raw.get(onprem_subnet, [])),
    }
    if firewall_subnet:
        tables["firewall"] = named(raw.get(firewall_subnet, []))
    into_tunnels = [
        (
            ipaddress.ip_network(route["DestinationCidrBlock"]),
            "vpn_server",
            f"{route['DestinationCidrBlock']} → tunnel (VPN static route)",
        )
        for route in connection.get("Routes", [])
        if route.get("State", "available") == "available"
    ]
    tables["vgw"] = into_tunnels + named(_gateway_routes(view, vgw_id))
    return tables


def _gateway_routes(view: Ec2View, vgw_id: str) -> list:
    """The VGW's gateway route table (ingress routing), or the VPC's local route."""
    for table in view.route_tables:
        if any(a.get("GatewayId") == vgw_id for a in table.get("Associations", [])):
            vpc = table["VpcId"]
            return [
                (ipaddress.ip_network(r["DestinationCidrBlock"]), *_target(r, vpc))
                for r in table.get("Routes", [])
                if r.get("DestinationCidrBlock") and r.get("State", "active") == "active"
            ]
    attached = next(
        (a["VpcId"] for a in view.vpn_gateways.get(vgw_id, {}).get("VpcAttachments", [])), None
    )
    return [
        (ipaddress.ip_network(s["CidrBlock"]), f"local:{attached}", f"{s['CidrBlock']} local")
        for s in view.subnets.values()
        if s["VpcId"] == attached
    ]


def _target(route: dict, vpc: str) -> tuple[str, str]:
    net = route["DestinationCidrBlock"]
    if route.get("GatewayId") == "local":
        return f"local:{vpc}", f"{net} local"
    eni = route.get("NetworkInterfaceId", "?")
    return eni, f"{net} → {eni} (VGW ingress route)"


def firewall_interface(view: Ec2View, outputs: dict, raw: Tables) -> str | None:
    """An interface the AWS VPC's routes (``raw``) lead to is the lab's one appliance."""
    aws_subnet = view.instances[outputs["aws_test_instance_id"]]["SubnetId"]
    aws_vpc = view.subnets[aws_subnet]["VpcId"]
    for routes in raw.values():
        for _, target, _ in routes:
            eni = view.interfaces.get(target)
            if eni and eni["VpcId"] == aws_vpc and target != outputs["vpn_server_interface_id"]:
                return target
    return None


def applied_groups(view: Ec2View, outputs: dict, firewall: str | None) -> dict[str, Group]:
    """Each data plane node's security groups, merged, as EC2 describes them."""
    instances = {
        "aws": outputs["aws_test_instance_id"],
        "onprem": outputs["onprem_test_instance_id"],
        "server": outputs["vpn_server_instance_id"],
    }
    if firewall:
        instances["firewall"] = view.interfaces[firewall]["Attachment"]["InstanceId"]
    groups = {}
    for node, instance_id in instances.items():
        ids = [g["GroupId"] for g in view.instances[instance_id].get("SecurityGroups", [])]
        described = [view.security_groups[i] for i in ids if i in view.security_groups]
        groups[node] = Group(
            " + ".join(f"{g['GroupName']} {g['GroupId']}" for g in described),
            "; ".join(g.get("Description", "") for g in described),
            tuple(r for g in described for r in _rules(g.get("IpPermissions", []))),
            tuple(r for g in described for r in _rules(g.get("IpPermissionsEgress", []))),
        )
    return groups


PROTOCOLS = {"-1": "-1", "1": "icmp", "6": "tcp", "17": "udp"}


def _rules(permissions: list[dict]) -> list[Rule]:
    rules = []
    for permission in permissions:
        protocol = str(permission.get("IpProtocol", "-1")).lower()
        protocol = PROTOCOLS.get(protocol, protocol)
        low, high = permission.get("FromPort"), permission.get("ToPort")
        ports = (
            (low, high) if protocol in ("tcp", "udp") and low not in (None, -1) else (None, None)
        )
        for address in permission.get("IpRanges", []):
            rules.append(Rule(protocol, address["CidrIp"], address.get("Description", ""), *ports))
    return rules


def applied_acls(view: Ec2View, outputs: dict, firewall: str | None) -> dict[str, Acl]:
    """Each subnet's network ACL (its own, or its VPC's default)."""
    subnets = {
        "aws_host": view.instances[outputs["aws_test_instance_id"]]["SubnetId"],
        "onprem_host": view.instances[outputs["onprem_test_instance_id"]]["SubnetId"],
        "vpn_server": view.instances[outputs["vpn_server_instance_id"]]["SubnetId"],
    }
    if firewall:
        subnets["firewall"] = view.interfaces[firewall]["SubnetId"]
    acls = {}
    for subnet, subnet_id in subnets.items():
        acl = view.network_acl(subnet_id)
        acls[subnet] = (
            Acl(
                acl["NetworkAclId"],
                tuple(_entry(e) for e in acl.get("Entries", []) if e.get("CidrBlock")),
            )
            if acl
            else DEFAULT  # every subnet has one on AWS: its VPC's default
        )
    return acls


def _entry(entry: dict) -> AclEntry:
    protocol = PROTOCOLS.get(str(entry.get("Protocol", "-1")), str(entry.get("Protocol")))
    ports = entry.get("PortRange") or {}
    return AclEntry(
        int(entry["RuleNumber"]),
        bool(entry.get("Egress")),
        protocol,
        entry["CidrBlock"],
        entry.get("RuleAction") == "allow",
        ports.get("From"),
        ports.get("To"),
    )
