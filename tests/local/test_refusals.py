"""A refusal changes nothing: a second ``check`` of a lab that is kept or still
running leaves it as it was, and says whose it is (root)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from driver.core.processes import process_alive
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local.check_command import run_check
from driver.local.shared.node_access import lab_namespaces
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]


def lab_file(tmp_path, name: str):
    path = tmp_path / f"{name}.yml"
    path.write_text(lab_with(("name", name)))
    return path, load_lab(path)


def until(condition, seconds: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def test_a_kept_lab_survives_a_second_check_and_only_cleanup_removes_it(tmp_path, capsys):
    path, lab = lab_file(tmp_path, "kept")
    report = run_check(lab, keep=True, lifecycle=False)
    try:
        assert report.passed
        namespaces = lab_namespaces(lab.name)
        charons = [p for p in _charon_pids(lab.name)]
        assert charons
        assert main(["check", str(path)]) == 2
        said = capsys.readouterr().err
        assert "already has namespaces" in said and "--keep" in said
        assert "nothing was changed" in said and "check --cleanup" in said
        assert lab_namespaces(lab.name) == namespaces
        assert all(process_alive(pid) for pid in charons)
    finally:
        assert main(["check", str(path), "--cleanup"]) == 0
    assert lab_namespaces(lab.name) == []


def test_a_concurrent_check_is_refused_by_the_lock_and_the_first_run_passes(tmp_path):
    path, lab = lab_file(tmp_path, "twice")
    first = subprocess.Popen(
        [sys.executable, "-m", "driver.cli", "check", str(path), "--no-lifecycle"],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        until(lambda: lab_namespaces(lab.name), what="the first check's namespaces")
        os.killpg(first.pid, signal.SIGSTOP)  # held mid-build: the second comes now
        try:
            namespaces = lab_namespaces(lab.name)
            second = subprocess.run(
                [sys.executable, "-m", "driver.cli", "check", str(path)],
                cwd=PROJECT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 2, second.stdout + second.stderr
            assert f"lab 'twice' is busy: check by pid {first.pid}" in second.stderr
            assert lab_namespaces(lab.name) == namespaces
        finally:
            os.killpg(first.pid, signal.SIGCONT)
        out, _ = first.communicate(timeout=120)
        assert first.returncode == 0, out
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGTERM)
            first.wait(timeout=30)
    assert lab_namespaces(lab.name) == []


def test_the_lock_says_who_holds_it_to_apply_verify_and_destroy(tmp_path):
    path, lab = lab_file(tmp_path, "locked")
    try:
        with LabState(lab.name).lock("check"):
            for command in ("apply", "verify", "destroy"):
                proc = subprocess.run(
                    [sys.executable, "-m", "driver.cli", command, str(path)],
                    cwd=PROJECT,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
                assert f"is busy: check by pid {os.getpid()}" in proc.stderr, command
    finally:
        LabState(lab.name).remove()


def _charon_pids(lab_name: str) -> list[int]:
    from driver.local.dataplane.netns import Namespace
    from driver.local.shared.node_access import lab_prefix

    pids = []
    for name in lab_namespaces(lab_name):
        pids += Namespace(lab_name, name.removeprefix(lab_prefix(lab_name))).pids()
    return pids


def test_apply_and_destroy_leave_a_kept_checks_lab_to_its_cleanup(tmp_path, capsys):
    path, lab = lab_file(tmp_path, "keptapply")
    assert run_check(lab, keep=True, lifecycle=False).passed
    namespaces = lab_namespaces(lab.name)
    try:
        assert main(["apply", str(path)]) == 2  # refused before the emulator or Terraform
        assert "`vpnlab check --keep` kept them" in capsys.readouterr().err
        assert LabState(lab.name).read("emulator.json") is None
        assert main(["destroy", str(path)]) == 0  # nothing of apply's; says "left alone"
        assert lab_namespaces(lab.name) == namespaces
        assert (LabState(lab.name).root / "check").is_dir()
    finally:
        assert main(["check", str(path), "--cleanup"]) == 0
    assert lab_namespaces(lab.name) == [] and not LabState(lab.name).root.exists()


@pytest.mark.parametrize(
    "argv,said",
    [
        (["labs/transit-gateway.yml", "--cgw-config", "tests/fixtures/seed-vendor"],
         "--cgw-config is one site's customer gateway; --site is needed: name one of tokyo"),
        (["labs/transit-gateway.yml", "--cgw-config", "tests/fixtures/seed-vendor",
          "--site", "nagoya"], "no site 'nagoya'"),
        (["labs/transit-gateway.yml", "--site", "tokyo"], "give both, or neither"),
        (["labs/seed.yml", "--site", "tokyo"], "--site names a Transit Gateway lab's site"),
    ],
)  # fmt: skip
def test_a_transit_gateway_check_takes_one_sites_customer_files_by_name(argv, said, tmp_path):
    """Said before anything runs: no namespace, no lab state (in a state folder of its
    own: another test may apply the example lab meanwhile)."""
    proc = subprocess.run(
        [sys.executable, "-m", "driver.cli", "--state-dir", str(tmp_path), "check", *argv],
        cwd=PROJECT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert said in proc.stderr
    assert not LabState(load_lab(PROJECT / argv[0]).name, tmp_path).root.exists()
