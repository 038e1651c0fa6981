"""``make apply verify status destroy LAB=labs/transit-gateway.yml``: a Transit Gateway
lab whose sites this host's kernel cannot run (Tokyo over VTIs, Osaka over XFRM
interfaces with BGP) in a guest kernel kept for the lab, from apply to destroy.
Terraform really applies to the emulator, the guest really boots, strongSwan and FRR
really negotiate in it, and the emulator answers from it: each site's telemetry from
the site's own VGW, Osaka's propagated route from what its VGW learned over BGP
(root, guest).

The docs' commands run as a user types them: their output is held to
docs/transit-gateway.md's (tests/doc_outputs.py).
"""

import pytest

from driver.aws.ssm import Ssm
from driver.checks.remote_commands import ping
from driver.core.paths import PROJECT
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local.guest import kept
from driver.local.guest.vm import guest_folders, qemu_processes
from driver.local.shared.node_access import lab_namespaces
from driver.local.target import running_emulator, terraform_of
from tests.conftest import applying_labs_locally
from tests.doc_outputs import compare, run_shown

pytestmark = [*applying_labs_locally(), pytest.mark.guest]
LAB = PROJECT / "labs" / "transit-gateway.yml"
NAME = "tgw"
GUEST = kept.guest_name(NAME)
# Instances by their output: a VPC's test host, a site's VPN server and test host.
INSTANCES = ("prod_test", "dev_test", "tokyo_vpn_server", "osaka_onprem_test")
# The docs' commands this module runs (tests/test_doc_outputs.py leaves them here).
DOCS = {
    verb: f"make {verb} LAB=labs/transit-gateway.yml"
    for verb in ("apply", "verify", "status", "destroy")
}


def make(verb: str) -> tuple[int, str]:
    return run_shown(DOCS[verb])


@pytest.fixture(scope="module")
def state():
    state = LabState(NAME)
    assert not state.root.exists(), f"a lab {NAME} is applied in the checkout: destroy it first"
    yield state
    if state.root.exists():  # a test failed midway: nothing of it stays
        make("destroy")


def test_apply_builds_every_site_in_a_guest_kept_for_the_lab(state):
    code, said = make("apply")
    assert code == 0, said
    assert "booting the guest kernel" in said
    assert "2 sites' VGW and VPN server charons and 2 VPCs in the guest kernel" in said
    assert kept.recorded(state).running() and qemu_processes(GUEST)
    assert lab_namespaces(NAME) == []  # the namespaces are the guest's, not this host's
    compare(DOCS["apply"], said)


def test_the_emulator_holds_what_aws_would_after_the_apply_and_terraform_sees_no_drift(state):
    """The synthesized stack, applied by real Terraform and the AWS provider: what AWS
    would hold (defaults associate and propagate every attachment, a static site's route
    and the blackhole in the default table), and no drift: what the provider reads back
    is what it wrote (tests/synth/test_transit_synthesis.py checks the stack itself)."""
    lab = load_lab(LAB)
    emulator = running_emulator(state)
    terraform = terraform_of(lab, state)
    outputs = terraform.outputs()
    ec2 = emulator.session(lab.region).client("ec2", endpoint_url=emulator.url)
    (gateway,) = ec2.describe_transit_gateways(TransitGatewayIds=[outputs["transit_gateway_id"]])[
        "TransitGateways"
    ]
    table = gateway["Options"]["AssociationDefaultRouteTableId"]
    attachments = {
        a["ResourceId"]: a["TransitGatewayAttachmentId"]
        for a in ec2.describe_transit_gateway_attachments(
            Filters=[{"Name": "transit-gateway-id", "Values": [gateway["TransitGatewayId"]]}]
        )["TransitGatewayAttachments"]
    }
    tokyo = attachments[outputs["tokyo_vpn_connection_id"]]
    associated = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table)
    assert sorted(a["ResourceType"] for a in associated["Associations"]) == ["vpc", "vpc"]
    (sites_table,) = {
        a["Association"]["TransitGatewayRouteTableId"]
        for a in ec2.describe_transit_gateway_attachments(
            TransitGatewayAttachmentIds=[attachments[outputs["osaka_vpn_connection_id"]]]
        )["TransitGatewayAttachments"]
    }
    sites = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=sites_table)
    assert sorted(a["ResourceType"] for a in sites["Associations"]) == ["vpn", "vpn"]
    propagated = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=sites_table,
        Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
    )["Routes"]
    assert sorted(r["DestinationCidrBlock"] for r in propagated) == ["10.0.0.0/16", "10.1.0.0/16"]
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
    )["Routes"]
    held = {
        r["DestinationCidrBlock"]: (
            r["Type"],
            r["State"],
            [a["TransitGatewayAttachmentId"] for a in r.get("TransitGatewayAttachments", [])],
        )
        for r in found
    }
    assert held["192.168.0.0/16"] == ("static", "active", [tokyo])
    assert held["10.99.0.0/16"] == ("static", "blackhole", [])
    assert held["10.0.0.0/16"][:2] == held["10.1.0.0/16"][:2] == ("propagated", "active")
    assert terraform.plan() == 0


def test_verify_reads_each_sites_vgw_in_the_guest_through_the_emulator(state):
    code, said = make("verify")
    assert code == 0, said
    for site in ("tokyo", "osaka"):
        assert f"site {site}: VgwTelemetry: both tunnels UP" in said
    # Osaka's BGP sessions are its own VGW's (Tokyo's inside CIDRs are the same)
    assert "1 prefixes accepted: 172.16.0.0/16" in said
    assert "vpc:prod → site:osaka" in said
    compare(DOCS["verify"], said)


def test_a_bgp_sites_learned_prefix_is_propagated_into_the_gateways_table(state):
    """SearchTransitGatewayRoutes answers from what Osaka's VGW in the guest learned:
    its prefix propagated over its attachment; Tokyo's static route stays static."""
    lab = load_lab(LAB)
    emulator = running_emulator(state)
    outputs = terraform_of(lab, state).outputs()
    ec2 = emulator.session(lab.region).client("ec2", endpoint_url=emulator.url)
    default = outputs["transit_gateway_route_table_ids"]["default"]
    routes = {
        r["DestinationCidrBlock"]: r
        for r in ec2.search_transit_gateway_routes(
            TransitGatewayRouteTableId=default,
            Filters=[{"Name": "state", "Values": ["active"]}],
        )["Routes"]
    }
    osaka = outputs["transit_gateway_attachment_ids"]["site:osaka"]
    assert routes["172.16.0.0/16"]["Type"] == "propagated"
    assert [a["TransitGatewayAttachmentId"] for a in routes["172.16.0.0/16"][
        "TransitGatewayAttachments"]] == [osaka]  # fmt: skip
    assert routes["192.168.0.0/16"]["Type"] == "static"


def test_ssm_run_command_reaches_each_vpcs_and_sites_instances_in_the_guest(state):
    """The emulator finds a Transit Gateway lab's instances by the order the guest's
    data plane recorded: prod's test host pings Osaka's through the gateway."""
    lab = load_lab(LAB)
    emulator = running_emulator(state)
    outputs = terraform_of(lab, state).outputs()
    session = emulator.session(lab.region)
    ssm = Ssm(session.client("ssm", endpoint_url=emulator.url), lambda m: None)
    hosts = [outputs[f"{name}_instance_id"] for name in INSTANCES]
    assert ssm.online(hosts) == set(hosts)
    osaka = outputs["osaka_onprem_test_private_ip"]
    answer = ssm.run(outputs["prod_test_instance_id"], ping(osaka))
    assert answer.ok and " 0% packet loss" in answer.stdout, answer


def test_status_shows_the_guest_and_every_sites_tunnels(state):
    code, said = make("status")
    assert code == 0, said
    assert "  guest: running (pid" in said
    assert "site osaka: Tunnel1" in said and "site tokyo: Tunnel2" in said
    compare(DOCS["status"], said)


def test_destroy_stops_the_guest_and_leaves_nothing(state):
    code, said = make("destroy")
    assert code == 0, said
    assert "nothing left" in said
    # nothing of the lab (attachments included) is left in the emulator for it to remove
    assert "not in Terraform's state" not in said
    assert not qemu_processes(GUEST) and not guest_folders(GUEST)
    assert not state.root.exists() and lab_namespaces(NAME) == []
    compare(DOCS["destroy"], said)
