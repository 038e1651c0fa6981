"""``destroy --target aws --force-cleanup``: delete what carries the lab's tag,
dependencies first, retrying only errors AWS says are transient."""

from __future__ import annotations

import time
from collections.abc import Callable

from botocore.exceptions import ClientError

from driver.aws_api.leaks import GONE, carries_tag, items, lab_iam, tag_filter
from driver.aws_api.transient_errors import transient_reason
from driver.aws_api.waiting import Backoff, wait_until
from driver.lab.model import LAB_TAG

Progress = Callable[[str], None]
# A Transit Gateway is deleted once its attachments are: AWS takes minutes for a VPN
# attachment after its connection is deleted.
ATTACHMENTS_GONE_TIMEOUT = 900.0  # s
ATTACHMENTS_POLL = Backoff(first=2.0, factor=1.5, longest=15.0)


def force_cleanup(lab_name: str, client: Callable, call: Callable, progress: Progress) -> None:
    """Delete everything carrying the lab's tag, dependencies first; nothing else.

    ``call(operation, **arguments)`` makes each deleting call (``call_retrying``).
    A resource with the lab's name but not its tag is named and left alone.
    """
    ec2, ssm, iam = client("ec2"), client("ssm"), client("iam")
    tag = tag_filter(lab_name)

    def tagged(operation: str, key: str) -> list[dict]:
        return items(ec2, operation, key, Filters=tag)

    for path in items(ec2, "describe_network_insights_paths", "NetworkInsightsPaths"):
        if not carries_tag(path.get("Tags"), lab_name):
            continue
        path_id = path["NetworkInsightsPathId"]
        for analysis in items(
            ec2,
            "describe_network_insights_analyses",
            "NetworkInsightsAnalyses",
            NetworkInsightsPathId=path_id,
        ):
            call(
                ec2.delete_network_insights_analysis,
                NetworkInsightsAnalysisId=analysis["NetworkInsightsAnalysisId"],
            )
        call(ec2.delete_network_insights_path, NetworkInsightsPathId=path_id)
    ids = [
        i["InstanceId"]
        for r in tagged("describe_instances", "Reservations")
        for i in r["Instances"]
        if i["State"]["Name"] not in ("terminated",)
    ]
    if ids:
        call(ec2.terminate_instances, InstanceIds=ids)
        ec2.get_waiter("instance_terminated").wait(InstanceIds=ids)
    for address in tagged("describe_addresses", "Addresses"):
        if address.get("AssociationId"):
            call(ec2.disassociate_address, AssociationId=address["AssociationId"])
        call(ec2.release_address, AllocationId=address["AllocationId"])
    for connection in tagged("describe_vpn_connections", "VpnConnections"):
        if connection["State"] != "deleted":
            call(ec2.delete_vpn_connection, VpnConnectionId=connection["VpnConnectionId"])
    for gateway in tagged("describe_vpn_gateways", "VpnGateways"):
        for attachment in gateway.get("VpcAttachments", []):
            if attachment["State"] in ("attached", "attaching"):
                call(
                    ec2.detach_vpn_gateway,
                    VpcId=attachment["VpcId"],
                    VpnGatewayId=gateway["VpnGatewayId"],
                )
        if gateway["State"] != "deleted":
            call(ec2.delete_vpn_gateway, VpnGatewayId=gateway["VpnGatewayId"])
    _delete_transit_gateways(ec2, lab_name, call, progress)
    for gateway in tagged("describe_customer_gateways", "CustomerGateways"):
        if gateway["State"] != "deleted":
            call(ec2.delete_customer_gateway, CustomerGatewayId=gateway["CustomerGatewayId"])
    endpoints = [
        e["VpcEndpointId"]
        for e in tagged("describe_vpc_endpoints", "VpcEndpoints")
        if str(e.get("State", "")).lower() not in ("deleted", "deleting")
    ]
    if endpoints:
        call(ec2.delete_vpc_endpoints, VpcEndpointIds=endpoints)
    vpcs = [v["VpcId"] for v in tagged("describe_vpcs", "Vpcs")]
    if vpcs:  # interfaces left detached in the lab's VPCs (instances' are gone by now)
        for eni in items(
            ec2,
            "describe_network_interfaces",
            "NetworkInterfaces",
            Filters=[
                {"Name": "vpc-id", "Values": vpcs},
                {"Name": "status", "Values": ["available"]},
            ],
        ):
            call(ec2.delete_network_interface, NetworkInterfaceId=eni["NetworkInterfaceId"])
    for igw in tagged("describe_internet_gateways", "InternetGateways"):
        for attachment in igw.get("Attachments", []):
            call(
                ec2.detach_internet_gateway,
                InternetGatewayId=igw["InternetGatewayId"],
                VpcId=attachment["VpcId"],
            )
        call(ec2.delete_internet_gateway, InternetGatewayId=igw["InternetGatewayId"])
    for sg in tagged("describe_security_groups", "SecurityGroups"):
        call(ec2.delete_security_group, GroupId=sg["GroupId"])
    for subnet in tagged("describe_subnets", "Subnets"):
        call(ec2.delete_subnet, SubnetId=subnet["SubnetId"])
    for table in tagged("describe_route_tables", "RouteTables"):
        for association in table.get("Associations", []):
            if not association.get("Main"):
                call(
                    ec2.disassociate_route_table,
                    AssociationId=association["RouteTableAssociationId"],
                )
        call(ec2.delete_route_table, RouteTableId=table["RouteTableId"])
    for vpc in vpcs:
        call(ec2.delete_vpc, VpcId=vpc)
    for parameter in items(
        ssm, "get_parameters_by_path", "Parameters", Path=f"/vpnlab/{lab_name}/", Recursive=True
    ):
        call(ssm.delete_parameter, Name=parameter["Name"])
    own = lab_iam(iam, lab_name)
    for skipped in own.skipped:
        progress(f"  left alone: {skipped} (named like the lab, but without its {LAB_TAG} tag)")
    for profile in own.profiles:
        for role in profile.get("Roles", []):
            call(
                iam.remove_role_from_instance_profile,
                RoleName=role["RoleName"],
                InstanceProfileName=profile["InstanceProfileName"],
            )
        call(iam.delete_instance_profile, InstanceProfileName=profile["InstanceProfileName"])
    for name in own.roles:
        for policy in items(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
            call(iam.detach_role_policy, RoleName=name, PolicyArn=policy["PolicyArn"])
        for policy in items(iam, "list_role_policies", "PolicyNames", RoleName=name):
            call(iam.delete_role_policy, RoleName=name, PolicyName=policy)
        call(iam.delete_role, RoleName=name)


def _delete_transit_gateways(ec2, lab_name: str, call: Callable, progress: Progress) -> None:
    """The lab's VPC attachments; then, for each of its gateways once no attachment is
    left (the VPN connections', deleted before, go in minutes), its route tables and
    the gateway (its default table goes with it). AWS deletes a table only once its
    associations are gone, and they go with their attachments. A gateway whose
    attachments stay (another's, or still deleting at the bound) is named and left."""

    def live(operation: str, key: str) -> list[dict]:
        found = items(ec2, operation, key, Filters=tag_filter(lab_name))
        return [
            item
            for item in found
            if carries_tag(item.get("Tags"), lab_name) and item.get("State") not in GONE
        ]

    for attachment in live(
        "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"
    ):
        call(
            ec2.delete_transit_gateway_vpc_attachment,
            TransitGatewayAttachmentId=attachment["TransitGatewayAttachmentId"],
        )
    tables = live("describe_transit_gateway_route_tables", "TransitGatewayRouteTables")
    for gateway in live("describe_transit_gateways", "TransitGateways"):
        gateway_id = gateway["TransitGatewayId"]
        outcome = wait_until(
            lambda gateway_id=gateway_id: _attachments_gone(ec2, gateway_id),
            ATTACHMENTS_GONE_TIMEOUT,
            f"{gateway_id}'s attachments to go",
            progress,
            ATTACHMENTS_POLL,
        )
        if not outcome.done:
            progress(
                f"  left alone: transit gateway {gateway_id} and its route tables (after "
                f"{outcome.seconds:.0f} s, still attached: {outcome.status})"
            )
            continue
        for table in tables:
            if table["TransitGatewayId"] == gateway_id and not (
                table.get("DefaultAssociationRouteTable")
                or table.get("DefaultPropagationRouteTable")
            ):
                call(
                    ec2.delete_transit_gateway_route_table,
                    TransitGatewayRouteTableId=table["TransitGatewayRouteTableId"],
                )
        call(ec2.delete_transit_gateway, TransitGatewayId=gateway_id)


def _attachments_gone(ec2, gateway_id: str) -> tuple[bool, str]:
    left = [
        f"{a['ResourceType']} attachment {a['TransitGatewayAttachmentId']} ({a['State']})"
        for a in items(
            ec2,
            "describe_transit_gateway_attachments",
            "TransitGatewayAttachments",
            Filters=[{"Name": "transit-gateway-id", "Values": [gateway_id]}],
        )
        if a["State"] not in ("deleted", "failed", "rejected")  # "deleting" still blocks
    ]
    return not left, ", ".join(left) or "none left"


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
