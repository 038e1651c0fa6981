"""Reachability Analyzer's API (driver/local/emulator/network_insights.py), answered
by the path analysis over the emulator's state (reachability_answers.py)."""

import pytest

from tests.local.emulator.helpers import connection


def test_network_insights_paths(ec2, gateways):
    created = ec2.create_network_insights_path(
        Source="i-123",
        Destination=gateways["vgw"],
        Protocol="tcp",
        DestinationPort=443,
        TagSpecifications=[
            {"ResourceType": "network-insights-path", "Tags": [{"Key": "vpnlab:lab", "Value": "t"}]}
        ],
    )
    path_id = created["NetworkInsightsPath"]["NetworkInsightsPathId"]
    found = ec2.describe_network_insights_paths(NetworkInsightsPathIds=[path_id])
    path = found["NetworkInsightsPaths"][0]
    assert (path["Destination"], path["Protocol"], path["DestinationPort"]) == (
        gateways["vgw"],
        "tcp",
        443,
    )
    assert path["Tags"] == [{"Key": "vpnlab:lab", "Value": "t"}]
    ec2.delete_network_insights_path(NetworkInsightsPathId=path_id)
    with pytest.raises(ec2.exceptions.ClientError, match="NotFound"):
        ec2.describe_network_insights_paths(NetworkInsightsPathIds=[path_id])


def analyse(ec2, source, destination, port):
    path = ec2.create_network_insights_path(
        Source=source, Destination=destination, Protocol="tcp", DestinationPort=port
    )["NetworkInsightsPath"]["NetworkInsightsPathId"]
    started = ec2.start_network_insights_analysis(NetworkInsightsPathId=path)
    analysis_id = started["NetworkInsightsAnalysis"]["NetworkInsightsAnalysisId"]
    found = ec2.describe_network_insights_analyses(NetworkInsightsPathId=path)
    (analysis,) = found["NetworkInsightsAnalyses"]
    assert analysis["NetworkInsightsAnalysisId"] == analysis_id
    ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId=analysis_id)
    with pytest.raises(ec2.exceptions.ClientError, match="NotFound"):
        ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId=analysis_id)
    ec2.delete_network_insights_path(NetworkInsightsPathId=path)
    assert analysis["Status"] == "succeeded"
    return analysis["NetworkPathFound"], [e["ExplanationCode"] for e in analysis["Explanations"]]


def test_network_insights_analyses_trace_the_emulators_own_state(ec2, gateways):
    """Answered by driver/local/emulator/reachability_answers.py: routes (propagated
    too), security groups, ACLs."""
    vpc = gateways["vpc"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24")["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    connection_id = connection(ec2, gateways, [{}, {}])
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="172.30.0.0/16"
    )
    ec2.enable_vgw_route_propagation(RouteTableId=table, GatewayId=gateways["vgw"])
    group = ec2.create_security_group(GroupName="probe", Description="probe", VpcId=vpc)
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5201,
                "ToPort": 5201,
                "IpRanges": [{"CidrIp": "10.9.0.0/16"}],
            }
        ],
    )
    image = ec2.describe_images()["Images"][0]["ImageId"]
    source, target = (
        ec2.run_instances(
            ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=groups
        )["Instances"][0]["InstanceId"]
        for groups in ([], [group["GroupId"]])
    )

    assert analyse(ec2, source, gateways["vgw"], 5201) == (True, [])
    assert analyse(ec2, source, target, 5201) == (True, [])
    assert analyse(ec2, source, target, 22) == (False, ["ENI_SG_RULES_MISMATCH"])
    ec2.disable_vgw_route_propagation(RouteTableId=table, GatewayId=gateways["vgw"])
    assert analyse(ec2, source, gateways["vgw"], 5201) == (False, ["NO_ROUTE_TO_DESTINATION"])
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]  # denies all
    association = next(
        a["NetworkAclAssociationId"]
        for a in ec2.describe_network_acls()["NetworkAcls"]
        for a in a["Associations"]
        if a["SubnetId"] == subnet
    )
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    assert analyse(ec2, source, target, 5201) == (
        False,
        ["SUBNET_ACL_RESTRICTION", "SUBNET_ACL_RESTRICTION"],
    )


def test_a_path_through_a_transit_gateway_follows_its_route_tables(ec2, gateways):
    """To a site's VPN attachment (driver/local/emulator/transit_reachability.py): the
    VPC's route to the gateway, the VPC's attachment, the table it is associated with
    and that table's longest prefix for the path's destination address."""
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    vpc = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.61.1.0/24")["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    vpc_attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    connection = ec2.create_vpn_connection(
        CustomerGatewayId=gateways["cgw"], Type="ipsec.1", TransitGatewayId=gateway,
        Options={"StaticRoutesOnly": True},
    )["VpnConnection"]["VpnConnectionId"]  # fmt: skip
    (vpn,) = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [connection]}]
    )["TransitGatewayAttachments"]
    vpn_attachment = vpn["TransitGatewayAttachmentId"]
    (tgw_table,) = ec2.describe_transit_gateway_route_tables(
        Filters=[{"Name": "transit-gateway-id", "Values": [gateway]}]
    )["TransitGatewayRouteTables"]  # the default table: both attachments associated
    tgw_table = tgw_table["TransitGatewayRouteTableId"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    source = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][
        0
    ]["InstanceId"]

    def through(address="192.168.61.10"):
        path = ec2.create_network_insights_path(
            Source=source, Destination=vpn_attachment, DestinationIp=address,
            Protocol="tcp", DestinationPort=443,
        )["NetworkInsightsPath"]["NetworkInsightsPathId"]  # fmt: skip
        started = ec2.start_network_insights_analysis(NetworkInsightsPathId=path)
        analysis = started["NetworkInsightsAnalysis"]
        ec2.delete_network_insights_path(NetworkInsightsPathId=path)
        assert analysis["Status"] == "succeeded", analysis.get("StatusMessage")
        hops = [c["Component"]["Id"] for c in analysis["ForwardPathComponents"]]
        return analysis["NetworkPathFound"], analysis["Explanations"], hops

    # The VPC has no route to the site yet.
    found, explanations, _ = through()
    assert not found and [e["ExplanationCode"] for e in explanations] == ["NO_ROUTE_TO_DESTINATION"]
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="192.168.61.0/24", TransitGatewayId=gateway
    )
    # The VPC routes to the gateway, whose table has no route to the site.
    found, explanations, _ = through()
    assert not found
    assert explanations[0]["ExplanationCode"] == "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT"
    assert explanations[0]["TransitGatewayRouteTable"]["Id"] == tgw_table
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="192.168.61.0/24",
        TransitGatewayRouteTableId=tgw_table,
        TransitGatewayAttachmentId=vpn_attachment,
    )
    found, explanations, hops = through()
    assert found and explanations == []
    assert hops[-4:] == [vpc_attachment, gateway, tgw_table, vpn_attachment]
    # A longer blackhole wins for its addresses, and is named.
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="192.168.61.0/28", TransitGatewayRouteTableId=tgw_table,
        Blackhole=True,
    )  # fmt: skip
    found, explanations, _ = through()
    assert not found
    assert explanations[0]["ExplanationCode"] == "TGW_RTB_MORE_SPECIFIC_ROUTE"
    assert explanations[0]["TransitGatewayRouteTableRoute"]["DestinationCidr"] == (
        "192.168.61.0/28"
    )
    assert explanations[0]["TransitGatewayRouteTableRoute"]["State"] == "blackhole"
    assert through("192.168.61.20")[0]  # beyond the blackhole: the site's route again
    ec2.delete_transit_gateway_route(
        DestinationCidrBlock="192.168.61.0/24", TransitGatewayRouteTableId=tgw_table
    )
    found, explanations, _ = through()  # the blackhole alone
    assert not found and explanations[0]["ExplanationCode"] == "TGW_RTB_BAD_STATE_ROUTE"
    # A path to an attachment needs the address the gateway looks up.
    path = ec2.create_network_insights_path(
        Source=source, Destination=vpn_attachment, Protocol="tcp", DestinationPort=443
    )["NetworkInsightsPath"]["NetworkInsightsPathId"]
    failed = ec2.start_network_insights_analysis(NetworkInsightsPathId=path)
    ec2.delete_network_insights_path(NetworkInsightsPathId=path)  # and its analysis
    assert failed["NetworkInsightsAnalysis"]["Status"] == "failed"
    assert "needs a DestinationIp" in failed["NetworkInsightsAnalysis"]["StatusMessage"]
