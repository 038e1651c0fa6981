"""``make apply verify status destroy`` for a lab this host's kernel cannot run
(labs/bgp.yml: XFRM interfaces, BGP over them): the local target keeps a guest
kernel for it, from apply to destroy. Terraform really applies to the emulator,
the guest really boots, strongSwan and FRR really negotiate in it, and the
emulator answers from it (root, guest).

The docs' commands run as a user types them (make, in the checkout): their
output is held to docs/local-target.md's (tests/doc_outputs.py).
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from driver.aws.ssm import Ssm
from driver.checks.reachability import analyse_paths
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
LAB = PROJECT / "labs" / "bgp.yml"
GUEST = kept.guest_name("bgp")
# The docs' commands this module runs (tests/test_doc_outputs.py leaves them here).
DOCS = {verb: f"make {verb} LAB=labs/bgp.yml" for verb in ("apply", "verify", "status", "destroy")}


def make(verb: str) -> tuple[int, str]:
    return run_shown(DOCS[verb])


def vpnlab(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "driver.cli", *args],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def assert_nothing_left() -> None:
    assert not qemu_processes(GUEST) and not guest_folders(GUEST)
    assert not LabState("bgp").root.exists()
    assert lab_namespaces("bgp") == []


def until_guest_runs(state: LabState, seconds: float = 120) -> kept.KeptGuest:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        guest = kept.recorded(state)
        if guest is not None and qemu_processes(GUEST):
            return guest
        time.sleep(0.1)
    raise AssertionError("the guest never started")


@pytest.fixture(scope="module")
def state():
    state = LabState("bgp")
    assert not state.root.exists(), "a lab bgp is applied in the checkout: destroy it first"
    yield state
    if state.root.exists():  # a test failed midway: nothing of it stays
        make("destroy")


def test_apply_keeps_a_guest_kernel_for_a_lab_this_host_cannot_run(state):
    code, said = make("apply")
    assert code == 0, said
    assert "booting the guest kernel" in said and "guest kernel up: booted in" in said
    assert "charons in the guest kernel" in said
    guest = kept.recorded(state)
    assert guest.running() and qemu_processes(GUEST)
    assert lab_namespaces("bgp") == []  # the namespaces are the guest's, not this host's
    compare(DOCS["apply"], said)


def test_verify_reads_the_guest_through_the_emulator(state):
    code, said = make("verify")
    assert code == 0, said
    assert "VgwTelemetry: both tunnels UP  PASS" in said
    assert "vgw: bgp Tunnel1" in said and "1 prefixes accepted: 192.168.0.0/16" in said
    compare(DOCS["verify"], said)


def test_the_emulator_answers_from_the_live_guest(state):
    """Propagated routes from what the guest's VGW learned over BGP, SSM Run Command
    pings on the test hosts in the guest, Reachability Analyzer over those routes."""
    lab = load_lab(LAB)
    emulator = running_emulator(state)
    outputs = terraform_of(lab, state).outputs()
    session = emulator.session(lab.region)
    ec2 = session.client("ec2", endpoint_url=emulator.url)
    propagated = [
        route["DestinationCidrBlock"]
        for table in ec2.describe_route_tables()["RouteTables"]
        for route in table["Routes"]
        if route.get("Origin") == "EnableVgwRoutePropagation"
    ]
    assert propagated == ["192.168.0.0/16"]
    ssm = Ssm(session.client("ssm", endpoint_url=emulator.url), lambda m: None)
    hosts = [outputs["aws_test_instance_id"], outputs["onprem_test_instance_id"]]
    assert ssm.online(hosts) == set(hosts)
    answer = ssm.run(outputs["aws_test_instance_id"], ping(outputs["onprem_test_private_ip"]))
    assert answer.ok and " 0% packet loss" in answer.stdout, answer
    paths = {"aws → VGW": outputs["path_aws_to_vgw_id"]}
    (found,) = analyse_paths(ec2, paths, 60, lambda m: None)
    assert found.passed and "vgw-" in found.detail


def test_status_shows_the_guest_and_its_tunnels(state):
    code, said = make("status")
    assert code == 0, said
    assert "  guest: running (pid" in said and "no XFRM interfaces" in said
    assert "Tunnel1 198.51.100.1: ESTABLISHED/INSTALLED" in said
    compare(DOCS["status"], said)


def test_a_guest_killed_during_verify_is_a_fault_naming_it(state):
    guest = kept.recorded(state)
    verify = vpnlab("verify", str(LAB))
    try:
        for line in verify.stdout:  # the checks in the guest have begun
            if "vgw: tunnel Tunnel1" in line:
                break
        for pid in qemu_processes(GUEST):
            os.kill(pid, signal.SIGKILL)
        said = verify.communicate(timeout=120)[0]
    finally:
        if verify.poll() is None:
            verify.kill()
    assert verify.returncode == 1, said
    assert f"the lab's guest kernel ({GUEST}, pid {guest.identity.pid}) is no longer" in said
    assert "Traceback" not in said
    status = vpnlab("status", str(LAB))
    shown = status.communicate(timeout=60)[0]
    assert "  guest: the lab's guest kernel" in shown and "no longer running" in shown


def test_destroy_after_the_guest_died_leaves_nothing(state):
    code, said = make("destroy")
    assert code == 0, said
    assert "no longer running" in said and "nothing left" in said
    compare(DOCS["destroy"], said)
    assert_nothing_left()


def apply_and(state: LabState, act) -> tuple[int, str]:
    """``vpnlab apply``, with ``act(apply)`` done once its guest's qemu runs."""
    apply = vpnlab("apply", str(LAB))
    try:
        until_guest_runs(state)
        act(apply)
        said = apply.communicate(timeout=300)[0]
    finally:
        if apply.poll() is None:
            apply.kill()
    return apply.returncode, said


def kill_the_guest(_apply) -> None:
    for pid in qemu_processes(GUEST):
        os.kill(pid, signal.SIGKILL)


def test_a_guest_killed_during_apply_is_a_fault_and_destroy_leaves_nothing(state):
    code, said = apply_and(state, kill_the_guest)
    assert code == 1, said
    assert "vpnlab: fault: the guest kernel exited" in said and "before its agent started" in said
    assert "apply did not finish" in said and "the guest kernel while it runs" in said
    code, said = make("destroy")
    assert code == 0 and "nothing left" in said, said
    assert_nothing_left()


def test_an_interrupted_apply_stops_its_guest(state):
    code, said = apply_and(state, lambda apply: apply.send_signal(signal.SIGTERM))
    assert code == 128 + signal.SIGTERM, said
    assert "interrupted: tearing down what apply built" in said
    assert "stopped the guest kernel" in said and "nothing left" in said
    assert_nothing_left()
