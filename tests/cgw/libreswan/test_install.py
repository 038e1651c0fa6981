"""The Libreswan vpnlab reads with is the one `make setup` unpacks: one version,
named in one place each (scripts/setup-system.sh, driver/cgw/libreswan/install.py)."""

import re

from driver.cgw.libreswan import install
from driver.core.paths import PROJECT


def test_setup_unpacks_the_version_the_code_reads_with():
    script = (PROJECT / "scripts" / "setup-system.sh").read_text()
    (version,) = re.findall(r"^libreswan_version=(\S+)", script, re.M)
    assert version == install.VERSION
    for name in ("readwriteconf", "algparse", "pluto", "whack", "addconn"):
        assert install.tool(name).is_file()
