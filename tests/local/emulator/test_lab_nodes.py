"""Which node of a lab's data plane an instance is (driver/local/emulator/lab_nodes.py):
the emulator's SSM Run Command and telemetry ask it."""

from driver.core.paths import STATE_DIR_VARIABLE
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.local.emulator import lab_nodes
from driver.local.emulator.lab_nodes import instance_node, node_kind
from driver.local.shared import node_access


def test_an_instance_is_its_vpcs_or_its_sites_node_by_the_recorded_order(tmp_path, monkeypatch):
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path))
    # As a Transit Gateway lab's applied data plane records it; VPC "tokyo" shares its
    # name with a site, as the lab allows.
    LabState("tgw").write(
        DATAPLANE_RECORD,
        {"vpcs": ["prod", "tokyo"], "sites": {"tokyo": {"index": 0}, "osaka": {"index": 1}}},
    )
    assert instance_node("tgw", "prod-aws-test-host") == "v0-aws"
    assert instance_node("tgw", "tokyo-aws-test-host") == "v1-aws"  # the VPC's, not the site's
    assert instance_node("tgw", "tokyo-vpn-server") == "s0-server"
    assert instance_node("tgw", "osaka-onprem-test-host") == "s1-onprem"
    assert instance_node("tgw", "nagoya-vpn-server") is None  # not applied
    assert instance_node("tgw", "aws-test-host") == "aws"  # a VGW lab's
    assert node_kind("s1-onprem") == "onprem" and node_kind("v0-aws") == "aws"


def test_a_connections_outside_addresses_name_its_sites_vgw(tmp_path, monkeypatch):
    """The emulator asks a connection's BGP sessions and learned prefixes of the VGW
    that holds its tunnels: in a Transit Gateway lab, its site's (the sites' inside
    addresses may be the same), in its own folder."""
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path))
    plan = {"tunnel_addresses": ["198.51.100.3", "198.51.100.4"]}
    LabState("tgw").write(
        DATAPLANE_RECORD,
        {
            "sites": {
                "tokyo": {"index": 0, "dp": {"plan": {"tunnel_addresses": ["198.51.100.1"]}}},
                "osaka": {"index": 1, "dp": {"plan": plan}},
            }
        },
    )
    asked = []

    def vtysh(lab, workdir, *commands, node, folder):  # what would run in the node
        asked.append((node, folder))
        return ""

    monkeypatch.setattr(node_access, "vgw_vtysh", vtysh)
    assert lab_nodes.vgw_bgp_learned("tgw", ["198.51.100.3", "198.51.100.4"]) == []
    assert lab_nodes.vgw_bgp_neighbors("tgw", ["198.51.100.9"]) == {}  # not the lab's
    osaka = LabState("tgw").dataplane_dir / "site-osaka" / "vgw-tunnel1"
    assert asked == [("s1-vgw", osaka), ("vgw", None)]  # the latter: a VGW lab's node
