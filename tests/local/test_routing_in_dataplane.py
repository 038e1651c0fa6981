"""Packets go where AWS would send them: the lab's route tables in the data plane,
and the same verdict and the same route as lint's path analysis (root)."""

import subprocess
import sys

import pytest

from driver.analysis.lint import lint
from driver.analysis.path_analysis import both_ways
from driver.core.paths import PROJECT
from driver.lab.loader import load_lab, parse_lab
from driver.local.check_command import run_check
from driver.local.shared.node_access import lab_namespaces as existing
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

LABS = PROJECT / "labs"
TO_ONPREM, TO_AWS = "aws: ping {onprem_test_ip}", "onprem: ping {aws_test_ip}"


def pings(report) -> dict[str, tuple[bool, str]]:
    return {c.name: (c.passed, c.detail) for c in report.checks if "ping" in c.name}


def assert_clean(report, name: str):
    assert report.leaks == [] and existing(name) == []


# (lab file text, lint's rule, the ping that fails, what the trace says, and the
# data plane's own evidence: the router that answered, or the filter that dropped)
BROKEN = {
    "propagation off": (
        lab_with(("name", "noprop"), ("aws.route_propagation", False)),
        "path-unreachable",
        TO_ONPREM,
        "no route: aws_host has no route to 192.168.1.10",
        "the AWS VPC router (10.0.1.1) answered 'destination unreachable'",
    ),
    "a static route short of the test host's subnet": (
        lab_with(("name", "shortroute"), ("vpn.static_routes", ["192.168.0.0/24"])),
        "lab-static-routes",
        TO_ONPREM,
        "no route: aws_host has no route to 192.168.1.10",
        "the AWS VPC router (10.0.1.1) answered 'destination unreachable'",
    ),
    "the appendix's firewall, asymmetric": (
        (LABS / "seed-firewall.yml").read_text(),
        "path-asymmetric",
        TO_ONPREM,
        "the firewall sees only the return",
        "the firewall's connection tracking dropped 3 packet(s)",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_lint_and_the_data_plane_agree_on_a_broken_lab(case, tmp_path):
    text, rule, failing, said, evidence = BROKEN[case]
    path = tmp_path / "lab.yml"
    path.write_text(text)
    lab = load_lab(path)
    findings = {f.rule: f.message for f in lint(path) if f.severity == "error"}
    assert rule in findings
    report = run_check(lab, lifecycle=False)
    verdicts = pings(report)
    passed, detail = verdicts[failing]
    assert not passed and said in detail
    # The route named is lint's trace, word for word; the data plane's own answer
    # (ICMP from the router, the firewall's counters) says the packet died there.
    forward, back = both_ways(lab)
    broken = forward if not forward.reached else back
    assert broken.text() in detail or (forward.text() in detail and back.text() in detail)
    assert evidence in detail
    assert_clean(report, lab.name)


def test_the_firewall_drops_the_asymmetric_return_and_names_it():
    lab = load_lab(LABS / "seed-firewall.yml")
    report = run_check(lab, lifecycle=False)
    (passed, detail), (back_passed, _) = pings(report)[TO_ONPREM], pings(report)[TO_AWS]
    # on-prem -> AWS: the firewall sees the request (its first packet), and the
    # reply skips it (the propagated /16 beats 0/0): nothing to drop
    assert not passed and back_passed
    assert "the firewall's connection tracking dropped 3 packet(s)" in detail
    assert "return onprem_host" in detail and "→ firewall (10.0.0.0/16 local)" in detail
    assert_clean(report, lab.name)  # the firewall's namespace too


def test_the_fixed_firewall_lab_passes():
    report = run_check(load_lab(LABS / "seed-firewall-fixed.yml"), lifecycle=False)
    assert report.passed, pings(report)
    assert_clean(report, "seed-firewall-fixed")


@pytest.mark.parametrize(
    ("local", "remote"),
    [("0.0.0.0/0", "0.0.0.0/0"), ("0.0.0.0/0", "10.0.0.0/16"), ("192.168.0.0/16", "0.0.0.0/0")],
)
def test_awss_default_network_cidrs_work(local, remote):
    """What most real VPN connections use; it crashed with 'RTNETLINK answers: File exists'."""
    lab = parse_lab(
        lab_with(
            ("name", "anycidr"),
            ("vpn.local_network_cidr", local),
            ("vpn.remote_network_cidr", remote),
        )
    )
    report = run_check(lab, lifecycle=False)
    assert report.passed, {c.name: c.detail for c in report.checks if not c.passed}
    assert_clean(report, lab.name)


def test_check_runs_the_labs_lint_rules_first_as_apply_does():
    """The same messages as apply; --skip-lint shows what the data plane does."""
    lab = str(LABS / "seed-firewall.yml")
    refused = subprocess.run(
        [sys.executable, "-m", "driver.cli", "check", lab],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and existing("seed-firewall") == []
    assert "[path-asymmetric]" in refused.stderr
    assert "lint found errors: nothing was checked (--skip-lint to check anyway)" in refused.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "driver.cli", "check", lab, "--skip-lint", "--no-lifecycle"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1, checked.stderr
    assert "the firewall sees only the return" in checked.stdout
    assert existing("seed-firewall") == []


def test_a_test_host_whose_security_group_lacks_icmp_from_the_other_side_is_named():
    lab = parse_lab(lab_with(("name", "noicmp"), ("onprem.test_host.icmp_from", ["172.16.0.0/12"])))
    report = run_check(lab, lifecycle=False)
    passed, detail = pings(report)[TO_ONPREM]
    assert not passed
    assert (
        "the security group of the on-prem test host (onprem-test-host) dropped 3 incoming "
        "packet(s): "
        "it allows icmp from 172.16.0.0/12"
    ) in detail
    assert pings(report)[TO_AWS][0]  # its own pings out, and their replies, pass (stateful)
    assert_clean(report, lab.name)
