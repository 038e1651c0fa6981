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
