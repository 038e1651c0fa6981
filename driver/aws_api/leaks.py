"""What of a lab still exists in an AWS API (the emulator's, or AWS's).

A resource is the lab's only when it carries the lab's tag
(``vpnlab:lab=<lab>``): never because its name merely starts like the lab's
(lab ``seed`` must not own ``seed-payments-prod-admin``). Every listing is
paginated. Asked per resource type, for live resources: a plain tag listing
is not enough, since terminated instances keep their tags for a while on AWS
and the emulator keeps tags of deleted resources.

IAM's listings return no tags, so a role or instance profile whose name has
the lab's prefix is a candidate, confirmed by its own tags (GetRole,
GetInstanceProfile); a candidate without the tag is reported as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.lab.model import LAB_TAG

GONE = {"deleted", "deleting", "terminated", "shutting-down"}

# (kind, describe call, result key, id key): every EC2 type the lab creates.
EC2_KINDS = (
    ("vpc", "describe_vpcs", "Vpcs", "VpcId"),
    ("subnet", "describe_subnets", "Subnets", "SubnetId"),
    ("security group", "describe_security_groups", "SecurityGroups", "GroupId"),
    ("route table", "describe_route_tables", "RouteTables", "RouteTableId"),
    ("internet gateway", "describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
    ("Elastic IP", "describe_addresses", "Addresses", "PublicIp"),
    ("virtual private gateway", "describe_vpn_gateways", "VpnGateways", "VpnGatewayId"),
    ("customer gateway", "describe_customer_gateways", "CustomerGateways", "CustomerGatewayId"),
    ("VPN connection", "describe_vpn_connections", "VpnConnections", "VpnConnectionId"),
    ("VPC endpoint", "describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId"),
    ("transit gateway", "describe_transit_gateways", "TransitGateways", "TransitGatewayId"),
    (
        "transit gateway VPC attachment",
        "describe_transit_gateway_vpc_attachments",
        "TransitGatewayVpcAttachments",
        "TransitGatewayAttachmentId",
    ),
    (
        "transit gateway route table",
        "describe_transit_gateway_route_tables",
        "TransitGatewayRouteTables",
        "TransitGatewayRouteTableId",
    ),
)
# The Transit Gateway's own listings are also read for the tag itself: moto's answer
# to a tag filter on route tables holds the gateway's untagged default table too.
TRANSIT_KINDS = {kind for kind, *_ in EC2_KINDS if kind.startswith("transit gateway")}


def items(client, operation: str, key: str, **arguments) -> list[dict]:
    """Every item of a listing, page after page where the API pages."""
    if client.can_paginate(operation):
        pages = client.get_paginator(operation).paginate(**arguments)
        return [item for page in pages for item in page.get(key, [])]
    return getattr(client, operation)(**arguments).get(key, [])


def tag_filter(lab: str) -> list[dict]:
    return [{"Name": f"tag:{LAB_TAG}", "Values": [lab]}]


def carries_tag(tags: list[dict] | None, lab: str) -> bool:
    return {"Key": LAB_TAG, "Value": lab} in (tags or [])


@dataclass
class IamResources:
    roles: list[str] = field(default_factory=list)
    profiles: list[dict] = field(default_factory=list)  # GetInstanceProfile's answers
    skipped: list[str] = field(default_factory=list)  # the lab's prefix, not its tag


def lab_iam(iam, lab: str) -> IamResources:
    """The lab's IAM roles and instance profiles, by their tag."""
    found = IamResources()
    prefix = (f"{lab}-", f"{lab}.")  # the lab's names, its sites' (modules/naming.py)
    for role in items(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        if not name.startswith(prefix):
            continue
        if carries_tag(iam.get_role(RoleName=name)["Role"].get("Tags"), lab):
            found.roles.append(name)
        else:
            found.skipped.append(f"IAM role {name}")
    for profile in items(iam, "list_instance_profiles", "InstanceProfiles"):
        name = profile["InstanceProfileName"]
        if not name.startswith(prefix):
            continue
        full = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
        if carries_tag(full.get("Tags"), lab):
            found.profiles.append(full)
        else:
            found.skipped.append(f"IAM instance profile {name}")
    return found


def leftovers(session, lab: str, endpoint_url: str | None = None) -> list[str]:
    """``<type> <id>`` for every live resource of ``lab``."""

    def client(name):
        return session.client(name, endpoint_url=endpoint_url)

    ec2, ssm, iam = client("ec2"), client("ssm"), client("iam")
    tag = tag_filter(lab)
    left = [
        f"instance {i['InstanceId']}"
        for reservation in items(ec2, "describe_instances", "Reservations", Filters=tag)
        for i in reservation["Instances"]
        if i["State"]["Name"] not in GONE
    ]
    vpcs = []
    for kind, operation, key, id_key in EC2_KINDS:
        live = [
            item[id_key]
            for item in items(ec2, operation, key, Filters=tag)
            if str(item.get("State", "")).lower() not in GONE
            and (kind not in TRANSIT_KINDS or carries_tag(item.get("Tags"), lab))
        ]
        left += [f"{kind} {i}" for i in live]
        vpcs += live if kind == "vpc" else []
    # Interfaces carry no lab tag: those still in the lab's VPCs.
    if vpcs:
        interfaces = items(
            ec2,
            "describe_network_interfaces",
            "NetworkInterfaces",
            Filters=[{"Name": "vpc-id", "Values": vpcs}],
        )
        left += [f"network interface {n['NetworkInterfaceId']}" for n in interfaces]
    left += [
        f"network insights path {p['NetworkInsightsPathId']}"
        for p in items(ec2, "describe_network_insights_paths", "NetworkInsightsPaths")
        if carries_tag(p.get("Tags"), lab)
    ]
    left += [
        f"SSM parameter {p['Name']}"
        for p in items(
            ssm, "get_parameters_by_path", "Parameters", Path=f"/vpnlab/{lab}/", Recursive=True
        )
    ]
    own = lab_iam(iam, lab)
    left += [f"IAM role {name}" for name in own.roles]
    left += [f"IAM instance profile {p['InstanceProfileName']}" for p in own.profiles]
    return left
