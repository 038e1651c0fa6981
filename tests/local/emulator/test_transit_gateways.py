"""Transit Gateway route tables (driver/local/emulator/transit_gateways.py), through
boto3 as AWS's API reference describes them: GetTransitGatewayRouteTableAssociations
and -Propagations list every attachment the gateway's defaults or the calls put
there, SearchTransitGatewayRoutes holds the propagated routes by AWS's route
evaluation order."""

import boto3
import pytest
from moto import mock_aws

from driver.local.emulator import route_propagation, transit_gateways


def gateway(ec2, **options):
    created = ec2.create_transit_gateway(Options={"AmazonSideAsn": 64512, **options})
    return created["TransitGateway"]


def vpc_attachment(ec2, tgw_id, cidr):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace(".0.0/16", ".1.0/24"))
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc, SubnetIds=[subnet["Subnet"]["SubnetId"]]
    )["TransitGatewayVpcAttachment"]
    return vpc, attachment["TransitGatewayAttachmentId"]


def vpn_attachment(ec2, tgw_id, static=True, address="203.0.113.10"):
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=address, BgpAsn=65000)
    connection = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
        TransitGatewayId=tgw_id,
        Options={"StaticRoutesOnly": static},
    )["VpnConnection"]["VpnConnectionId"]
    (attachment,) = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [connection]}]
    )["TransitGatewayAttachments"]
    return connection, attachment["TransitGatewayAttachmentId"]


def associations(ec2, table):
    found = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table)
    return {(a["ResourceType"], a["TransitGatewayAttachmentId"]) for a in found["Associations"]}


def propagations(ec2, table):
    found = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table)
    return {
        (p["ResourceType"], p["TransitGatewayAttachmentId"])
        for p in found["TransitGatewayRouteTablePropagations"]
    }


def routes(ec2, table):
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
    )["Routes"]
    return {
        r["DestinationCidrBlock"]: (
            r["Type"],
            r["State"],
            [a["TransitGatewayAttachmentId"] for a in r.get("TransitGatewayAttachments", [])],
        )
        for r in found
    }


def test_the_defaults_associate_and_propagate_vpn_and_vpc_attachments(ec2):
    tgw = gateway(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    _, vpc = vpc_attachment(ec2, tgw["TransitGatewayId"], "10.40.0.0/16")
    _, vpn = vpn_attachment(ec2, tgw["TransitGatewayId"])
    assert associations(ec2, table) == {("vpc", vpc), ("vpn", vpn)}
    assert propagations(ec2, table) == {("vpc", vpc), ("vpn", vpn)}
    # The VPC's CIDR is propagated; a static VPN propagates nothing (its routes are
    # the table's static routes).
    assert routes(ec2, table) == {"10.40.0.0/16": ("propagated", "active", [vpc])}
    (described,) = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[vpn])[
        "TransitGatewayAttachments"
    ]
    assert described["Association"] == {"TransitGatewayRouteTableId": table, "State": "associated"}


def test_without_the_defaults_nothing_is_associated_until_asked(ec2):
    tgw = gateway(
        ec2, DefaultRouteTableAssociation="disable", DefaultRouteTablePropagation="disable"
    )
    tgw_id, default = tgw["TransitGatewayId"], tgw["Options"]["AssociationDefaultRouteTableId"]
    _, vpc = vpc_attachment(ec2, tgw_id, "10.41.0.0/16")
    _, vpn = vpn_attachment(ec2, tgw_id, address="203.0.113.11")
    assert associations(ec2, default) == set() and propagations(ec2, default) == set()
    for attachment in (vpc, vpn):
        (described,) = ec2.describe_transit_gateway_attachments(
            TransitGatewayAttachmentIds=[attachment]
        )["TransitGatewayAttachments"]
        assert "Association" not in described
    custom = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)
    custom = custom["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=custom, TransitGatewayAttachmentId=vpn
    )
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=custom, TransitGatewayAttachmentId=vpc
    )
    assert associations(ec2, custom) == {("vpn", vpn)}
    assert routes(ec2, custom) == {"10.41.0.0/16": ("propagated", "active", [vpc])}
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=custom, TransitGatewayAttachmentId=vpn
    )
    assert associations(ec2, custom) == set()
    (described,) = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[vpn])[
        "TransitGatewayAttachments"
    ]
    assert "Association" not in described


def test_a_static_route_wins_over_the_propagated_one_and_blackholes_drop(ec2):
    tgw = gateway(ec2)
    tgw_id, table = tgw["TransitGatewayId"], tgw["Options"]["AssociationDefaultRouteTableId"]
    _, vpc = vpc_attachment(ec2, tgw_id, "10.42.0.0/16")
    _, vpn = vpn_attachment(ec2, tgw_id, address="203.0.113.12")
    for cidr, target in (("10.42.0.0/16", {"TransitGatewayAttachmentId": vpn}),
                         ("192.168.0.0/16", {"TransitGatewayAttachmentId": vpn}),
                         ("10.99.0.0/16", {"Blackhole": True})):  # fmt: skip
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=table, DestinationCidrBlock=cidr, **target
        )
    assert routes(ec2, table) == {
        "10.42.0.0/16": ("static", "active", [vpn]),
        "192.168.0.0/16": ("static", "active", [vpn]),
        "10.99.0.0/16": ("static", "blackhole", []),
    }
    ec2.delete_transit_gateway_route(TransitGatewayRouteTableId=table,
                                     DestinationCidrBlock="10.42.0.0/16")  # fmt: skip
    assert routes(ec2, table)["10.42.0.0/16"] == ("propagated", "active", [vpc])
    # Terraform reads a static route back by exact match and type.
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[
            {"Name": "route-search.exact-match", "Values": ["192.168.0.0/16"]},
            {"Name": "type", "Values": ["static"]},
        ],
    )["Routes"]
    assert [r["DestinationCidrBlock"] for r in found] == ["192.168.0.0/16"]


def test_deleting_a_route_that_is_not_there_answers_as_aws(ec2):
    """InvalidRoute.NotFound (an HTTP 400), which the provider's destroy takes for a
    route already gone (someone deleted it in the console); a table that is not there
    is InvalidRouteTableID.NotFound."""
    from botocore.exceptions import ClientError

    tgw = gateway(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="10.99.0.0/16", Blackhole=True
    )
    ec2.delete_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="10.99.0.0/16"
    )
    missing = ((table, "InvalidRoute.NotFound"),
               ("tgw-rtb-0123456789abcdef0", "InvalidRouteTableID.NotFound"))  # fmt: skip
    for table_id, code in missing:
        with pytest.raises(ClientError) as refused:
            ec2.delete_transit_gateway_route(
                TransitGatewayRouteTableId=table_id, DestinationCidrBlock="10.99.0.0/16"
            )
        assert refused.value.response["Error"]["Code"] == code
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_deleted_vpn_connection_leaves_its_tables(ec2):
    tgw = gateway(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    connection, vpn = vpn_attachment(ec2, tgw["TransitGatewayId"], address="203.0.113.13")
    ec2.delete_vpn_connection(VpnConnectionId=connection)
    assert associations(ec2, table) == set()


@pytest.fixture
def in_process(monkeypatch):
    """moto in this process with the extension patched in (and out again): BGP's
    learned prefixes come from the data plane, so this is where they are given."""
    learned = {}
    transit_gateways.install(patch=lambda *args: monkeypatch.setattr(*args, raising=False))
    monkeypatch.setattr(
        route_propagation, "learned_routes", lambda connection: learned.get(connection.id, [])
    )
    with mock_aws():
        yield boto3.client("ec2", region_name="ap-northeast-1"), learned


@pytest.mark.parametrize("ecmp", ["enable", "disable"])
def test_equal_bgp_routes_from_two_connections_are_one_ecmp_route(in_process, ecmp):
    ec2, learned = in_process
    tgw = gateway(ec2, VpnEcmpSupport=ecmp)
    tgw_id, table = tgw["TransitGatewayId"], tgw["Options"]["AssociationDefaultRouteTableId"]
    first, first_attachment = vpn_attachment(ec2, tgw_id, static=False, address="203.0.113.20")
    second, second_attachment = vpn_attachment(ec2, tgw_id, static=False, address="203.0.113.21")
    learned[first] = ["172.16.0.0/16", "172.17.0.0/16"]
    learned[second] = ["172.16.0.0/16"]
    found = routes(ec2, table)
    both = [first_attachment, second_attachment] if ecmp == "enable" else [first_attachment]
    assert found["172.16.0.0/16"] == ("propagated", "active", both)
    assert found["172.17.0.0/16"] == ("propagated", "active", [first_attachment])
    # A VPC-propagated route beats a VPN-propagated one for the same destination.
    _, vpc = vpc_attachment(ec2, tgw_id, "172.17.0.0/16")
    assert routes(ec2, table)["172.17.0.0/16"] == ("propagated", "active", [vpc])


def test_a_vpc_attachment_keeps_its_tags_and_is_deleted_as_aws_deletes(ec2):
    tgw = gateway(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    vpc = ec2.create_vpc(CidrBlock="10.43.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.43.1.0/24")["Subnet"]["SubnetId"]
    tags = [{"Key": "vpnlab:lab", "Value": "emulator-test"}]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw["TransitGatewayId"],
        VpcId=vpc,
        SubnetIds=[subnet],
        TagSpecifications=[{"ResourceType": "transit-gateway-attachment", "Tags": tags}],
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    (described,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert described["Tags"] == tags  # leak checks find it by its tag
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    (described,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert described["State"] == "deleted"  # what the provider's delete waits for
    assert associations(ec2, table) == set() and propagations(ec2, table) == set()
    assert routes(ec2, table) == {}
    # The VPC can be attached again.
    ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw["TransitGatewayId"], VpcId=vpc, SubnetIds=[subnet]
    )


def test_an_accelerated_connection_says_so(ec2):
    tgw = gateway(ec2)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.14", BgpAsn=65000)
    connection = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
        TransitGatewayId=tgw["TransitGatewayId"],
        Options={"EnableAcceleration": True},
    )["VpnConnection"]
    assert connection["Options"]["EnableAcceleration"] is True
