"""Every router dialect holds the whole interface (driver/cgw/router.py), and the
check's fixes it gives in its vendor's words are for diagnoses that exist."""

import dataclasses
import subprocess
import sys
from types import SimpleNamespace

import pytest

from driver.analysis.cgw_lint import LINTERS, linter
from driver.cgw import dialects
from driver.cgw.detect import IMPLEMENTATIONS, RUNNABLE, detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel, twin
from driver.checks.aws_tunnel_log import CATALOGUE
from driver.core.paths import PROJECT


@pytest.mark.parametrize("name", sorted(ROUTERS))
def test_a_dialect_is_detected_run_and_its_fixes_name_real_diagnoses(name):
    dialect = ROUTERS[name]
    assert IMPLEMENTATIONS[name] == dialect.title and name in RUNNABLE
    assert set(dialect.fixes) <= set(CATALOGUE), set(dialect.fixes) - set(CATALOGUE)
    assert {"psk", "phase1-proposal", "phase2-proposal"} <= set(dialect.fixes)


def test_the_signs_a_file_was_recognised_by_never_carry_its_keys(tmp_path):
    """Detection names the lines it read a dialect by: their sign, not the whole line,
    so a key on such a line (IOS's crypto isakmp key, RouterOS's identity) stays out
    of lint's and the check's output."""
    ios = tmp_path / "router.cfg"
    ios.write_text("crypto isakmp key sEcReT_ios_key address 198.51.100.1\n")
    ros = tmp_path / "export.rsc"
    ros.write_text("/ip ipsec peer add address=198.51.100.1 name=p secret=sEcReT_ros_key\n")
    for path in (ios, ros):
        found = detect(path)
        assert found.signs and not any("sEcReT" in sign for sign in found.signs)


def test_no_translation_writes_a_line_of_the_customers_own_into_swanctl_conf():
    """Each dialect's translation is checked once more where swanctl.conf is written:
    a value with a line break or a brace (a hostile or hand-edited file) is refused."""
    proposal = "aes128-sha256-modp2048"
    good = TwinTunnel(
        1, "t1", "t1", "2", "198.51.100.1", "k", proposal, proposal, "28800", "3600", 10,
        "start", "restart",
    )  # fmt: skip
    second = dataclasses.replace(good, n=2, remote="198.51.100.2")
    evil = dataclasses.replace(good, proposals="aes128\n}\nevil {\n remote_addrs = 10.9.9.9")

    def made(*tunnels):  # a dialect's tunnels, already translated
        read = [SimpleNamespace(defaulted=[], made=t) for t in tunnels]
        return twin("Router", read, lambda t, n: t.made, [], "# h\n", "/u", "x")

    assert made(good, second).addresses == ("198.51.100.1", "198.51.100.2")
    with pytest.raises(Untranslatable, match="not a value swanctl.conf takes"):
        made(evil, second)


def test_every_implementation_has_its_linter():
    assert set(LINTERS) == set(IMPLEMENTATIONS)
    assert all(callable(linter(name)) for name in LINTERS)


def test_a_check_with_no_customer_file_imports_no_vendors_code():
    """The dialects and their rules are imported when a customer's file needs them: a
    check of a rendered lab, in the emulated guest above all, spends no time on them."""
    vendors = [f"driver.cgw.{package}" for package in dialects.PACKAGES]
    vendors += [f"driver.analysis.{module}" for module, _ in LINTERS.values()]
    vendors.remove("driver.analysis.cgw_rules")  # strongSwan's: the lab's own rendering
    code = (
        "import sys, driver.cli, driver.local.check_command, driver.analysis.lint\n"
        "from driver.cgw.dialects import ROUTERS\n"
        "assert 'fortigate' in ROUTERS\n"
        f"print([m for m in sys.modules if m.startswith({tuple(vendors)!r})])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
