"""The command line: every option reaches its command; apply's lint gate."""

import os
import re
import subprocess
import sys
from importlib import metadata

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


def test_init_reads_a_libreswan_customer_as_libreswan_does(tmp_path, capsys):
    """Detected as Libreswan's, its proposals read back from Libreswan's own expansion
    (algparse), the inside CIDRs from its updown script's arguments, every value with
    its line; the lab it writes loads, and the next command is printed."""
    from driver.cli import main
    from driver.lab.loader import load_lab
    from tests.fixtures import cgw_fixture

    lab = tmp_path / "customer.yml"
    config = cgw_fixture("libreswan")
    assert main(["init", "--from-cgw-config", str(config), "-o", str(lab)]) == 0
    text = lab.read_text()
    assert "ike_versions: [ikev2]   # " in text and "ipsec.conf:44" in text  # ikev2=insist
    assert "# aes256-sha2_256;modp2048, " in text
    assert text.count("dh_groups: [14]") == 2  # PFS: esp= names none, so the IKE SA's group
    assert "private_ip: 192.168.0.14" in text  # left=
    assert "inside_cidr: 169.254.10.32/30" in text and "inside_cidr: 169.254.20.200/30" in text
    assert "check runs them with pluto" in text
    written = load_lab(lab)
    assert [t.preshared_key for t in written.tunnels] == [
        "fixture_psk_tunnel1_0123456789abcdef",
        "fixture_psk_tunnel2_0123456789abcdef",
    ]
    sudo = "sudo " if os.geteuid() != 0 else ""  # driver/core/invocation.py
    assert f"now: {sudo}vpnlab check {lab} --cgw-config {config}" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["sheet", "labs/seed.yml"], ["--version"]])
def test_a_reader_that_went_away_ends_vpnlab_quietly(command):
    """`vpnlab … | head`: the pipe's reader is gone before vpnlab writes (its read end
    closed before the start), so the first write fails; no traceback, exit 141 (also
    for what prints while the command line is read: --version)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "driver.cli", *command],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT,
        )
    finally:
        os.close(write)
    assert done.returncode == 141 and done.stderr == ""


def test_version_names_vpnlab_and_each_engine_as_it_answers():
    done = subprocess.run(
        [sys.executable, "-m", "driver.cli", "--version"], capture_output=True, text=True
    )
    rows = dict(
        line.split(None, 1)
        for line in done.stdout.replace("guest kernel", "guest-kernel").splitlines()
    )
    assert done.returncode == 0 and list(rows) == [
        "vpnlab", "strongSwan", "FRR", "Libreswan", "Terraform", "qemu", "guest-kernel"
    ]  # fmt: skip
    assert rows["vpnlab"].strip() == metadata.version("vpnlab")
    # `make setup` installs every engine: each answers with its release
    for engine in ("strongSwan", "FRR", "Libreswan", "Terraform", "qemu"):
        assert re.match(r"\d+\.\d+", rows[engine].strip()), (engine, rows[engine])
