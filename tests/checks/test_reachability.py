"""Reachability Analyzer's answers read back as sentences (driver/checks/reachability.py)."""

from driver.checks.reachability import CODES_URL, explain


def test_explanation_codes_become_sentences():
    sg = explain(
        {
            "ExplanationCode": "ENI_SG_RULES_MISMATCH",
            "Direction": "ingress",
            "NetworkInterface": {"Id": "eni-1"},
            "SecurityGroups": [{"Id": "sg-1"}, {"Id": "sg-2"}],
        }
    )
    assert sg == (
        "ENI_SG_RULES_MISMATCH: the security groups sg-1, sg-2 of eni-1 do not allow "
        "this traffic (ingress)"
    )
    route = explain(
        {
            "ExplanationCode": "NO_ROUTE_TO_DESTINATION",
            "RouteTable": {"Id": "rtb-1"},
            "Destination": {"Id": "vgw-1"},
        }
    )
    assert route.startswith("NO_ROUTE_TO_DESTINATION: route table rtb-1 has no route to vgw-1")
    assert "route propagation" in route
    assert explain({"ExplanationCode": "TGW_RTB_CANNOT_ROUTE"}) == (
        f"TGW_RTB_CANNOT_ROUTE (see {CODES_URL})"
    )


def test_a_transit_gateways_codes_name_its_table_and_the_route_that_wins():
    blackhole = explain(
        {
            "ExplanationCode": "TGW_RTB_MORE_SPECIFIC_ROUTE",
            "TransitGatewayRouteTable": {"Id": "tgw-rtb-1"},
            "TransitGatewayAttachment": {"Id": "tgw-attach-vpn"},
            "TransitGatewayRouteTableRoute": {
                "DestinationCidr": "10.0.0.0/28",
                "State": "blackhole",
            },
        }
    )
    assert blackhole == (
        "TGW_RTB_MORE_SPECIFIC_ROUTE: Transit Gateway route table tgw-rtb-1 has a route to "
        "tgw-attach-vpn, but a more specific one wins: 10.0.0.0/28 → blackhole"
    )
    none = explain(
        {
            "ExplanationCode": "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT",
            "TransitGatewayRouteTable": {"Id": "tgw-rtb-1"},
            "TransitGatewayAttachment": {"Id": "tgw-attach-vpn"},
        }
    )
    assert none.endswith("has no route to tgw-attach-vpn for this address")
