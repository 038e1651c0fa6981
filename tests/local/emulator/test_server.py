"""Each of vpnlab's emulator extensions, through boto3 against the running emulator."""

import boto3
import pytest

from driver.checks import remote_commands
from driver.lab.aws_rules import RESERVED_INSIDE_CIDRS

RESERVED_INSIDE = {str(cidr) for cidr in RESERVED_INSIDE_CIDRS}


@pytest.fixture(scope="module")
def ec2(emulator):
    return boto3.client(
        "ec2",
        region_name="ap-northeast-1",
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def gateways(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc, VpnGatewayId=vgw)
    eip = ec2.allocate_address(Domain="vpc")["PublicIp"]
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=eip, BgpAsn=65000)
    return {"vpc": vpc, "vgw": vgw, "eip": eip, "cgw": cgw["CustomerGateway"]["CustomerGatewayId"]}


def connection(ec2, gateways, tunnels, tag="emulator-test"):
    created = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=gateways["cgw"],
        VpnGatewayId=gateways["vgw"],
        Options={
            "StaticRoutesOnly": True,
            "LocalIpv4NetworkCidr": "192.168.0.0/16",
            "RemoteIpv4NetworkCidr": "10.9.0.0/16",
            "TunnelOptions": tunnels,
        },
        TagSpecifications=[
            {"ResourceType": "vpn-connection", "Tags": [{"Key": "vpnlab:lab", "Value": tag}]}
        ],
    )
    return created["VpnConnection"]["VpnConnectionId"]


def describe(ec2, connection_id):
    return ec2.describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"][0]


def test_elastic_ips_come_from_the_documentation_range(gateways):
    assert gateways["eip"].startswith("203.0.113.")


def test_vpn_connection_keeps_its_options_and_tunnel_options(ec2, gateways):
    requested = {
        "TunnelInsideCidr": "169.254.20.0/30",
        "PreSharedKey": "requested.key_1",
        "Phase1EncryptionAlgorithms": [{"Value": "AES256-GCM-16"}],
        "Phase1IntegrityAlgorithms": [{"Value": "SHA2-384"}],
        "Phase1DHGroupNumbers": [{"Value": 20}],
        "Phase1LifetimeSeconds": 14400,
        "Phase2DHGroupNumbers": [{"Value": 14}],
        "IKEVersions": [{"Value": "ikev2"}],
        "DPDTimeoutSeconds": 40,
        "DPDTimeoutAction": "restart",
        "StartupAction": "start",
        "RekeyMarginTimeSeconds": 300,
    }
    found = describe(ec2, connection(ec2, gateways, [requested, {}]))
    options = found["Options"]
    assert options["StaticRoutesOnly"] is True
    assert (options["LocalIpv4NetworkCidr"], options["RemoteIpv4NetworkCidr"]) == (
        "192.168.0.0/16",
        "10.9.0.0/16",
    )
    first, second = options["TunnelOptions"]
    assert first["TunnelInsideCidr"] == "169.254.20.0/30"
    assert first["PreSharedKey"] == "requested.key_1"
    assert first["Phase1EncryptionAlgorithms"] == [{"Value": "AES256-GCM-16"}]
    assert first["Phase1DHGroupNumbers"] == [{"Value": 20}]
    assert first["IkeVersions"] == [{"Value": "ikev2"}]
    assert (
        first["Phase1LifetimeSeconds"],
        first["DpdTimeoutSeconds"],
        first["DpdTimeoutAction"],
        first["StartupAction"],
        first["RekeyMarginTimeSeconds"],
    ) == (14400, 40, "restart", "start", 300)
    # Not requested: AWS's defaults and AWS's rules for generated values.
    assert second["Phase1LifetimeSeconds"] == 28800 and second["DpdTimeoutSeconds"] == 30
    assert second["TunnelInsideCidr"].startswith("169.254.")
    assert second["TunnelInsideCidr"] not in RESERVED_INSIDE
    psk = second["PreSharedKey"]
    assert 8 <= len(psk) <= 64 and psk[0] != "0"
    assert set(psk) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")


def test_two_distinct_outside_addresses_in_the_configuration_too(ec2, gateways):
    found = describe(ec2, connection(ec2, gateways, [{}, {}]))
    addresses = [t["OutsideIpAddress"] for t in found["Options"]["TunnelOptions"]]
    assert len(set(addresses)) == 2
    assert all(a.startswith("198.51.100.") for a in addresses)
    configuration = found["CustomerGatewayConfiguration"]
    for tunnel in found["Options"]["TunnelOptions"]:
        assert tunnel["OutsideIpAddress"] in configuration
        assert f"<pre_shared_key>{tunnel['PreSharedKey']}</pre_shared_key>" in configuration
    assert gateways["eip"] in configuration


def test_static_routes_are_stored_and_filterable(ec2, gateways):
    connection_id = connection(ec2, gateways, [{}, {}])
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/16"
    )
    assert describe(ec2, connection_id)["Routes"] == [
        {"DestinationCidrBlock": "192.168.0.0/16", "Source": "Static", "State": "available"}
    ]
    filtered = ec2.describe_vpn_connections(
        Filters=[
            {"Name": "route.destination-cidr-block", "Values": ["192.168.0.0/16"]},
            {"Name": "vpn-connection-id", "Values": [connection_id]},
        ]
    )["VpnConnections"]
    assert [c["VpnConnectionId"] for c in filtered] == [connection_id]
    ec2.delete_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/16"
    )
    assert describe(ec2, connection_id)["Routes"] == []


def test_route_propagation_shows_in_describe_route_tables(ec2, gateways):
    connection_id = connection(ec2, gateways, [{}, {}])
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="172.31.0.0/16"
    )
    table = ec2.create_route_table(VpcId=gateways["vpc"])["RouteTable"]["RouteTableId"]
    ec2.enable_vgw_route_propagation(RouteTableId=table, GatewayId=gateways["vgw"])
    found = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]
    assert found["PropagatingVgws"] == [{"GatewayId": gateways["vgw"]}]
    propagated = [r for r in found["Routes"] if r["Origin"] == "EnableVgwRoutePropagation"]
    assert {
        "DestinationCidrBlock": "172.31.0.0/16",
        "GatewayId": gateways["vgw"],
        "Origin": "EnableVgwRoutePropagation",
        "State": "active",
    } in propagated
    ec2.disable_vgw_route_propagation(RouteTableId=table, GatewayId=gateways["vgw"])
    found = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]
    assert found.get("PropagatingVgws", []) == []
    assert all(r["Origin"] != "EnableVgwRoutePropagation" for r in found["Routes"])


def test_customer_gateways_filter_by_tag(ec2, gateways):
    """The leak check asks by the lab's tag; moto alone returns every gateway."""
    tagged = ec2.create_customer_gateway(
        Type="ipsec.1",
        PublicIp="203.0.113.200",
        BgpAsn=65000,
        TagSpecifications=[
            {"ResourceType": "customer-gateway", "Tags": [{"Key": "vpnlab:lab", "Value": "cg"}]}
        ],
    )["CustomerGateway"]["CustomerGatewayId"]
    found = ec2.describe_customer_gateways(Filters=[{"Name": "tag:vpnlab:lab", "Values": ["cg"]}])
    assert [g["CustomerGatewayId"] for g in found["CustomerGateways"]] == [tagged]
    assert gateways["cgw"] != tagged


def test_telemetry_is_down_without_a_data_plane(ec2, gateways):
    """UP only when the emulated VGW's SAs are up; test_local_target shows UP."""
    found = describe(ec2, connection(ec2, gateways, [{}, {}], tag="no-such-lab"))
    assert [t["Status"] for t in found["VgwTelemetry"]] == ["DOWN", "DOWN"]
    assert {t["OutsideIpAddress"] for t in found["VgwTelemetry"]} == {
        t["OutsideIpAddress"] for t in found["Options"]["TunnelOptions"]
    }


def test_instances_avoid_reserved_addresses_and_get_a_root_volume_size(ec2, gateways):
    subnet = ec2.create_subnet(VpcId=gateways["vpc"], CidrBlock="10.9.1.0/28")["Subnet"]
    images = ec2.describe_images()["Images"]
    reservation = ec2.run_instances(
        ImageId=images[0]["ImageId"],
        MinCount=8,
        MaxCount=8,
        SubnetId=subnet["SubnetId"],
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True}}],
    )
    for instance in reservation["Instances"]:
        last_octet = int(instance["PrivateIpAddress"].rsplit(".", 1)[1])
        assert 4 <= last_octet <= 14  # not .0-.3 (AWS's), not .15 (broadcast)


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


def test_ssm_run_command_runs_only_vpnlabs_commands_on_managed_instances(emulator, ec2, gateways):
    """The commands really run in the lab's namespaces (tests/aws/test_target.py);
    here: what is refused, and that no agent is online without a data plane."""
    ssm = boto3.client(
        "ssm",
        region_name="ap-northeast-1",
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    subnet = ec2.create_subnet(VpcId=gateways["vpc"], CidrBlock="10.9.3.0/24")["Subnet"]
    instance = ec2.run_instances(
        ImageId=ec2.describe_images()["Images"][0]["ImageId"],
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet["SubnetId"],
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [
                    {"Key": "vpnlab:lab", "Value": "no-such-lab"},
                    {"Key": "Name", "Value": "no-such-lab-aws-test-host"},
                ],
            }
        ],
    )["Instances"][0]["InstanceId"]
    found = ssm.describe_instance_information(
        Filters=[{"Key": "InstanceIds", "Values": [instance]}]
    )
    assert found["InstanceInformationList"] == []

    def send(commands):
        return ssm.send_command(
            InstanceIds=[instance],
            DocumentName="AWS-RunShellScript",
            Parameters={"commands": commands},
        )

    for foreign in (["id"], ["ping -n -c 3 -i 0.2 -W 1 10.0.0.1; id"], ["cat /etc/shadow"]):
        with pytest.raises(ssm.exceptions.ClientError, match="only vpnlab's own commands"):
            send(foreign)
    with pytest.raises(ssm.exceptions.ClientError, match="InvalidInstanceId"):
        send(remote_commands.ping("10.0.0.1"))


def test_a_retried_call_gets_the_answer_of_the_attempt_that_landed():
    """An SDK retries when an answer is lost; acting twice would create twice."""
    from driver.local.emulator.replay import replaying as _replaying

    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        status = "500 Internal Server Error" if environ["PATH_INFO"] == "/fail" else "200 OK"
        start_response(status, [("Content-Type", "text/plain")])
        return [f"answer {len(calls)}".encode()]

    def call(invocation, attempt, path="/"):
        said = {}
        environ = {
            "PATH_INFO": path,
            "HTTP_AMZ_SDK_INVOCATION_ID": invocation,
            "HTTP_AMZ_SDK_REQUEST": f"attempt={attempt}; max=3",
        }
        body = b"".join(_replaying(app)(environ, lambda s, h, e=None: said.update(status=s)))
        return said["status"], body

    assert call("put-1", 1) == ("200 OK", b"answer 1")
    assert call("put-1", 2) == ("200 OK", b"answer 1")  # replayed, not run again
    assert call("put-2", 1) == ("200 OK", b"answer 2")  # another call runs
    assert call("fail-1", 1, "/fail")[0].startswith("500")
    assert call("fail-1", 2, "/fail") == ("500 Internal Server Error", b"answer 4")  # re-run
    assert len(calls) == 4
