"""A Transit Gateway lab: vpcs and sites load; AWS's Transit Gateway rules refuse
what AWS would refuse, every problem at once, at the key the lab wrote."""

import copy
import ipaddress
from pathlib import Path

import pytest
import yaml

from driver.core.errors import LabError
from driver.lab.loader import load_lab, parse_lab
from tests.conftest import SEED

EXAMPLE = Path(__file__).parents[2] / "labs" / "transit-gateway.yml"
RAW = yaml.safe_load(EXAMPLE.read_text())


def edited(edit) -> str:
    raw = copy.deepcopy(RAW)
    edit(raw)
    return yaml.safe_dump(raw, sort_keys=False)


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(LabError) as caught:
        parse_lab(text, "lab.yml")
    return [(p.path, p.message) for p in caught.value.problems]


def test_the_example_loads_two_sites_on_two_vpcs():
    lab = load_lab(EXAMPLE)
    assert [s.name for s in lab.sites] == ["tokyo", "osaka"]
    assert [v.name for v in lab.vpcs] == ["prod", "dev"]
    assert [s.vpn.routing for s in lab.sites] == ["static", "bgp"]
    # A VPN connection on a Transit Gateway has the gateway's ASN.
    assert {s.vpn.amazon_side_asn for s in lab.sites} == {lab.transit_gateway.amazon_side_asn}
    # The code that builds one connection reads the first VPC and site.
    assert lab.aws.vpc_cidr == lab.vpcs[0].vpc_cidr
    assert lab.onprem == lab.sites[0].onprem and lab.vpn == lab.sites[0].vpn
    osaka = lab.sites[1]
    assert osaka.vpn.tunnels[1].options.dpd_action == "restart"  # shared options nested
    route = lab.transit_gateway.routes[0]
    assert (route.cidr, route.blackhole) == (ipaddress.ip_network("10.99.0.0/16"), True)


def test_aws_defaults_when_only_the_gateway_is_named():
    lab = parse_lab(edited(lambda raw: raw.__setitem__("transit_gateway", {})))
    gateway = lab.transit_gateway
    assert gateway.amazon_side_asn == 64512 and gateway.ecmp
    assert gateway.default_route_table_association and gateway.default_route_table_propagation


def test_a_vgw_lab_is_unchanged_and_has_no_sites(seed_lab):
    assert seed_lab.transit_gateway is None and seed_lab.sites == () and seed_lab.vpcs == ()


def test_the_keys_of_one_kind_of_lab_are_refused_in_the_other():
    def vgw_keys(raw):
        raw["aws"] = {"vpc_cidr": "10.0.0.0/16", "private_subnet_cidr": "10.0.1.0/24"}
        raw["firewall"] = {"subnet_cidr": "10.0.2.0/24"}

    found = problems(edited(vgw_keys))
    assert ("aws", "a Transit Gateway lab does not write aws") in found
    assert ("firewall", "a Transit Gateway lab does not write firewall") in found
    seed = yaml.safe_load(SEED.read_text())
    seed["sites"] = RAW["sites"]
    assert problems(yaml.safe_dump(seed)) == [("sites", "sites belongs to a Transit Gateway lab")]


def test_missing_sites_and_vpcs_are_named_not_aws_onprem_and_vpn():
    def bare(raw):
        del raw["sites"], raw["vpcs"], raw["transit_gateway"]["route_tables"]

    assert problems(edited(bare)) == [("sites", "missing"), ("vpcs", "missing")]


def test_a_site_without_tunnels_is_told_what_to_add():
    def no_tunnels(raw):
        del raw["sites"][1]["vpn"]["tunnels"]

    with pytest.raises(LabError) as caught:
        parse_lab(edited(no_tunnels), "lab.yml")
    (problem,) = caught.value.problems
    assert problem.path == "sites[1].vpn.tunnels"
    assert problem.message.startswith("missing: exactly two tunnels")
    assert problem.hint == "add two entries, each with an inside_cidr"


def test_every_problem_at_once_at_the_key_the_lab_wrote():
    def broken(raw):
        raw["sites"][1]["name"] = "tokyo"
        raw["sites"][1]["vpn"]["amazon_side_asn"] = 64999
        raw["sites"][1]["vpn"]["tunnels"][0]["inside_cidr"] = "169.254.1.0/30"
        raw["sites"][1]["onprem"]["vpc_cidr"] = "10.1.0.0/16"
        raw["transit_gateway"]["amazon_side_asn"] = 65535
        raw["transit_gateway"]["routes"].append({"cidr": "10.98.0.0/16"})
        raw["transit_gateway"]["route_tables"] = [
            {"name": "isolated", "associations": ["vpc:dev", "site:nagoya"]},
            {
                "name": "shared",
                "associations": ["vpc:dev"],
                "routes": [{"cidr": "10.97.0.0/16", "attachment": "site:tokyo", "blackhole": True}],
            },
        ]

    found = problems(edited(broken))
    for expected in [
        ("sites[1].name", "'tokyo' is named twice"),
        (
            "sites[1].vpn.amazon_side_asn",
            "a VPN connection on a Transit Gateway takes the Transit Gateway's ASN",
        ),
        (
            "transit_gateway.amazon_side_asn",
            "65535 is not a private ASN AWS accepts for a Transit Gateway",
        ),
        ("sites[1].onprem.vpc_cidr", "10.1.0.0/16 overlaps the AWS VPC vpcs[1] (10.1.0.0/16)"),
        ("transit_gateway.routes[1]", "a route needs an attachment or blackhole: true, not both"),
        (
            "transit_gateway.route_tables[0].associations[1]",
            "no attachment site:nagoya in this lab",
        ),
        (
            "transit_gateway.route_tables[1].associations[0]",
            "vpc:dev is already associated with transit_gateway.route_tables[0]",
        ),
        (
            "transit_gateway.route_tables[1].routes[0]",
            "a route needs an attachment or blackhole: true, not both",
        ),
    ]:
        assert expected in found, found
    reserved = [p for p in found if p[0] == "sites[1].vpn.tunnels[0].inside_cidr"]
    assert reserved and "reserved" in reserved[0][1]


def test_a_schema_error_in_a_later_site_keeps_the_other_rules_running():
    def broken(raw):
        raw["sites"][1]["vpn"]["tunnels"][1]["dpd_timeout"] = "thirty"
        raw["vpcs"][1]["vpc_cidr"] = "10.0.0.0/16"

    found = problems(edited(broken))
    assert ("sites[1].vpn.tunnels[1].dpd_timeout", "must be an integer, not 'thirty'") in found
    assert ("vpcs[1].vpc_cidr", "10.0.0.0/16 overlaps vpcs[0] (10.0.0.0/16)") in found


def test_two_sites_may_share_inside_cidrs_and_networks():
    # AWS: IPv4 inside CIDRs are unique per connection, not per Transit Gateway; the
    # same prefix from two sites is how ECMP and failover across connections work.
    def shared(raw):
        raw["sites"][1]["onprem"]["vpc_cidr"] = "192.168.0.0/16"
        raw["sites"][1]["onprem"]["public_subnet_cidr"] = "192.168.0.0/24"
        raw["sites"][1]["onprem"]["private_subnet_cidr"] = "192.168.1.0/24"
        raw["sites"][1]["vpn"]["advertised_prefixes"] = ["192.168.0.0/16"]

    assert len(parse_lab(edited(shared)).sites) == 2
