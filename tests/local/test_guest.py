"""Route-based tunnels and kernel ESP in the guest kernel (qemu + virtme-ng).

One guest boots for all the scenarios (``Guest.run_checks``: one boot, one
Python process in it); each scenario is a real ``vpnlab check`` inside it, so
these are the very checks a user runs, on Debian's stock kernel.
"""

import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from driver.analysis.lab_from_cgw import lab_text
from driver.local.guest.machine import GuestUnavailable, machine
from driver.local.guest.vm import Guest, guest_folders, qemu_processes
from tests.conftest import PROJECT, SEED, requires_root
from tests.fixtures import cgw_fixture
from tests.test_scenarios import IN_GUEST, guest_arguments, judge

pytestmark = [pytest.mark.root, pytest.mark.strongswan, pytest.mark.guest, requires_root()]

ROUTE_BASED = PROJECT / "labs" / "route-based.yml"
BGP = PROJECT / "labs" / "bgp.yml"
# The inside CIDRs the customer's own updown scripts give their interfaces.
INSIDE = {
    "aws-sample-route-based": ("169.254.6.0/30", "169.254.7.0/30"),
    "swanctl-xfrm-updown": ("169.254.10.0/30", "169.254.11.0/30"),
}


def customer_lab(tmp_path, fixture: str):
    """The lab `vpnlab init --from-cgw-config` writes, as it is: the tunnels' inside
    CIDRs are the ones the customer's scripts are given (AWS's VTI sample), or AWS's
    defaults where the scripts name none."""
    text = lab_text(cgw_fixture(fixture))
    for inside in INSIDE[fixture]:
        assert f"inside_cidr: {inside}" in text
    path = tmp_path / f"{fixture}.yml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def guest_reports(tmp_path_factory):
    """Each scenario's exit code and JSON report, from one guest."""
    try:
        guest = Guest(machine(), "vpnlab-tests")
    except GuestUnavailable as exc:
        pytest.fail(f"{exc}")  # `make setup` installs it: a missing guest is a defect
    tmp = tmp_path_factory.mktemp("guest")
    check = ["check", "--dataplane", "host", "--no-lifecycle", "--json", "--skip-lint"]
    lifecycle = [word for word in check if word != "--no-lifecycle"]
    scenarios = {
        "aws-sample": [*lifecycle, str(customer_lab(tmp, "aws-sample-route-based")),
                       "--cgw-config", str(cgw_fixture("aws-sample-route-based"))],
        "swanctl-xfrm": [*check, str(customer_lab(tmp, "swanctl-xfrm-updown")),
                         "--cgw-config", str(cgw_fixture("swanctl-xfrm-updown"))],
        "route-based-lab": [*check, str(ROUTE_BASED)],
        "seed": [*check, str(SEED)],
        "bgp": [*check, str(BGP), "--failover"],
    } | {folder.name: guest_arguments(folder) for folder in IN_GUEST}  # fmt: skip
    # A second guest boots beside it (another lab's check would): each its own qemu
    # and folder, both gone when they end.
    beside = Guest(machine(), "vpnlab-tests-beside")
    second = concurrent.futures.ThreadPoolExecutor(1).submit(
        beside.run, [["sh", "-c", "ip netns add beside && uname -r"]]
    )
    results = guest.run_checks(list(scenarios.values()), sys.stderr)
    [beside_result] = second.result(timeout=600)
    assert beside_result.returncode == 0 and beside_result.stdout.strip() == beside.machine.kernel
    assert not qemu_processes() and not guest_folders()  # the guests are gone with their results
    host_namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    assert "beside" not in host_namespaces.stdout  # it lived in the guest's kernel
    return {name: (r.returncode, r.stdout) for name, r in zip(scenarios, results, strict=True)}


def report(guest_reports, name: str) -> dict:
    code, stdout = guest_reports[name]
    document = json.loads(stdout)
    failed = [f"{c['name']}: {c['detail']}" for c in document["checks"] if not c["passed"]]
    assert code == 0 and document["passed"], failed
    assert document["esp"] == "kernel ESP"
    return document


def carried(document: dict) -> dict[str, tuple[int, int]]:
    return {t["name"]: (t["packets_out"], t["packets_in"]) for t in document["tunnels"]}


def test_awss_downloadable_sample_vti_marks_and_updown_comes_up(guest_reports):
    document = report(guest_reports, "aws-sample")
    assert {t["state"] for t in document["tunnels"]} == {"ESTABLISHED"}
    # The pings cross both ways over the VTIs. (Tunnel 2's updown names Tunnel1's
    # interface too, the sample's own mistake: whichever updown runs first makes
    # the one VTI, with its own mark, so which SA carries on-prem -> AWS varies.)
    out, back = (sum(c) for c in zip(*carried(document).values(), strict=True))
    assert out and back
    # IKEv1 (the sample's keyexchange=ikev1) through AWS's rekeys, on a kernel.
    rows = {c["name"]: c["detail"] for c in document["checks"]}
    assert "new IKE SA" in rows["lifecycle: AWS rekeys each IKE SA (IKEv1: reauthenticates)"]


def test_swanctl_with_xfrm_interfaces_the_customer_creates(guest_reports):
    document = report(guest_reports, "swanctl-xfrm")
    assert all(carried(document)["Tunnel1"])


def test_the_projects_route_based_lab_passes(guest_reports):
    document = report(guest_reports, "route-based-lab")
    # and which implementation and release played the customer gateway
    assert re.fullmatch(
        r"rendered from the lab \(swanctl\), run by strongSwan \d+\.\d+\.\d+",
        document["customer_gateway"],
    )


def test_the_seeds_identical_selectors_fail_on_a_kernel_on_the_tunnel_its_policy_does_not_name(
    guest_reports,
):
    """labs/seed.yml, policy-based, on kernel ESP: both tunnels come up, but Linux
    keeps one policy for their identical selectors, bound to one tunnel. Whichever
    it is, AWS may send on the other (it picks at random): the check tries both and
    the kernel's own counter says why one fails. (On userspace ESP the same pings
    pass with a WARN: tests/local/test_check_command.py.)"""
    code, stdout = guest_reports["seed"]
    document = json.loads(stdout)
    rows = {c["name"]: c for c in document["checks"]}
    assert code == 1 and document["esp"] == "kernel ESP"
    assert rows["vgw: tunnel Tunnel1"]["passed"] and rows["vgw: tunnel Tunnel2"]["passed"]
    for ping in ("aws: ping {onprem_test_ip}", "onprem: ping {aws_test_ip}"):
        detail = rows[ping]["detail"]
        assert not rows[ping]["passed"]
        said = dict(re.findall(r"AWS sending on (Tunnel\d): (\d)/3 replies", detail))
        assert sorted(said.values()) == ["0", "3"], detail  # one tunnel works, not the other
        assert "the VPN server's kernel counted 3 × XfrmInTmplMismatch" in detail
    failed = [c["name"] for c in document["checks"] if not c["passed"]]
    assert len(failed) == 2, failed  # the rest agrees with userspace ESP


@pytest.mark.parametrize("folder", IN_GUEST, ids=[f.name for f in IN_GUEST])
def test_scenario_in_the_guest(guest_reports, folder):
    """tests/scenarios/ folders whose data plane is the guest kernel."""
    code, stdout = guest_reports[folder.name]
    judge(folder, code, stdout, stdout)


def test_a_killed_check_leaves_no_qemu_process(tmp_path):
    check = subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "check", str(SEED), "--dataplane", "vm"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not qemu_processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert qemu_processes(), "the guest never started"
        check.send_signal(signal.SIGTERM)
        assert check.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if check.poll() is None:
            os.kill(check.pid, signal.SIGKILL)
    assert not qemu_processes() and not guest_folders()


def test_a_guest_that_dies_mid_check_is_a_fault_in_one_line(tmp_path):
    """qemu killed while the guest boots: exit 1, one `vpnlab: fault:` line naming the
    guest and the next step, nothing left."""
    check = subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "check", str(SEED), "--dataplane", "vm"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not qemu_processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert qemu_processes(), "the guest never started"
        for pid in qemu_processes():
            os.kill(pid, signal.SIGKILL)
        _, err = check.communicate(timeout=60)
    finally:
        if check.poll() is None:
            os.kill(check.pid, signal.SIGKILL)
    assert check.returncode == 1, err
    faults = [line for line in err.splitlines() if line.startswith("vpnlab: fault:")]
    assert len(faults) == 1 and "the guest kernel's qemu ended" in faults[0], err
    assert "run the check again" in faults[0] and "Traceback" not in err
    assert not qemu_processes() and not guest_folders()


def test_bgp_sessions_over_the_tunnels_route_both_ways_and_fail_over(guest_reports):
    """labs/bgp.yml: XFRM interfaces, one eBGP session per tunnel between the inside
    addresses, no static route anywhere: the pings cross on what BGP installed,
    and when the tunnel carrying AWS -> on-prem is cut, the session's hold timer or
    DPD ends it and BGP moves the traffic to the other tunnel."""
    document = report(guest_reports, "bgp")
    rows = {c["name"]: c for c in document["checks"]}
    for n in (1, 2):
        detail = rows[f"vgw: bgp Tunnel{n}"]["detail"]
        assert detail.startswith(f"Established with 169.254.{9 + n}.2 (AS 65000)"), detail
        assert "hold 30 s, keepalive 10 s; 1 prefixes accepted: 192.168.0.0/16" in detail
    assert document["failover_seconds"] is not None
    assert document["failover_seconds"] <= 40, rows["failover"]["detail"]
