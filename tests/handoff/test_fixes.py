"""The diff the report gives the other company: applied to their own files by git
(a tool of theirs, not ours) in the folder their configuration is in, the files it
yields pass the rules it was for; their line endings, braces, comments and a last
line without a newline survive."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from driver.analysis.lab_from_cgw import read_customer
from driver.analysis.lint import lint
from driver.core.paths import PROJECT
from driver.handoff.fixes import applied, edits
from driver.lab.loader import load_lab

SEED = PROJECT / "labs" / "seed.yml"
BLOG = PROJECT / "tests" / "fixtures" / "seed-vendor" / "ipsec.conf"
FIXED_RULES = {"conf-no-pfs", "conf-no-common-ike", "conf-no-common-esp", "conf-defaults-appended"}


def patched(config: Path, daemon=None) -> tuple[str, list[str]]:
    """The report's diff for ``config`` (its paths from the config's folder), applied
    there by ``git apply``."""
    customer = read_customer(config, None, daemon)
    fixes = edits(customer, load_lab(SEED))
    folder = config if config.is_dir() else config.parent
    diff = applied(customer, fixes, folder)
    subprocess.run(["git", "apply", "-p1"], input=diff, text=True, check=True, cwd=folder)
    return diff, fixes.unwritten


def rules(config, daemon=None) -> set[str]:
    return {f.rule for f in lint(SEED, config, None, None, daemon)}


def test_the_blogs_ipsec_conf_gets_pfs_and_awss_group(tmp_path):
    assert {"conf-no-pfs", "conf-defaults-appended"} <= rules(BLOG)
    config = tmp_path / "ipsec.conf"
    shutil.copy(BLOG, config)
    diff, _ = patched(config)  # an absolute path given: the diff names it from its folder
    assert diff.startswith("--- a/ipsec.conf\n+++ b/ipsec.conf\n")
    assert "+    esp=aes256-sha256-modp2048!" in diff
    assert "-    ike=aes256-sha256-modp1024" in diff and "+    ike=aes256-sha256-modp2048!" in diff
    assert not rules(config) & FIXED_RULES
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
    pfs=no   # their comment stays
    auto=start

conn aws2
    also=aws1
    right=198.51.100.2
"""


def test_libreswans_files_get_pfs_and_a_proposal_aws_accepts(tmp_path):
    config = tmp_path / "ipsec.conf"
    config.write_text(LIBRESWAN)
    assert {"conf-no-pfs", "conf-no-common-esp"} <= rules(config, "libreswan")
    diff, _ = patched(config, "libreswan")
    assert "+    pfs=yes   # their comment stays" in diff
    assert "+    esp=aes256-sha2_256-modp2048" in diff
    assert not rules(config, "libreswan") & FIXED_RULES


@pytest.mark.parametrize("ending", ("\n", "\r\n"))
def test_a_conn_without_proposals_crlf_and_no_last_newline(tmp_path, ending):
    """No ike= and no esp=: esp= goes after the conn's header, indented as its
    settings; Windows line endings and a missing last newline are kept."""
    text = BLOG.read_text().replace("    ike=aes256-sha256-modp1024\n", "")
    config = tmp_path / "ipsec.conf"
    config.write_bytes(text.rstrip("\n").replace("\n", ending).encode())
    diff, _ = patched(config)
    assert f"+    esp=aes256-sha256-modp2048!{ending}" in diff
    assert diff.endswith("\\ No newline at end of file\n") or "No newline" not in diff
    fixed = config.read_bytes().decode()
    assert fixed.count(ending) == text.rstrip("\n").count("\n") + 2  # two lines inserted
    assert not fixed.endswith("\n")
    assert "conf-no-pfs" not in rules(config)


SWANCTL = """\
connections {
    aws1 {
        remote_addrs = 198.51.100.1
        local { auth = psk
                id = 203.0.113.10 }
        remote { auth = psk }
        proposals = aes256-sha256-modp1024 }
    aws1 { children { t1 { local_ts = 192.168.0.0/16
        remote_ts = 10.0.0.0/16 } } }
}
secrets {
    ike-1 {
        id = 198.51.100.1
        secret = Their.secret_0123456789abcdefg
    }
}
"""


def test_swanctl_braces_on_the_line_are_kept_and_a_child_gets_esp_proposals(tmp_path):
    config = tmp_path / "swanctl" / "swanctl.conf"
    config.parent.mkdir()
    config.write_text(SWANCTL)
    customer = read_customer(tmp_path, None, None)
    fixes = edits(customer, load_lab(SEED))
    diff = applied(customer, fixes, tmp_path)
    assert "+        proposals = aes256-sha256-modp2048 }" in diff
    # the child's line opens sections: rewritten never; after it, esp_proposals
    assert "+        esp_proposals = aes256-sha256-modp2048" in diff
    subprocess.run(["git", "apply", "-p1"], input=diff, text=True, check=True, cwd=tmp_path)
    assert "conf-no-pfs" not in rules(tmp_path)


def test_one_line_for_two_tunnels_that_need_different_values_is_left_and_said(tmp_path):
    text = BLOG.read_text()
    text = "conn %default\n    esp=aes256-sha256\n\n" + text
    config = tmp_path / "ipsec.conf"
    config.write_text(text)
    customer = read_customer(config, None, None)
    lab = load_lab(SEED)
    second = lab.tunnels[1]
    phase2 = second.options.phase2.__class__(
        encryption=("AES128",), integrity=("SHA2-256",), dh_groups=(19,), lifetime=3600
    )
    import dataclasses

    options = dataclasses.replace(second.options, phase2=phase2)
    tunnels = (lab.tunnels[0], dataclasses.replace(second, options=options))
    lab = dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))
    fixes = edits(customer, lab)
    assert [e for e in fixes.edits if e.line == 2] == []
    assert any("give each tunnel its own line" in said for said in fixes.unwritten)
