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
