"""The command line: every option reaches its command; apply's lint gate."""

import subprocess
import sys

import pytest

from driver.cli import build_parser
from driver.core.paths import PROJECT


@pytest.mark.parametrize(
    "argv,expected",
    [
        (
            ["apply", "labs/seed.yml", "--skip-lint", "--yes", "--state-bucket", "b"],
            {"skip_lint": True, "yes": True, "state_bucket": "b", "target": "local"},
        ),
        (["destroy", "--target", "aws", "--force-cleanup"], {"force_cleanup": True}),
        (["verify", "--json"], {"json": True}),
        (
            ["check", "--cgw-config", "a", "--cgw-secrets", "b", "--failover", "--keep"],
            {"failover": True, "keep": True},
        ),
        (["lint", "--terraform", "t.json", "--json"], {"json": True}),
        (["lint", "--cgw-config", "a", "--cgw-daemon", "libreswan"], {"cgw_daemon": "libreswan"}),
        (["diagram", "-o", "x.png"], {}),
    ],
)
def test_options_parse_for_their_command(argv, expected):
    args = build_parser().parse_args(argv)
    for key, value in expected.items():
        assert getattr(args, key) == value


@pytest.mark.parametrize("command,option", [("destroy", "--skip-lint"), ("verify", "--yes")])
def test_options_do_not_leak_to_other_commands(command, option):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, option])


def test_apply_refuses_a_lab_that_lint_rejects_before_anything_else():
    proc = subprocess.run(
        [sys.executable, "-m", "driver.cli", "apply", "labs/broken.yml"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "[lab-static-routes]" in proc.stderr
    assert "lint found errors: nothing was applied" in proc.stderr
    assert not (PROJECT / ".vpnlab" / "broken").exists()


def vpnlab(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "driver.cli", *argv],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "argv,message",
    [
        (["check", "labs/none.yml", "--json"], "labs/none.yml: the lab file has 1 problem(s)"),
        (["verify", "labs/none.yml", "--json"], "labs/none.yml: the lab file has 1 problem(s)"),
        (
            ["lint", "labs/seed.yml", "--cgw-config", "/nonexistent/ipsec.conf", "--json"],
            "cannot read /nonexistent/ipsec.conf",
        ),
        (["check", "--json", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_json_is_one_document_also_when_a_command_is_refused(argv, message):
    import json

    answer = vpnlab(*argv)
    assert answer.returncode == 2, answer.stderr
    document = json.loads(answer.stdout)
    assert document["passed"] is False and message in document["error"]["message"]


def test_a_refused_lab_lists_its_problems_in_the_json():
    import json

    problems = json.loads(vpnlab("check", "labs/none.yml", "--json").stdout)["error"]["problems"]
    assert problems[0]["message"].startswith("cannot read lab file")
    assert set(problems[0]) == {"path", "message", "hint", "line"}


def test_init_refuses_a_libreswan_customer_before_writing_anything(tmp_path, capsys):
    from driver.cli import main
    from tests.fixtures import cgw_fixture

    lab = tmp_path / "customer.yml"
    code = main(["init", "--from-cgw-config", str(cgw_fixture("libreswan")), "-o", str(lab)])
    assert code == 2 and not lab.exists()
    said = capsys.readouterr().err
    assert "is Libreswan's" in said and "ikev2=insist" in said  # why: a sign and its line
    assert "writes labs for strongSwan customers only" in said and "vpnlab lint" in said
