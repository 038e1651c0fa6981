"""The diff the report gives the other company: applied to their own files by git
(a tool of theirs, not ours), the files it yields pass the rules it was for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from driver.analysis.lab_from_cgw import read_customer
from driver.analysis.lint import lint
from driver.core.paths import PROJECT
from driver.handoff.fixes import applied, edits
from driver.lab.loader import load_lab

SEED = PROJECT / "labs" / "seed.yml"
BLOG = PROJECT / "tests" / "fixtures" / "seed-vendor" / "ipsec.conf"
FIXED_RULES = {"conf-no-pfs", "conf-no-common-ike", "conf-no-common-esp", "conf-defaults-appended"}


def patched(folder, config, daemon=None):
    """Their file copied into ``folder`` (the working directory: the diff names it as
    they do, ``a/ipsec.conf``), the report's diff applied by ``git apply``."""
    shutil.copy(config, folder / "ipsec.conf")
    customer = read_customer(Path("ipsec.conf"), None, daemon)
    diff = applied(customer, edits(customer, load_lab(SEED)))
    assert diff.startswith("--- a/ipsec.conf\n+++ b/ipsec.conf\n")
    subprocess.run(["git", "apply", "-p1"], input=diff, text=True, check=True, cwd=folder)
    return diff, folder / "ipsec.conf"


def rules(config, daemon=None) -> set[str]:
    return {f.rule for f in lint(SEED, config, None, None, daemon)}


def test_the_blogs_ipsec_conf_gets_pfs_and_awss_group(tmp_path, monkeypatch):
    assert {"conf-no-pfs", "conf-defaults-appended"} <= rules(BLOG)
    monkeypatch.chdir(tmp_path)
    diff, fixed = patched(tmp_path, BLOG)
    assert "+    esp=aes256-sha256-modp2048!" in diff
    assert "-    ike=aes256-sha256-modp1024" in diff and "+    ike=aes256-sha256-modp2048!" in diff
    assert not rules(fixed) & FIXED_RULES
    # only those lines: the rest of their file is theirs (its other findings stay)
    assert diff.count("\n+ ") + diff.count("\n- ") == 6


LIBRESWAN = """\
# a Libreswan tunnel pair with PFS turned off and a proposal AWS refuses
conn aws1
    ikev2=insist
    authby=secret
    left=%defaultroute
    leftid=203.0.113.10
    right=198.51.100.1
    leftsubnet=192.168.0.0/16
    rightsubnet=10.0.0.0/16
    ike=aes256-sha2_256-modp2048
    esp=aes128-md5
    pfs=no
    auto=start

conn aws2
    also=aws1
    right=198.51.100.2
"""


def test_libreswans_files_get_pfs_and_a_proposal_aws_accepts(tmp_path, monkeypatch):
    config = tmp_path / "source.conf"
    config.write_text(LIBRESWAN)
    assert {"conf-no-pfs", "conf-no-common-esp"} <= rules(config, "libreswan")
    monkeypatch.chdir(tmp_path)
    diff, fixed = patched(tmp_path, config, "libreswan")
    assert "+    pfs=yes" in diff and "+    esp=aes256-sha2_256-modp2048" in diff
    assert not rules(fixed, "libreswan") & FIXED_RULES
