"""``destroy --target aws --force-cleanup``: delete what carries the lab's tag,
dependencies first, retrying only errors AWS says are transient."""

from __future__ import annotations

import time
from collections.abc import Callable

from botocore.exceptions import ClientError

from driver.aws_api.transient_errors import transient_reason
from driver.lab.model import LAB_TAG

Progress = Callable[[str], None]


def force_cleanup(lab_name: str, client: Callable, call: Callable) -> None:
    """Delete everything carrying the lab's tag or names, dependencies first;
    ``call(operation, **arguments)`` makes each deleting call (``call_retrying``)."""
    ec2, ssm, iam = client("ec2"), client("ssm"), client("iam")
    tag = [{"Name": f"tag:{LAB_TAG}", "Values": [lab_name]}]
    for path in ec2.describe_network_insights_paths()["NetworkInsightsPaths"]:
        if {"Key": LAB_TAG, "Value": lab_name} in path.get("Tags", []):
            for analysis in ec2.describe_network_insights_analyses(
                NetworkInsightsPathId=path["NetworkInsightsPathId"]
            )["NetworkInsightsAnalyses"]:
                call(
                    ec2.delete_network_insights_analysis,
                    NetworkInsightsAnalysisId=analysis["NetworkInsightsAnalysisId"],
                )
            call(
                ec2.delete_network_insights_path,
                NetworkInsightsPathId=path["NetworkInsightsPathId"],
            )
    ids = [
        i["InstanceId"]
        for r in ec2.describe_instances(Filters=tag)["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] not in ("terminated",)
    ]
    if ids:
        call(ec2.terminate_instances, InstanceIds=ids)
        ec2.get_waiter("instance_terminated").wait(InstanceIds=ids)
    for address in ec2.describe_addresses(Filters=tag)["Addresses"]:
        if address.get("AssociationId"):
            call(ec2.disassociate_address, AssociationId=address["AssociationId"])
        call(ec2.release_address, AllocationId=address["AllocationId"])
    for connection in ec2.describe_vpn_connections(Filters=tag)["VpnConnections"]:
        if connection["State"] != "deleted":
            call(ec2.delete_vpn_connection, VpnConnectionId=connection["VpnConnectionId"])
    for gateway in ec2.describe_vpn_gateways(Filters=tag)["VpnGateways"]:
        for attachment in gateway.get("VpcAttachments", []):
            if attachment["State"] in ("attached", "attaching"):
                call(
                    ec2.detach_vpn_gateway,
                    VpcId=attachment["VpcId"],
                    VpnGatewayId=gateway["VpnGatewayId"],
                )
        if gateway["State"] != "deleted":
            call(ec2.delete_vpn_gateway, VpnGatewayId=gateway["VpnGatewayId"])
    for gateway in ec2.describe_customer_gateways(Filters=tag)["CustomerGateways"]:
        if gateway["State"] != "deleted":
            call(ec2.delete_customer_gateway, CustomerGatewayId=gateway["CustomerGatewayId"])
    endpoints = [
        e["VpcEndpointId"]
        for e in ec2.describe_vpc_endpoints(Filters=tag)["VpcEndpoints"]
        if str(e.get("State", "")).lower() not in ("deleted", "deleting")
    ]
    if endpoints:
        call(ec2.delete_vpc_endpoints, VpcEndpointIds=endpoints)
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=tag)["Vpcs"]]
    if vpcs:  # interfaces left detached in the lab's VPCs (instances' are gone by now)
        for eni in ec2.describe_network_interfaces(
            Filters=[
                {"Name": "vpc-id", "Values": vpcs},
                {"Name": "status", "Values": ["available"]},
            ]
        )["NetworkInterfaces"]:
            call(ec2.delete_network_interface, NetworkInterfaceId=eni["NetworkInterfaceId"])
    for igw in ec2.describe_internet_gateways(Filters=tag)["InternetGateways"]:
        for attachment in igw.get("Attachments", []):
            call(
                ec2.detach_internet_gateway,
                InternetGatewayId=igw["InternetGatewayId"],
                VpcId=attachment["VpcId"],
            )
        call(ec2.delete_internet_gateway, InternetGatewayId=igw["InternetGatewayId"])
    for sg in ec2.describe_security_groups(Filters=tag)["SecurityGroups"]:
        call(ec2.delete_security_group, GroupId=sg["GroupId"])
    for subnet in ec2.describe_subnets(Filters=tag)["Subnets"]:
        call(ec2.delete_subnet, SubnetId=subnet["SubnetId"])
    for table in ec2.describe_route_tables(Filters=tag)["RouteTables"]:
        for association in table.get("Associations", []):
            if not association.get("Main"):
                call(
                    ec2.disassociate_route_table,
                    AssociationId=association["RouteTableAssociationId"],
                )
        call(ec2.delete_route_table, RouteTableId=table["RouteTableId"])
    for vpc in vpcs:
        call(ec2.delete_vpc, VpcId=vpc)
    for parameter in ssm.get_parameters_by_path(Path=f"/vpnlab/{lab_name}/", Recursive=True)[
        "Parameters"
    ]:
        call(ssm.delete_parameter, Name=parameter["Name"])
    prefix = f"{lab_name}-"
    for profile in iam.list_instance_profiles()["InstanceProfiles"]:
        if profile["InstanceProfileName"].startswith(prefix):
            for role in profile.get("Roles", []):
                call(
                    iam.remove_role_from_instance_profile,
                    RoleName=role["RoleName"],
                    InstanceProfileName=profile["InstanceProfileName"],
                )
            call(iam.delete_instance_profile, InstanceProfileName=profile["InstanceProfileName"])
    for role in iam.list_roles()["Roles"]:
        if role["RoleName"].startswith(prefix):
            name = role["RoleName"]
            for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
                call(iam.detach_role_policy, RoleName=name, PolicyArn=policy["PolicyArn"])
            for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
                call(iam.delete_role_policy, RoleName=name, PolicyName=policy)
            call(iam.delete_role, RoleName=name)


def call_retrying(progress: Progress, operation, attempts: int = 6, **arguments):
    """Call; retry only errors known to be transient, saying why."""
    for attempt in range(1, attempts + 1):
        try:
            return operation(**arguments)
        except ClientError as exc:
            reason = transient_reason(exc)
            if reason is None or attempt == attempts:
                raise
            wait = min(2**attempt, 30)
            progress(f"  {operation.__name__}: {reason}; retrying in {wait} s")
            time.sleep(wait)
