"""The leak check and ``--force-cleanup`` know a Transit Gateway lab's own kinds: the
gateway, its route tables and VPC attachments, and each site's SSM parameters.

The resources are made with the calls Terraform makes (tests/synth/
test_transit_synthesis.py applies the whole stack), in the embedded emulator."""

import pytest

from driver.aws.cleanup import force_cleanup
from driver.aws_api.leaks import leftovers, tag_filter

REGION = "ap-northeast-1"


def tags(lab: str, kind: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": "vpnlab:lab", "Value": lab}]}]


def make_transit_lab(ec2, ssm, lab: str) -> dict[str, str]:
    """A gateway with a table of its own, a VPC attached and associated with it, a
    site's connection (its VPN attachment: the gateway's default table), its key."""
    gateway = ec2.create_transit_gateway(TagSpecifications=tags(lab, "transit-gateway"))
    gateway_id = gateway["TransitGateway"]["TransitGatewayId"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags(lab, "vpc"))["Vpc"]
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"], CidrBlock="10.0.1.0/24", TagSpecifications=tags(lab, "subnet")
    )["Subnet"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway_id,
        VpcId=vpc["VpcId"],
        SubnetIds=[subnet["SubnetId"]],
        TagSpecifications=tags(lab, "transit-gateway-attachment"),
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    table = ec2.create_transit_gateway_route_table(
        TransitGatewayId=gateway_id, TagSpecifications=tags(lab, "transit-gateway-route-table")
    )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
    )
    cgw = ec2.create_customer_gateway(
        BgpAsn=65000, PublicIp="203.0.113.10", Type="ipsec.1",
        TagSpecifications=tags(lab, "customer-gateway"),
    )["CustomerGateway"]["CustomerGatewayId"]  # fmt: skip
    connection = ec2.create_vpn_connection(
        CustomerGatewayId=cgw, Type="ipsec.1", TransitGatewayId=gateway_id,
        Options={"StaticRoutesOnly": True}, TagSpecifications=tags(lab, "vpn-connection"),
    )["VpnConnection"]["VpnConnectionId"]  # fmt: skip
    parameter = f"/vpnlab/{lab}/tokyo/tunnel1/psk"
    ssm.put_parameter(Name=parameter, Value="not-a-real-key-0123", Type="SecureString")
    return {
        "gateway": gateway_id, "table": table, "attachment": attachment,
        "connection": connection, "parameter": parameter, "vpc": vpc["VpcId"],
    }  # fmt: skip


@pytest.fixture
def clients(emulator):
    session = emulator.session(REGION)
    ec2, ssm = (session.client(name, endpoint_url=emulator.url) for name in ("ec2", "ssm"))
    return session, ec2, ssm


def cleanup(emulator, session, lab: str) -> None:
    """``--force-cleanup``'s deletions, each call made once (no retries needed here)."""
    force_cleanup(
        lab,
        lambda name: session.client(name, endpoint_url=emulator.url),
        lambda operation, **arguments: operation(**arguments),
        lambda line: None,
    )


def test_a_transit_lab_left_behind_is_listed_then_removed_by_its_tag_alone(emulator, clients):
    session, ec2, ssm = clients
    made = make_transit_lab(ec2, ssm, "tgwleft")
    other = make_transit_lab(ec2, ssm, "tgwleft-tokyo")  # another lab, named like a site
    try:
        left = leftovers(session, "tgwleft", emulator.url)
        assert f"transit gateway {made['gateway']}" in left
        assert f"transit gateway route table {made['table']}" in left
        assert f"transit gateway VPC attachment {made['attachment']}" in left
        assert f"SSM parameter {made['parameter']}" in left
        # Only the lab's own: not the gateway's untagged default table, not the other lab's.
        assert sum(entry.startswith("transit gateway route table") for entry in left) == 1
        assert not [entry for entry in left if any(i in entry for i in other.values())]
        others = sorted(leftovers(session, "tgwleft-tokyo", emulator.url))
        assert f"transit gateway {other['gateway']}" in others

        cleanup(emulator, session, "tgwleft")
        assert leftovers(session, "tgwleft", emulator.url) == []
        gateways = ec2.describe_transit_gateways()["TransitGateways"]
        assert [g["State"] for g in gateways if g["TransitGatewayId"] == made["gateway"]] in (
            [],
            ["deleted"],  # AWS lists a deleted gateway for a while; moto forgets it
        )
        # The other lab's are all there still, every one of them.
        assert sorted(leftovers(session, "tgwleft-tokyo", emulator.url)) == others
    finally:
        cleanup(emulator, session, "tgwleft-tokyo")
    assert leftovers(session, "tgwleft-tokyo", emulator.url) == []
    assert ec2.describe_vpcs(Filters=tag_filter("tgwleft"))["Vpcs"] == []
