"""``vpnlab check --report``: the blog's own ipsec.conf (no esp=, so no PFS: the
first CHILD_SA comes up, AWS's rekey with PFS fails) checked for real, and the
report the other company receives: the failure, its fix as a diff of their file,
what was not tested, the evidence; in English and Japanese; no key in it."""

from __future__ import annotations

import json

import pytest

from driver.checks.report import Report
from driver.cli import main
from driver.core.paths import PROJECT
from driver.handoff.report import Customer, report_markdown
from driver.lab.loader import load_lab
from tests.conftest import requires_root

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

SEED = PROJECT / "labs" / "seed.yml"
BLOG = PROJECT / "tests" / "fixtures" / "seed-vendor" / "ipsec.conf"
KEY = "Blogs.key_0123456789abcdefghijk"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """One check of the blog's files (with a secrets file, so a key exists to leak)."""
    folder = tmp_path_factory.mktemp("report")
    secrets = folder / "ipsec.secrets"
    secrets.write_text(
        f'203.0.113.10 198.51.100.1 : PSK "{KEY}"\n203.0.113.10 198.51.100.2 : PSK "{KEY}"\n'
    )
    written = folder / "report.md"
    argv = ["check", str(SEED), "--cgw-config", str(BLOG), "--cgw-secrets", str(secrets)]
    code = main([*argv, "--json", "--report", str(written)])
    return code, secrets, written


def test_the_report_names_the_rekey_failure_and_gives_the_diff(checked, capsys):
    code, _, written = checked
    text = written.read_text()
    assert code == 1
    assert "**Verdict**: FAILED" in text
    assert "seed-vendor/ipsec.conf" in text and "run by strongSwan" in text
    assert "conf-no-pfs" in text
    assert "+    esp=aes256-sha256-modp2048!" in text
    for section in (
        "What failed or is at risk",
        "The changes to your files",
        "What was not tested",
    ):
        assert f"## {section}" in text
    assert "Evidence" in text and "PFS" in text


def test_no_key_is_in_the_report(checked):
    _, _, written = checked
    assert KEY not in written.read_text()


def test_the_japanese_report_says_the_same(checked, capsys, tmp_path):
    """The same check's report in Japanese (from its JSON, as a guest's check is read)."""
    _, secrets, _ = checked
    argv = ["check", str(SEED), "--cgw-config", str(BLOG), "--cgw-secrets", str(secrets)]
    capsys.readouterr()
    assert main([*argv, "--json", "--no-lifecycle"]) in (0, 1)
    report = Report.from_json(capsys.readouterr().out)
    assert report is not None and json.loads(report.to_json())["lab"] == "seed"
    text = report_markdown(report, load_lab(SEED), SEED, Customer(BLOG, secrets, None), "ja")
    for words in ("判定", "お客様のファイルへの変更", "検証していないもの", "証跡"):
        assert words in text
    assert "+    esp=aes256-sha256-modp2048!" in text and KEY not in text
