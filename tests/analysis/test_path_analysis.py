"""Path analysis: the seed's appendix (firewall + propagation) caught, its fixes pass."""

import json

import pytest

from driver.analysis.lab_rules import lint_lab
from driver.analysis.path_analysis import both_ways, stateful_asymmetry
from driver.core.paths import PROJECT
from driver.lab.loader import parse_lab
from tests.conftest import one, resources
from tests.lab.test_loader import lab_with

FIREWALL = ("firewall", {"subnet_cidr": "10.0.2.0/24"})


def traces(*changes):
    forward, back = both_ways(parse_lab(lab_with(*changes)))
    return forward, back


def test_the_seed_routes_both_ways_without_a_stateful_device():
    forward, back = traces()
    assert forward.reached and back.reached
    assert forward.nodes == ["aws_host", "vgw", "vpn_server", "onprem_host"]
    assert back.nodes == ["onprem_host", "vpn_server", "vgw", "aws_host"]
    assert forward.hops[0].reason == "192.168.0.0/16 → VGW (propagated)"  # longest prefix


def test_the_seeds_appendix_is_asymmetric_through_the_firewall():
    forward, back = traces(FIREWALL, ("aws.route_propagation", True))
    assert "firewall" not in forward.nodes  # 192.168.0.0/16 beats 0.0.0.0/0
    assert back.nodes == ["onprem_host", "vpn_server", "vgw", "firewall", "aws_host"]
    assert stateful_asymmetry(forward, back) == ["firewall"]


def test_propagation_off_keeps_both_directions_on_the_firewall():
    forward, back = traces(FIREWALL, ("aws.route_propagation", False))
    assert forward.nodes == ["aws_host", "firewall", "vgw", "vpn_server", "onprem_host"]
    assert forward.hops[0].reason == "0.0.0.0/0 → firewall"
    assert "firewall" in back.nodes and stateful_asymmetry(forward, back) == []


def test_without_the_ingress_route_both_directions_bypass_the_firewall():
    lab = parse_lab(lab_with(("firewall", {"subnet_cidr": "10.0.2.0/24", "ingress_route": False})))
    forward, back = both_ways(lab)
    assert stateful_asymmetry(forward, back) == []
    assert [f.rule for f in lint_lab(lab, "lab.yml") if f.severity != "info"] == [
        "path-bypasses-firewall"
    ]


def test_a_static_route_that_misses_the_subnet_is_unreachable():
    forward, _ = traces(("vpn.static_routes", ["192.168.0.0/24"]))
    assert not forward.reached and "no route to 192.168.1.10" in forward.why


@pytest.mark.parametrize(
    "lab,expected", [("seed-firewall", ["path-asymmetric"]), ("seed-firewall-fixed", [])]
)
def test_the_firewall_example_labs_lint_as_marked(lab, expected):
    from driver.analysis.lint import lint

    errors = [f.rule for f in lint(PROJECT / "labs" / f"{lab}.yml") if f.severity == "error"]
    assert errors == expected


def test_a_firewall_outside_the_vpc_is_refused():
    from driver.core.errors import LabError

    with pytest.raises(LabError, match="firewall.subnet_cidr: 10.9.0.0/24 is outside"):
        parse_lab(lab_with(("firewall", {"subnet_cidr": "10.9.0.0/24"})))


def test_the_firewall_is_synthesized_as_the_lab_says(synthesized):
    stack = synthesized.stack("seed-firewall-fixed")
    synthesized = json.loads((stack / "cdk.tf.json").read_text())
    firewall = one(
        synthesized,
        "aws_instance",
        source_dest_check=False,
        **{
            "tags": {
                "Name": "seed-firewall-fixed-firewall",
                "vpnlab:lab": "seed-firewall-fixed",
                "Project": "vpnlab",
            }
        },
    )
    assert firewall["metadata_options"]["http_tokens"] == "required"
    default = one(
        synthesized,
        "aws_route",
        destination_cidr_block="0.0.0.0/0",
        network_interface_id=firewall["tags"]
        and next(
            f"${{aws_instance.{k}.primary_network_interface_id}}"
            for k, v in synthesized["resource"]["aws_instance"].items()
            if v is firewall
        ),
    )
    assert "aws_route_table.aws-side_private-rt" in default["route_table_id"]
    # Propagation only on the firewall's own table (the fix), not on the private one.
    (propagation,) = resources(synthesized, "aws_vpn_gateway_route_propagation")
    assert "firewall_rt" in propagation["route_table_id"]
    edge = [a for a in resources(synthesized, "aws_route_table_association") if "gateway_id" in a]
    assert len(edge) == 1 and "aws_vpn_gateway_attachment" in edge[0]["gateway_id"]
    ingress = one(synthesized, "aws_route", destination_cidr_block="10.0.1.0/24")
    assert ingress["network_interface_id"] == default["network_interface_id"]
