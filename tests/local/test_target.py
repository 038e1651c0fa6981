"""``make apply / verify / destroy`` on the local target: Terraform really applies to
the embedded emulator and strongSwan really negotiates (root)."""

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest

from driver.checks.reachability import analyse_paths
from driver.core.paths import PROJECT
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local import applied_dataplane
from driver.local import target as local_target
from driver.local.emulator.process import Emulator
from driver.local.shared.node_access import lab_namespaces as existing
from tests.conftest import applying_labs_locally
from tests.lab.test_loader import lab_with

pytestmark = applying_labs_locally()


def lab_file(tmp_path, name: str):
    path = tmp_path / f"{name}.yml"
    path.write_text(lab_with(("name", name)))
    return path, load_lab(path)


def assert_nothing_left(lab, emulator_pid: int | None):
    assert existing(lab.name) == []
    assert not LabState(lab.name).root.exists()
    if emulator_pid:
        assert not Emulator(port=0, pid=emulator_pid).alive()


def start_apply(path, own_session: bool) -> subprocess.Popen:
    """``vpnlab apply`` as a user runs it, its output readable line by line."""
    return subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "apply", str(path)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=own_session,
    )


def until_terraform_creates(apply: subprocess.Popen, seconds: float = 120) -> list[str]:
    """An apply's output lines up to its first created resource (bounded)."""
    said, deadline = [], time.monotonic() + seconds
    for line in apply.stdout:
        said.append(line)
        if "created" in line or time.monotonic() > deadline:
            break
    return said


def test_apply_killed_half_way_then_destroy_leaves_nothing(tmp_path):
    path, lab = lab_file(tmp_path, "killed")
    state = LabState(lab.name)
    apply = start_apply(path, own_session=True)  # so its whole group can be killed
    try:
        said = until_terraform_creates(apply)  # then kill it
        os.killpg(apply.pid, signal.SIGKILL)  # vpnlab, terraform and the provider
        apply.wait(timeout=10)
        record = state.read("emulator.json")
        assert record, "apply ended before starting the emulator:\n" + "".join(said)
        assert (state.terraform_dir / "terraform.tfstate").exists()
    finally:
        said: list[str] = []
        leaks = local_target.destroy(lab, progress=said.append)
    assert leaks == []
    assert_nothing_left(lab, record["pid"])
    # Whatever the killed apply created but never saved in state was named, then removed.
    orphans = [line for line in said if line.startswith("not in Terraform's state")]
    assert not orphans or "removed with the emulator" in orphans[0]


def test_sigterm_in_the_middle_of_apply_tears_down_what_it_built(tmp_path):
    """As Ctrl-C does: Terraform stops as in a terminal (state saved), then apply
    destroys what it built and the leak check finds nothing."""
    path, lab = lab_file(tmp_path, "termapply")
    state = LabState(lab.name)
    apply = start_apply(path, own_session=False)
    said, record = [], None
    try:
        said = until_terraform_creates(apply)  # then signal it
        record = state.read("emulator.json")
        apply.send_signal(signal.SIGTERM)  # vpnlab alone, as a service manager would
        rest, _ = apply.communicate(timeout=180)
        said.append(rest)
    finally:
        apply.kill()
        apply.wait()
    text = "".join(said)
    assert apply.returncode == 128 + signal.SIGTERM, text
    assert "interrupted: tearing down what apply built" in text
    assert "nothing left" in text and "vpnlab: interrupted (SIGTERM)" in text
    assert record, "apply ended before starting the emulator:\n" + text
    assert_nothing_left(lab, record["pid"])


def test_a_stale_emulator_record_never_signals_the_process_that_now_has_its_pid():
    """After a reboot or PID reuse the recorded PID belongs to someone else: destroy
    reports the stale record and drops it, and that process lives on."""
    from driver.core.processes import ProcessIdentity
    from driver.local.emulator.process import SERVER_MODULE

    state = LabState("stalepid")
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        real = ProcessIdentity.of(bystander.pid, SERVER_MODULE)
        for record in (
            {"pid": bystander.pid, "port": 1},  # a record without an identity
            {"port": 1, **real.record(), "started": real.started + 1},  # another start
            {"port": 1, **real.record()},  # the same start, but not the emulator's command
        ):
            state.write("emulator.json", record)
            said: list[str] = []
            lab = load_lab(PROJECT / "labs" / "seed.yml")
            leaks = local_target.destroy(dataclasses.replace(lab, name="stalepid"), said.append)
            assert bystander.poll() is None, "destroy signalled an unrelated process"
            assert leaks == []
            assert any("stale record" in line for line in said)
            assert state.read("emulator.json") is None
    finally:
        bystander.kill()
        bystander.wait()
        state.remove()


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    """One lab applied for the tests that read and change what EC2 holds (an apply
    and a destroy cost ~55 s): the appendix's fixed firewall lab with AWS's default
    CIDRs (0.0.0.0/0 both sides). Destroyed after them; nothing may be left."""
    path = tmp_path_factory.mktemp("applied") / "fwany.yml"
    text = (PROJECT / "labs" / "seed-firewall-fixed.yml").read_text()
    for old, new in (
        ("name: seed-firewall-fixed", "name: fwany"),
        ("local_network_cidr: 192.168.0.0/16", "local_network_cidr: 0.0.0.0/0"),
        ("remote_network_cidr: 10.0.0.0/16", "remote_network_cidr: 0.0.0.0/0"),
    ):
        text = text.replace(old, new)
    path.write_text(text)
    lab = load_lab(path)
    state, lines, record = LabState(lab.name), [], None
    try:
        local_target.apply(path, lab, progress=lines.append)
        record = state.read("emulator.json")
        yield path, lab, state, lines
    finally:
        record = record or state.read("emulator.json")
        leaks = local_target.destroy(lab, progress=lambda m: None)
    assert leaks == []
    assert_nothing_left(lab, record and record["pid"])


def test_apply_then_plan_clean_then_apply_again_converges(applied):
    path, lab, state, lines = applied
    assert any("aws_vpn_connection." in line and "created" in line for line in lines)
    report = local_target.verify(lab, progress=lambda m: None)
    assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]
    assert report.checks[0].name == "VgwTelemetry: both tunnels UP"
    assert report.checks[0].detail.count(" UP") == 2

    # The Terraform that ran is in sync with the emulator: nothing to change.
    assert local_target.terraform_of(lab, state).plan() == 0

    # Apply again converges: no resource created, the data plane rebuilt.
    again: list[str] = []
    local_target.apply(path, lab, progress=again.append)
    assert not [line for line in again if "created" in line]
    assert local_target.verify(lab, progress=lambda m: None).passed


def test_verify_writes_its_rows_as_junit(applied, tmp_path, capsys):
    """(Before the tests below change what EC2 holds: verify passes here.)"""
    from xml.etree import ElementTree

    from driver.cli import main

    path, _, _, _ = applied
    junit = tmp_path / "verify.xml"
    assert main(["verify", str(path), "--junit", str(junit)]) == 0
    (suite,) = ElementTree.parse(junit).getroot()
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names[0] == "VgwTelemetry: both tunnels UP" and suite.get("failures") == "0"


def test_check_and_its_cleanup_leave_an_applied_lab_as_it_was(applied, capsys):
    """The applied lab's namespaces are the target's: ``check`` and ``check --cleanup``
    refuse, name ``destroy``, and verify still passes after them."""
    from driver.cli import main

    path, lab, state, lines = applied
    namespaces = existing(lab.name)
    assert main(["check", str(path)]) == 2
    assert main(["check", str(path), "--cleanup"]) == 2
    said = capsys.readouterr().err
    assert said.count("vpnlab destroy") == 2 and said.count("nothing was changed") == 2
    assert existing(lab.name) == namespaces
    assert local_target.verify(lab, progress=lambda m: None).passed


def test_the_data_plane_routes_by_what_ec2_holds(applied):
    """Routed and filtered by what was applied. When EC2's firewall subnet stops
    learning the VGW's routes, verify names that table's missing route; when a
    security group loses its ICMP rule, verify names the group; then a network ACL."""
    _, lab, state, _ = applied
    report = local_target.verify(lab, progress=lambda m: None)
    assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]
    tables = state.read("dataplane.json")["view"]["tables"]
    propagated = [why for _, nxt, why in tables["firewall"] if nxt == "vgw"]
    assert propagated and all("vgw-" in why and "(propagated)" in why for why in propagated)

    emulator = local_target.running_emulator(state)
    ec2 = emulator.session(lab.region).client("ec2", endpoint_url=emulator.url)
    outputs = local_target.terraform_of(lab, state).outputs()
    firewall_subnet = next(
        s["SubnetId"]
        for s in ec2.describe_subnets()["Subnets"]
        if s["CidrBlock"] == str(lab.firewall.subnet_cidr)
    )
    table = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [firewall_subnet]}]
    )["RouteTables"][0]
    ec2.disable_vgw_route_propagation(
        GatewayId=outputs["vpn_gateway_id"], RouteTableId=table["RouteTableId"]
    )
    applied_dataplane.build_dataplane(lab, state, emulator, outputs)
    report = local_target.verify(lab, progress=lambda m: None)
    details = {c.name: c.detail for c in report.checks if not c.passed}
    assert "no route: firewall has no route to" in details["aws: ping {onprem_test_ip}"]
    # Lint's tracer and the emulator's Reachability Analyzer answer say the same.
    (answer,) = analyse_paths(ec2, {"aws → VGW": outputs["path_aws_to_vgw_id"]}, 30, lambda m: None)
    assert not answer.passed and "has no route to" in answer.detail

    # The on-prem test host's security group loses its ICMP rule in EC2.
    ec2.enable_vgw_route_propagation(
        GatewayId=outputs["vpn_gateway_id"], RouteTableId=table["RouteTableId"]
    )
    instance = ec2.describe_instances(InstanceIds=[outputs["onprem_test_instance_id"]])
    group = instance["Reservations"][0]["Instances"][0]["SecurityGroups"][0]["GroupId"]
    described = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
    ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=described["IpPermissions"])
    applied_dataplane.build_dataplane(lab, state, emulator, outputs)
    report = local_target.verify(lab, progress=lambda m: None)
    details = {c.name: c.detail for c in report.checks if not c.passed}
    assert (
        f"the security group of the on-prem test host (fwany-onprem-test-host {group})"
        in (details["aws: ping {onprem_test_ip}"])
    )
    assert "it allows nothing" in details["aws: ping {onprem_test_ip}"]

    # The group is mended, and the on-prem private subnet gets a network ACL
    # that denies ICMP from the AWS side (stateless: the replies too).
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=described["IpPermissions"])
    onprem_subnet = instance["Reservations"][0]["Instances"][0]["SubnetId"]
    acl = ec2.create_network_acl(VpcId=described["VpcId"])["NetworkAcl"]["NetworkAclId"]
    allow_all = {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow"}
    entries = [{**allow_all, "Egress": e, "CidrBlock": "0.0.0.0/0"} for e in (False, True)]
    entries.append(
        {
            "RuleNumber": 90,
            "Protocol": "1",
            "RuleAction": "deny",
            "Egress": False,
            "CidrBlock": "10.0.0.0/16",
            "IcmpTypeCode": {"Type": -1, "Code": -1},
        }
    )
    for entry in entries:
        ec2.create_network_acl_entry(NetworkAclId=acl, **entry)
    current = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [onprem_subnet]}]
    )["NetworkAcls"][0]
    association = next(
        a["NetworkAclAssociationId"]
        for a in current["Associations"]
        if a["SubnetId"] == onprem_subnet
    )
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    applied_dataplane.build_dataplane(lab, state, emulator, outputs)
    report = local_target.verify(lab, progress=lambda m: None)
    details = {c.name: c.detail for c in report.checks if not c.passed}
    said = details["aws: ping {onprem_test_ip}"]
    assert f"the network ACL {acl} of the on-prem private subnet dropped 3 packet(s)" in said
    assert "rule 90 denies icmp from 10.0.0.0/16" in said
    # The network ACL stays: it denies ICMP only (the next test needs IKE alone).


def test_the_sheet_of_the_applied_lab_has_what_ec2_holds_and_its_keys_apart(
    applied, tmp_path, capsys
):
    """``vpnlab sheet --target local``: AWS's outside addresses and the customer
    gateway's as the emulator assigned them; the keys only in the owner's file."""
    from driver.cli import main
    from tests.handoff.sheet_reading import markdown_tables, row

    path, lab, state, _ = applied
    emulator = local_target.running_emulator(state)
    ec2 = emulator.session(lab.region).client("ec2", endpoint_url=emulator.url)
    (connection,) = ec2.describe_vpn_connections()["VpnConnections"]
    options = {o["TunnelInsideCidr"]: o for o in connection["Options"]["TunnelOptions"]}
    tunnels = [options[str(t.inside_cidr)] for t in lab.tunnels]
    (gateway,) = ec2.describe_customer_gateways()["CustomerGateways"]

    keys = tmp_path / "keys"
    assert main(["sheet", str(path), "--target", "local", "--keys-file", str(keys)]) == 0
    text = capsys.readouterr().out
    tables = markdown_tables(text)
    outside = row(tables, "Endpoints and behaviour", "AWS outside IP address")[:2]
    assert outside == [t["OutsideIpAddress"] for t in tunnels]
    cgw = row(tables, "Endpoints and behaviour", "Your outside IP address (customer gateway)")
    assert cgw[0] == gateway["IpAddress"]
    assert connection["VpnConnectionId"] in text
    written = [line.split() for line in keys.read_text().splitlines() if line[0] != "#"]
    assert written == [
        [f"tunnel{n}", t["OutsideIpAddress"], t["PreSharedKey"]] for n, t in enumerate(tunnels, 1)
    ]
    assert oct(keys.stat().st_mode & 0o777) == "0o600"
    assert not any(t["PreSharedKey"] in text for t in tunnels)


def test_a_key_in_ssm_that_is_not_awss_is_named_by_verify(applied):
    _, lab, state, _ = applied
    emulator = local_target.running_emulator(state)
    ssm = emulator.session(lab.region).client("ssm", endpoint_url=emulator.url)
    ssm.put_parameter(
        Name=f"/vpnlab/{lab.name}/tunnel1/psk",
        Value="typed.by_hand_wrong",
        Type="SecureString",
        Overwrite=True,
    )
    outputs = local_target.terraform_of(lab, state).outputs()
    applied_dataplane.build_dataplane(lab, state, emulator, outputs)
    report = local_target.verify(lab, progress=lambda m: None, timeout=5)  # never UP
    assert not report.passed
    details = {c.name: c.detail for c in report.checks}
    assert "DOWN" in details["VgwTelemetry: both tunnels UP"]
    assert "wrong pre-shared key (AUTHENTICATION_FAILED)" in details["vgw: tunnel Tunnel1"]
    assert "typed.by_hand_wrong" not in report.to_json()


def test_a_route_based_lab_kept_on_this_host_is_refused_before_anything_is_applied():
    """--dataplane host asks for what this kernel lacks: refused, nothing made (the
    guest that runs it instead: tests/local/test_kept_guest.py)."""
    from driver.core.errors import VpnlabError
    from driver.local.dataplane import kernel

    if kernel.probe().vti:
        pytest.skip("this kernel has VTI: the local target runs a route-based lab")
    path = PROJECT / "labs" / "route-based.yml"
    lab = load_lab(path)
    with pytest.raises(VpnlabError, match="no VTI.*the guest kernel runs it"):
        local_target.apply(path, lab, dataplane="host")
    assert not LabState(lab.name).root.exists() and not existing(lab.name)
