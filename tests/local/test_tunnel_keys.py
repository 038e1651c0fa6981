"""AWS's two tunnel endpoints are two devices, each with its own key: a customer
gateway whose secrets hold the two tunnels' keys swapped fails both tunnels, as
it would on AWS (root)."""

import shutil

import pytest

from driver.core.paths import PROJECT
from driver.lab.loader import parse_lab
from driver.local.check_command import run_check
from driver.local.shared.node_access import lab_namespaces
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
KEYS = ("first.key_for_tests", "second.key_for_tests")


@pytest.mark.parametrize("style", ["ipsec.conf", "swanctl"])
def test_each_tunnel_takes_only_its_own_key(style):
    lab = parse_lab(
        lab_with(
            ("name", "swapped"),
            ("strongswan.config_style", style),
            ("vpn.tunnels[0].preshared_key", KEYS[0]),
            ("vpn.tunnels[1].preshared_key", KEYS[1]),
        )
    )
    # the lab's own rendering, with the customer's keys swapped
    report = run_check(lab, server_psks=(KEYS[1], KEYS[0]), lifecycle=False)
    details = {c.name: c.detail for c in report.checks if not c.passed}
    for n in (1, 2):
        assert "wrong pre-shared key (AUTHENTICATION_FAILED)" in details[f"vgw: tunnel Tunnel{n}"]
    assert report.leaks == [] and lab_namespaces(lab.name) == []


def test_a_customers_swapped_keys_fail_both_tunnels(tmp_path):
    etc = tmp_path / "etc"
    shutil.copytree(VENDOR, etc)
    (etc / "ipsec.secrets").write_text(
        f'203.0.113.10 198.51.100.1 : PSK "{KEYS[1]}"\n'
        f'203.0.113.10 198.51.100.2 : PSK "{KEYS[0]}"\n'
    )
    lab = parse_lab(
        lab_with(
            ("name", "swapped-files"),
            ("vpn.tunnels[0].preshared_key", KEYS[0]),
            ("vpn.tunnels[1].preshared_key", KEYS[1]),
        )
    )
    report = run_check(lab, cgw_config=etc, lifecycle=False)
    assert not report.passed
    details = {c.name: c.detail for c in report.checks if not c.passed}
    for n in (1, 2):
        assert "wrong pre-shared key (AUTHENTICATION_FAILED)" in details[f"vgw: tunnel Tunnel{n}"]
