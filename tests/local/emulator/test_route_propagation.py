"""VGW route propagation (driver/local/emulator/route_propagation.py)."""

from tests.local.emulator.helpers import connection


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
