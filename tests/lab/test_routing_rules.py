"""Static or BGP routing, refused where AWS refuses it (driver/lab/semantics.py)."""

import pytest

from driver.lab.loader import parse_lab
from tests.lab.test_loader import DELETE, lab_with, problems

BGP = (("vpn.routing", "bgp"), ("vpn.static_routes", DELETE), ("vpn.tunnel_interface", "xfrm"))


def test_a_bgp_lab_loads_with_aws_default_asns_and_the_onprem_vpc_advertised_by_default():
    lab = parse_lab(lab_with(*BGP, ("strongswan.config_style", "swanctl")))
    assert (lab.vpn.routing, lab.vpn.amazon_side_asn, lab.vpn.customer_gateway_asn) == (
        "bgp",
        64512,
        65000,
    )
    assert lab.vpn.static_routes == () and lab.vpn.advertised_prefixes == ()


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            [("vpn.static_routes", DELETE)],
            [("vpn.static_routes", "static routing needs at least one static route")],
        ),
        (
            [("vpn.routing", "bgp"), ("vpn.tunnel_interface", "vti")],
            [
                (
                    "vpn.static_routes",
                    "a VPN connection is either static or dynamic: AWS does not mix static "
                    "routes with BGP",
                )
            ],
        ),
        (
            [("vpn.routing", "bgp"), ("vpn.static_routes", DELETE)],
            [
                (
                    "vpn.tunnel_interface",
                    "BGP runs between the tunnels' inside addresses, which a policy-based "
                    "tunnel does not have",
                )
            ],
        ),
        (
            [*BGP[:2], ("vpn.tunnel_interface", "vti"), ("vpn.amazon_side_asn", 65535)],
            [
                (
                    "vpn.amazon_side_asn",
                    "65535 is not a private ASN AWS accepts for a virtual private gateway",
                )
            ],
        ),
        (
            [*BGP[:2], ("vpn.tunnel_interface", "vti"), ("vpn.customer_gateway_asn", 10124)],
            [("vpn.customer_gateway_asn", "ASN 10124 is reserved by AWS in ap-northeast-1")],
        ),
        (
            [("vpn.customer_gateway_asn", 7224)],  # static too: the gateway is created with it
            [("vpn.customer_gateway_asn", "ASN 7224 is reserved by AWS in every region")],
        ),
        (
            [("checks.expect", ["vgw::bgp::Tunnel1::ESTABLISHED"])],
            [
                (
                    "checks.expect[0]",
                    "a bgp check in a lab with static routing: there is no BGP session to check",
                )
            ],
        ),
        (
            [*BGP[:2], ("vpn.tunnel_interface", "vti"), ("vpn.customer_gateway_asn", 64512)],
            [
                (
                    "vpn.customer_gateway_asn",
                    "the customer gateway and the virtual private gateway both use ASN 64512: "
                    "the sessions would be iBGP, and AWS peers over eBGP",
                )
            ],
        ),
        (
            [
                *BGP[:2],
                ("vpn.tunnel_interface", "vti"),
                ("vpn.advertised_prefixes", ["192.168.0.0/16", "10.0.0.0/8"]),
            ],
            [("vpn.advertised_prefixes", "10.0.0.0/8 overlaps the AWS VPC 10.0.0.0/16")],
        ),
    ],
    ids=[
        "static without routes",
        "bgp with static routes",
        "bgp on a policy-based tunnel",
        "amazon asn outside the private ranges",
        "a reserved customer asn in its region",
        "an asn reserved everywhere, static",
        "a bgp check in a static lab",
        "the same asn both sides",
        "advertising the aws vpc",
    ],
)
def test_routing_rules(changes, expected):
    assert problems(lab_with(*changes)) == expected


def test_a_reserved_asn_of_another_region_is_allowed():
    lab = parse_lab(
        lab_with(*BGP[:2], ("vpn.tunnel_interface", "vti"), ("vpn.customer_gateway_asn", 9059))
    )
    assert lab.vpn.customer_gateway_asn == 9059
