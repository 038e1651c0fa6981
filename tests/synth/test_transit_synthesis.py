"""A Transit Gateway lab synthesized: the gateway with the lab's defaults, a VPC
attachment and routes per VPC, a VPN connection and VPN server per site, the route
tables' associations, propagations and routes; its HCL validates. Terraform applies it
against the emulator, which answers as AWS does, in tests/local/test_transit_kept_guest.py
(the example lab's own apply: one apply of it per session)."""

import copy
import json

import pytest
import yaml

from driver.synth.synthesis import export_hcl, synth
from tests.conftest import one, resources
from tests.lab.test_transit_lab import EXAMPLE, RAW

KEY = "tokyo.key_1234"


@pytest.fixture(scope="module")
def segmented(tmp_path_factory) -> dict:
    """The example with a route table of its own for dev, a key in the lab, and its prod
    VPC named as site tokyo's on-premises network begins (tokyo-onprem)."""
    raw = copy.deepcopy(RAW)
    raw["transit_gateway"]["route_tables"] = [
        {
            "name": "dev",
            "associations": ["vpc:dev"],
            "propagations": ["vpc:tokyo-onprem", "site:tokyo"],
            "routes": [{"cidr": "172.20.0.0/16", "blackhole": True}],
        }
    ]
    raw["sites"][0]["vpn"]["tunnels"][0]["preshared_key"] = KEY
    text = yaml.safe_dump(raw, sort_keys=False).replace("vpc:prod", "vpc:tokyo-onprem")
    path = tmp_path_factory.mktemp("lab") / "tgw.yml"
    path.write_text(text.replace("name: prod\n", "name: tokyo-onprem\n"))
    stack = synth(path, tmp_path_factory.mktemp("synth"))
    return json.loads((stack / "cdk.tf.json").read_text())


def test_the_gateway_takes_the_labs_options(segmented):
    gateway = one(segmented, "aws_ec2_transit_gateway")
    assert gateway["amazon_side_asn"] == 64512
    assert (gateway["vpn_ecmp_support"], gateway["default_route_table_association"]) == (
        "enable",
        "enable",
    )
    assert gateway["tags"]["vpnlab:lab"] == "tgw"
    table = one(segmented, "aws_ec2_transit_gateway_route_table")
    assert table["tags"]["Name"] == "tgw-tgw-rt-dev"


def test_each_site_has_its_connection_on_the_gateway_and_its_own_server(segmented):
    connections = resources(segmented, "aws_vpn_connection")
    assert len(connections) == 2
    for connection in connections:
        assert "aws_ec2_transit_gateway." in connection["transit_gateway_id"]
        assert "vpn_gateway_id" not in connection
    assert sorted(c["static_routes_only"] for c in connections) == [False, True]
    parameters = sorted(p["name"] for p in resources(segmented, "aws_ssm_parameter"))
    # Under the lab's own path (the leak check's), never another lab's: "/" is in no name.
    assert "/vpnlab/tgw/tokyo/tunnel1/psk" in parameters
    assert "/vpnlab/tgw/osaka/tunnel2/address" in parameters
    # A key in the lab enters through a site's own sensitive variable, never the file.
    assert segmented["variable"]["tokyo_tunnel1_preshared_key"]["sensitive"] is True
    assert KEY not in json.dumps(segmented)
    assert len(resources(segmented, "aws_vpc")) == 4  # two VPCs, two sites
    assert not resources(segmented, "aws_vpn_gateway")


def test_each_vpc_and_site_has_outputs_of_its_own(segmented):
    """Outputs begin with the name as it is: VPC tokyo-onprem's test host and site
    tokyo's on-premises one are two outputs, each its own instance."""
    outputs = segmented["output"]
    vpc, site = outputs["tokyo-onprem_test_private_ip"], outputs["tokyo_onprem_test_private_ip"]
    assert "vpc-tokyo-onprem" in vpc["value"] and "site-tokyo" in site["value"]
    assert len(outputs) == 2 * 2 + 2 * 10 + 4  # per VPC, per site, the gateway, its tables, …


def test_iam_names_of_a_site_are_fenced_from_other_labs(segmented):
    """IAM names are one per account: site tokyo's VPN server role is tgw.tokyo-…, so a
    lab named tgw-tokyo (its role tgw-tokyo-vpn-server) can stand beside this one."""
    roles = sorted(r["name"] for r in resources(segmented, "aws_iam_role"))
    assert roles == ["tgw-test-host", "tgw.osaka-vpn-server", "tgw.tokyo-vpn-server"]
    profiles = sorted(p["name"] for p in resources(segmented, "aws_iam_instance_profile"))
    assert profiles == roles


def test_vpcs_attach_and_route_every_other_network_to_the_gateway(segmented):
    attachments = {
        a["tags"]["Name"]: a for a in resources(segmented, "aws_ec2_transit_gateway_vpc_attachment")
    }
    # dev is named by its own table: not the default association; propagation stays.
    assert (
        attachments["tgw-dev-tgw-attachment"]["transit_gateway_default_route_table_association"]
        is False
    )
    assert (
        attachments["tgw-tokyo-onprem-tgw-attachment"][
            "transit_gateway_default_route_table_association"
        ]
        is True
    )
    to_gateway = [r for r in resources(segmented, "aws_route") if "transit_gateway_id" in r]
    assert sorted(r["destination_cidr_block"] for r in to_gateway) == sorted(
        ["192.168.0.0/16", "172.16.0.0/16", "10.1.0.0/16"]  # tokyo-onprem's
        + ["192.168.0.0/16", "172.16.0.0/16", "10.0.0.0/16"]  # dev's
    )
    assert all(r["depends_on"] for r in to_gateway)


def test_the_route_tables_hold_what_the_lab_says(segmented):
    association = one(segmented, "aws_ec2_transit_gateway_route_table_association")
    assert "vpc-dev_attachment" in association["transit_gateway_attachment_id"]
    assert association["replace_existing_association"] is True
    propagated = resources(segmented, "aws_ec2_transit_gateway_route_table_propagation")
    assert sorted("vpc-tokyo-onprem" in p["transit_gateway_attachment_id"] for p in propagated) == [
        False,
        True,
    ]
    routes = {
        (
            r["destination_cidr_block"],
            "aws_ec2_transit_gateway_route_table." in r["transit_gateway_route_table_id"],
        ): r
        for r in resources(segmented, "aws_ec2_transit_gateway_route")
    }
    # Tokyo is static: its route is written in both tables it propagates to.
    for custom in (False, True):
        assert (
            "site-tokyo_connection"
            in routes[("192.168.0.0/16", custom)]["transit_gateway_attachment_id"]
        )
    assert routes[("10.99.0.0/16", False)]["blackhole"] is True
    assert routes[("172.20.0.0/16", True)]["blackhole"] is True
    assert len(routes) == 4


@pytest.mark.terraform
def test_its_hcl_is_formatted_and_valid(tmp_path):
    from driver.synth.terraform import Terraform

    target = export_hcl(EXAMPLE, tmp_path / "tgw")
    templates = sorted(p.name for p in (target / "templates").iterdir())
    assert templates == [
        "dev-test-host.yaml.tftpl",
        "osaka-test-host.yaml.tftpl",
        "osaka-vpn-server.yaml.tftpl",
        "prod-test-host.yaml.tftpl",
        "tokyo-test-host.yaml.tftpl",
        "tokyo-vpn-server.yaml.tftpl",
    ]
    tf = Terraform(target)
    assert tf.is_formatted()
    tf.init()
    assert tf.validate()["valid"]
    assert 'resource "aws_ec2_transit_gateway"' in (target / "main.tf").read_text()


def test_declared_features_synthesize_or_are_refused_naming_the_provider(tmp_path):
    from driver.core.errors import VpnlabError

    raw = copy.deepcopy(RAW)
    raw["sites"][0]["acceleration"] = True
    path = tmp_path / "accelerated.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    stack = json.loads((synth(path, tmp_path / "out") / "cdk.tf.json").read_text())
    accelerated = [
        c for c in resources(stack, "aws_vpn_connection") if c.get("enable_acceleration")
    ]
    assert len(accelerated) == 1
    raw["sites"][1].update(tunnel_bandwidth="large", concentrator=True)
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(VpnlabError) as refused:
        synth(path, tmp_path / "refused")
    message = str(refused.value)
    assert (
        "sites[1].tunnel_bandwidth: large-bandwidth (5 Gbps) tunnels needs AWS provider 6.22.0"
        in message
    )
    assert (
        "sites[1].concentrator: a Site-to-Site VPN Concentrator needs AWS provider 6.23.0"
        in message
    )
    assert not (tmp_path / "refused").exists()  # refused before anything was written
