"""Every router dialect holds the whole interface (driver/cgw/router.py), and the
check's fixes it gives in its vendor's words are for diagnoses that exist."""

import pytest

from driver.cgw.detect import IMPLEMENTATIONS, RUNNABLE
from driver.cgw.dialects import ROUTERS
from driver.checks.aws_tunnel_log import CATALOGUE


@pytest.mark.parametrize("name", sorted(ROUTERS))
def test_a_dialect_is_detected_run_and_its_fixes_name_real_diagnoses(name):
    dialect = ROUTERS[name]
    assert IMPLEMENTATIONS[name] == dialect.title and name in RUNNABLE
    assert set(dialect.fixes) <= set(CATALOGUE), set(dialect.fixes) - set(CATALOGUE)
    assert {"psk", "phase1-proposal", "phase2-proposal"} <= set(dialect.fixes)
