"""Route-based tunnels and kernel ESP in the guest kernel (qemu + virtme-ng).

One guest boots for all the scenarios (``Guest.run_checks``: one boot, one
Python process in it), beside the session's other tests from its start
(tests/local/guest_batch.py: ``guest_reports``); each scenario is a real
``vpnlab check`` inside it, so these are the very checks a user runs, on
Debian's stock kernel.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from driver.checks.report import Report
from driver.checks.terminal import plain_text
from driver.local.guest.vm import guest_folders, qemu_processes
from tests.conftest import PROJECT, SEED, requires_root
from tests.doc_outputs import compare
from tests.local.guest_batch import DOCS
from tests.test_scenarios import IN_GUEST, judge, shown_command

pytestmark = [pytest.mark.root, pytest.mark.strongswan, pytest.mark.guest, requires_root()]
SEED_GUEST = "vpnlab-seed"  # the guest `vpnlab check labs/seed.yml --dataplane vm` boots


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
    # --logs: each daemon's log came out of the guest (driver/guest_checks.py)
    logs = guest_reports.logs("route-based-lab", 0)
    for name in ("aws-tunnel1.log", "aws-tunnel2.log", "customer-charon.log"):
        assert f"--- {name}\n" in logs
    assert re.search(r"IKE_SA Tunnel1\[\d+\] established", logs)
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
    compare(shown_command(folder), stdout)  # where the docs show it


@pytest.mark.parametrize("name", sorted(DOCS))
def test_the_docs_show_what_the_guests_checks_print(guest_reports, name):
    """The docs' route-based, BGP and seed-in-the-guest checks: the report the
    host prints from the guest's (its lines before the report are the host's own)."""
    code, stdout = guest_reports[name]
    compare(DOCS[name], "\n" + plain_text(Report.from_json(stdout)))


def test_a_killed_check_leaves_no_qemu_process(tmp_path):
    check = subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "check", str(SEED), "--dataplane", "vm"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not qemu_processes(SEED_GUEST) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert qemu_processes(SEED_GUEST), "the guest never started"
        check.send_signal(signal.SIGTERM)
        assert check.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if check.poll() is None:
            os.kill(check.pid, signal.SIGKILL)
    assert not qemu_processes(SEED_GUEST) and not guest_folders(SEED_GUEST)


def test_a_guest_that_dies_mid_check_is_a_fault_in_one_line(tmp_path):
    """qemu killed while the guest boots: exit 1, one `vpnlab: fault:` line naming the
    guest and the next step, nothing left."""
    logs = tmp_path / "logs"  # and what it had logged: nothing, said by an empty folder
    check = subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "check", str(SEED), "--dataplane", "vm"]
        + ["--logs", str(logs)],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not qemu_processes(SEED_GUEST) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert qemu_processes(SEED_GUEST), "the guest never started"
        for pid in qemu_processes(SEED_GUEST):
            os.kill(pid, signal.SIGKILL)
        _, err = check.communicate(timeout=60)
    finally:
        if check.poll() is None:
            os.kill(check.pid, signal.SIGKILL)
    assert check.returncode == 1, err
    faults = [line for line in err.splitlines() if line.startswith("vpnlab: fault:")]
    assert len(faults) == 1 and "the guest kernel's qemu ended" in faults[0], err
    assert "run the check again" in faults[0] and "Traceback" not in err
    assert logs.is_dir() and not any(logs.iterdir())
    assert not qemu_processes(SEED_GUEST) and not guest_folders(SEED_GUEST)


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


def test_the_transit_gateway_lab_routes_by_its_tables_and_spreads_flows(guest_reports):
    """labs/transit-gateway.yml: Tokyo static over VTIs, Osaka over BGP with ECMP, the
    sites in a route table of their own. Each site reaches both VPCs, not the other; AWS's
    side of Osaka's sessions is the Transit Gateway's (its ASN, the VPCs announced), and
    16 flows from a VPC leave by both of Osaka's tunnels, each flow by one."""
    document = report(guest_reports, "transit-gateway")
    rows = {c["name"]: c for c in document["checks"]}
    for n in (1, 2):
        detail = rows[f"site osaka: vgw: bgp Tunnel{n}"]["detail"]
        assert detail.startswith(f"Established with 169.254.{9 + n}.2 (AS 65010)"), detail
        assert "1 prefixes accepted: 172.16.0.0/16" in detail
    assert rows["vpc:dev → site:tokyo: ping 192.168.1.10 (YES)"]["passed"]
    assert rows["site:tokyo → site:osaka: ping 172.16.1.10 (NO)"]["passed"]
    ecmp = rows["site osaka: ECMP over both tunnels"]
    assert "each flow on one tunnel" in ecmp["detail"], ecmp["detail"]
