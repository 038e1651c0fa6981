"""The VGW's gateway route table (driver/local/emulator/gateway_associations.py)."""


def test_a_gateway_route_table_names_its_vgw_as_aws_does(ec2, gateways):
    table = ec2.create_route_table(VpcId=gateways["vpc"])["RouteTable"]["RouteTableId"]
    association = ec2.associate_route_table(RouteTableId=table, GatewayId=gateways["vgw"])
    found = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]
    assert {
        "RouteTableAssociationId": association["AssociationId"],
        "RouteTableId": table,
        "GatewayId": gateways["vgw"],
        "Main": False,
        "AssociationState": {"State": "associated"},
    } in found["Associations"]
    ec2.disassociate_route_table(AssociationId=association["AssociationId"])
    found = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]
    assert all("GatewayId" not in a for a in found["Associations"])
