"""Which node of a lab's data plane an instance is (driver/local/emulator/lab_nodes.py):
the emulator's SSM Run Command and telemetry ask it."""

from driver.core.paths import STATE_DIR_VARIABLE
from driver.core.state import LabState
from driver.local.emulator.lab_nodes import instance_node, node_kind


def test_an_instance_is_its_vpcs_or_its_sites_node_by_the_recorded_order(tmp_path, monkeypatch):
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path))
    # As a Transit Gateway lab's applied data plane records it; VPC "tokyo" shares its
    # name with a site, as the lab allows.
    LabState("tgw").write(
        "dataplane.json",
        {"vpcs": ["prod", "tokyo"], "sites": {"tokyo": {"index": 0}, "osaka": {"index": 1}}},
    )
    assert instance_node("tgw", "prod-aws-test-host") == "v0-aws"
    assert instance_node("tgw", "tokyo-aws-test-host") == "v1-aws"  # the VPC's, not the site's
    assert instance_node("tgw", "tokyo-vpn-server") == "s0-server"
    assert instance_node("tgw", "osaka-onprem-test-host") == "s1-onprem"
    assert instance_node("tgw", "nagoya-vpn-server") is None  # not applied
    assert instance_node("tgw", "aws-test-host") == "aws"  # a VGW lab's
    assert node_kind("s1-onprem") == "onprem" and node_kind("v0-aws") == "aws"
