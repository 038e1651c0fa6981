"""Lint of a Transit Gateway lab: its route tables resolved from the lab by AWS's
route evaluation order, and each mistake named at its key."""

import copy
import ipaddress

import pytest
import yaml

from driver.analysis.lint import lint
from driver.core.errors import VpnlabError
from driver.lab import transit_routes
from driver.lab.loader import parse_lab
from tests.conftest import PROJECT
from tests.lab.test_transit_lab import EXAMPLE, RAW

ECMP_LAB = PROJECT / "tests/scenarios/tgw-ecmp-connections/lab.yml"


def lab_file(tmp_path, edit=lambda raw: None):
    raw = copy.deepcopy(RAW)
    edit(raw)
    path = tmp_path / "tgw.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def found(path, rule):
    return [
        (f.where.split(": ", 1)[1], f.severity, f.message) for f in lint(path) if f.rule == rule
    ]


def test_the_example_has_no_errors_nor_warnings():
    findings = lint(EXAMPLE)
    assert {f.severity for f in findings} == {"info"}, [f.text() for f in findings]
    # Each site's own rules run at its keys.
    assert any(f.where.endswith("sites[0].vpn.tunnel_options.dpd_action") for f in findings)


def test_attachments_without_a_table(tmp_path):
    def no_defaults(raw):
        raw["transit_gateway"].update(
            default_route_table_association=False, default_route_table_propagation=False
        )
        del raw["transit_gateway"]["routes"]

    path = lab_file(tmp_path, no_defaults)
    findings = found(path, "tgw-unattached")
    # The VPCs are associated with no table (the sites are, with the lab's "onprem"),
    # and the sites propagate nowhere (the VPCs do, into "onprem").
    assert (
        "vpcs[0]",
        "error",
        "vpc:prod is associated with no route table: the Transit Gateway drops what it sends",
    ) in findings
    assert (
        "sites[1]",
        "error",
        "site:osaka propagates to no route table and no static route "
        "leads to it: nothing is routed to it",
    ) in findings
    assert len(findings) == 4


def test_a_site_whose_selectors_exclude_another_site_the_gateway_routes_to_it(tmp_path):
    def shared(raw):
        del raw["transit_gateway"]["route_tables"]  # every attachment in the default table
        raw["sites"][0]["vpn"]["remote_network_cidr"] = "10.0.0.0/15"  # the VPCs only

    assert found(lab_file(tmp_path, shared), "lab-network-cidrs") == [
        (
            "sites[0].vpn.remote_network_cidr",
            "warning",
            "10.0.0.0/15 does not cover "
            "site:osaka's subnet 172.16.1.0/24, which the Transit Gateway routes to this site: "
            "the tunnels' selectors exclude it",
        )
    ]


def test_a_segmented_vpc_is_named_with_the_table_that_misses(tmp_path):
    def isolate(raw):
        raw["transit_gateway"]["route_tables"] = [
            {"name": "dev", "associations": ["vpc:dev"], "propagations": ["vpc:prod"]}
        ]

    findings = found(lab_file(tmp_path, isolate), "tgw-no-route")
    assert (
        "vpcs[1]",
        "warning",
        "vpc:dev → site:tokyo: route table dev has no route to 192.168.1.0/24",
    ) in findings
    assert (
        "vpcs[1]",
        "warning",
        "vpc:dev → site:osaka: route table dev has no route to 172.16.1.0/24",
    ) in findings
    assert len(findings) == 2  # the sites still reach dev: the default table has its CIDR


def test_a_blackhole_and_a_static_route_that_wins_over_bgp(tmp_path):
    def routes(raw):
        raw["transit_gateway"]["routes"] += [
            {"cidr": "192.168.1.0/24", "blackhole": True},
            {"cidr": "172.16.0.0/16", "attachment": "site:tokyo"},
        ]

    path = lab_file(tmp_path, routes)
    no_route = found(path, "tgw-no-route")
    assert (
        "vpcs[0]",
        "warning",
        "vpc:prod → site:tokyo: route table default drops "
        "192.168.1.0/24 (transit_gateway.routes[1]: blackhole)",
    ) in no_route
    assert (
        "vpcs[0]",
        "warning",
        "vpc:prod → site:osaka: route table default sends "
        "172.16.1.0/24 to site:tokyo (transit_gateway.routes[2])",
    ) in no_route
    assert found(path, "tgw-static-over-bgp") == [
        (
            "transit_gateway.routes[2]",
            "warning",
            "172.16.0.0/16 (static, to site:tokyo) wins "
            "over site:osaka's BGP route 172.16.0.0/16 in route table default: static routes "
            "come first",
        )
    ]


def test_ecmp_on_static_sites_and_overlapping_static_sites(tmp_path):
    def static(raw):
        osaka = raw["sites"][1]
        osaka["onprem"] = copy.deepcopy(raw["sites"][0]["onprem"])
        osaka["onprem"]["vpn_server"]["public_ip"] = "203.0.113.20"
        osaka["vpn"] = copy.deepcopy(raw["sites"][0]["vpn"])

    path = lab_file(tmp_path, static)
    assert [f[:2] for f in found(path, "tgw-ecmp-static")] == [("transit_gateway.ecmp", "warning")]
    assert [f[:2] for f in found(path, "tgw-site-overlap")] == [
        ("sites[1].onprem.vpc_cidr", "warning")
    ]


def test_lookup_spreads_equal_bgp_routes_only_with_ecmp():
    raw = copy.deepcopy(RAW)
    tokyo = raw["sites"][0]
    tokyo["vpn"] = copy.deepcopy(raw["sites"][1]["vpn"])
    tokyo["vpn"]["advertised_prefixes"] = ["172.16.0.0/16"]  # a second path to Osaka
    address = ipaddress.ip_address("172.16.1.10")
    lab = parse_lab(yaml.safe_dump(raw))
    spread = transit_routes.lookup(lab, "default", address)
    assert spread.attachments == ("site:tokyo", "site:osaka")
    raw["transit_gateway"]["ecmp"] = False
    one = transit_routes.lookup(parse_lab(yaml.safe_dump(raw)), "default", address)
    assert len(one.attachments) == 1
    # A VPC-propagated route beats a VPN-propagated one for the same prefix.
    tokyo["vpn"]["advertised_prefixes"] = ["10.1.0.0/16"]
    vpc = transit_routes.lookup(
        parse_lab(yaml.safe_dump(raw)), "default", ipaddress.ip_address("10.1.1.10")
    )
    assert vpc.attachments == ("vpc:dev",)


def test_a_prefix_two_sites_advertise_is_routed_by_the_vpcs_and_not_sent_back():
    """tests/scenarios/tgw-ecmp-connections: 10.50.0.0/16 from both data centres."""
    lab = parse_lab(ECMP_LAB.read_text())
    shared = ipaddress.ip_network("10.50.0.0/16")
    assert transit_routes.lookup(lab, "default", shared[1]).attachments == (
        "site:kyoto", "site:nara",
    )  # fmt: skip
    # The VPC's route table sends it to the gateway, beside each site's own network.
    assert set(transit_routes.networks_beyond(lab, "vpc:prod")) == {
        ipaddress.ip_network(n) for n in ("172.16.0.0/16", "10.50.0.0/16", "172.17.0.0/16")
    }
    # A site's VGW node routes neither its own network nor the shared one to the gateway.
    assert transit_routes.networks_beyond(lab, "site:kyoto") == (
        ipaddress.ip_network("10.0.0.0/16"), ipaddress.ip_network("172.17.0.0/16"),
    )  # fmt: skip
    # The gateway offers a site the VPC only: not the prefix it is itself routed for.
    assert transit_routes.routed_to(lab, "site:nara") == (ipaddress.ip_network("10.0.0.0/16"),)
    raw = yaml.safe_load(ECMP_LAB.read_text())
    del raw["transit_gateway"]["route_tables"]  # one table: each site sees the other's
    one_table = parse_lab(yaml.safe_dump(raw))
    assert transit_routes.routed_to(one_table, "site:nara") == (
        ipaddress.ip_network("10.0.0.0/16"), ipaddress.ip_network("172.16.0.0/16"),
    )  # fmt: skip
    # A static route to nara wins over both sites' BGP: kyoto is offered the prefix now.
    raw["transit_gateway"]["routes"] = [{"cidr": "10.50.0.0/16", "attachment": "site:nara"}]
    pinned = parse_lab(yaml.safe_dump(raw))
    assert shared in transit_routes.routed_to(pinned, "site:kyoto")
    assert shared not in transit_routes.routed_to(pinned, "site:nara")
    # A static site's routes are what the VPCs send its way.
    example = copy.deepcopy(RAW)
    example["sites"][0]["vpn"]["static_routes"].append("10.60.0.0/16")
    static = parse_lab(yaml.safe_dump(example))
    assert ipaddress.ip_network("10.60.0.0/16") in transit_routes.networks_beyond(
        static, "vpc:prod"
    )


def test_a_customer_configuration_is_refused_for_a_transit_gateway_lab(tmp_path):
    config = tmp_path / "swanctl.conf"
    config.write_text("connections {}\n")
    with pytest.raises(VpnlabError, match="Transit Gateway lab"):
        lint(EXAMPLE, config)


def test_declared_features_say_what_a_local_pass_means(tmp_path):
    def declare(raw):
        raw["sites"][0]["acceleration"] = True
        raw["sites"][1]["tunnel_bandwidth"] = "large"
        raw["sites"][1]["outside_ip_address_type"] = "Ipv6"

    findings = found(lab_file(tmp_path, declare), "tgw-declared")
    assert (
        "sites[0].acceleration",
        "info",
        "accelerated VPN is declared and synthesized, not emulated locally",
    ) in findings
    assert (
        "sites[1].tunnel_bandwidth",
        "warning",
        "large-bandwidth (5 Gbps) tunnels: "
        "synthesis refuses it: needs AWS provider 6.22.0 (tunnel_bandwidth)",
    ) in findings
    assert [f[:2] for f in findings if f[0] == "sites[1].outside_ip_address_type"] == [
        ("sites[1].outside_ip_address_type", "warning")
    ]


def test_a_bgp_site_may_advertise_what_a_transit_gateway_accepts(tmp_path):
    """1,000 prefixes on a Transit Gateway's connection (100 on a VGW's): Site-to-Site VPN
    quotas. Osaka's 101 pass lint (they failed it, judged by a VGW's 100); the lab
    refuses 1,001 at the site's key."""

    def advertising(count):
        def edit(raw):
            prefixes = [f"172.{16 + i // 256}.{i % 256}.0/24" for i in range(count)]
            raw["sites"][1]["vpn"]["advertised_prefixes"] = prefixes
            raw["sites"][1]["onprem"]["vpc_cidr"] = "172.16.0.0/12"

        return edit

    assert found(lab_file(tmp_path, advertising(101)), "lab-bgp-prefixes") == []
    [refused] = [f for f in lint(lab_file(tmp_path, advertising(1001))) if f.severity == "error"]
    assert refused.rule == "lab-invalid"
    assert refused.message.startswith("sites[1].vpn.advertised_prefixes: 1001 prefixes: AWS")
