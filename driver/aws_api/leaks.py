"""What of a lab still exists in an AWS API (the emulator's, or AWS's).

Asked per resource type, for live resources carrying the lab's tag (or its
names): a plain tag listing is not enough, since terminated instances keep
their tags for a while on AWS and the emulator keeps tags of deleted
resources.
"""

from __future__ import annotations

from driver.lab.model import LAB_TAG

GONE = {"deleted", "deleting", "terminated", "shutting-down"}


def leftovers(session, lab: str, endpoint_url: str | None = None) -> list[str]:
    """``<type> <id>`` for every live resource of ``lab``."""

    def client(name):
        return session.client(name, endpoint_url=endpoint_url)

    ec2, ssm, iam = client("ec2"), client("ssm"), client("iam")
    tag = [{"Name": f"tag:{LAB_TAG}", "Values": [lab]}]
    left = []
    for reservation in ec2.describe_instances(Filters=tag)["Reservations"]:
        left += [
            f"instance {i['InstanceId']}"
            for i in reservation["Instances"]
            if i["State"]["Name"] not in GONE
        ]
    queries = (
        ("vpc", ec2.describe_vpcs, "Vpcs", "VpcId"),
        ("subnet", ec2.describe_subnets, "Subnets", "SubnetId"),
        ("security group", ec2.describe_security_groups, "SecurityGroups", "GroupId"),
        ("route table", ec2.describe_route_tables, "RouteTables", "RouteTableId"),
        (
            "internet gateway",
            ec2.describe_internet_gateways,
            "InternetGateways",
            "InternetGatewayId",
        ),
        ("Elastic IP", ec2.describe_addresses, "Addresses", "PublicIp"),
        ("virtual private gateway", ec2.describe_vpn_gateways, "VpnGateways", "VpnGatewayId"),
        (
            "customer gateway",
            ec2.describe_customer_gateways,
            "CustomerGateways",
            "CustomerGatewayId",
        ),
        ("VPN connection", ec2.describe_vpn_connections, "VpnConnections", "VpnConnectionId"),
        ("VPC endpoint", ec2.describe_vpc_endpoints, "VpcEndpoints", "VpcEndpointId"),
    )
    vpcs = []
    for kind, describe, key, id_key in queries:
        live = [
            item[id_key]
            for item in describe(Filters=tag)[key]
            if str(item.get("State", "")).lower() not in GONE
        ]
        left += [f"{kind} {i}" for i in live]
        vpcs += live if kind == "vpc" else []
    # Interfaces carry no lab tag: those still in the lab's VPCs.
    if vpcs:
        interfaces = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": vpcs}])
        left += [
            f"network interface {n['NetworkInterfaceId']}" for n in interfaces["NetworkInterfaces"]
        ]
    paths = ec2.describe_network_insights_paths()["NetworkInsightsPaths"]
    left += [
        f"network insights path {p['NetworkInsightsPathId']}"
        for p in paths
        if {"Key": LAB_TAG, "Value": lab} in p.get("Tags", [])
    ]
    left += [
        f"SSM parameter {p['Name']}"
        for p in ssm.get_parameters_by_path(Path=f"/vpnlab/{lab}/", Recursive=True)["Parameters"]
    ]
    left += [
        f"IAM role {r['RoleName']}"
        for r in iam.list_roles()["Roles"]
        if r["RoleName"].startswith(f"{lab}-")
    ]
    left += [
        f"IAM instance profile {p['InstanceProfileName']}"
        for p in iam.list_instance_profiles()["InstanceProfiles"]
        if p["InstanceProfileName"].startswith(f"{lab}-")
    ]
    return left
