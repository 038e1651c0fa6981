"""Every router dialect holds the whole interface (driver/cgw/router.py), and the
check's fixes it gives in its vendor's words are for diagnoses that exist."""

import pytest

from driver.cgw.detect import IMPLEMENTATIONS, RUNNABLE, detect
from driver.cgw.dialects import ROUTERS
from driver.checks.aws_tunnel_log import CATALOGUE


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
