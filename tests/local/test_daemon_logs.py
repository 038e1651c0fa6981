"""``vpnlab check --logs DIR``: the daemons' logs kept, by and for the caller alone."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from tests.conftest import SEED, requires_root
from tests.lab.test_loader import lab_with

NOBODY = 65534


@pytest.mark.parametrize("there", ["a folder", "an empty folder", "a file", "a link"])
def test_anything_in_its_place_is_refused_before_anything_runs(tmp_path, capsys, there):
    logs = tmp_path / "logs"
    if there == "a folder":
        logs.mkdir()
        (logs / "aws-tunnel1.log").write_text("last run's\n")
    elif there == "an empty folder":
        logs.mkdir()
    elif there == "a file":
        logs.write_text("")
    else:
        logs.symlink_to(tmp_path / "elsewhere")  # dangling: made, it would be root's
    assert main(["check", str(SEED), "--logs", str(logs)]) == 2
    assert "exists: name a new folder, vpnlab makes it" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere").exists()
    if there == "a folder":
        assert (logs / "aws-tunnel1.log").read_text() == "last run's\n"


def test_no_folder_to_make_it_in_is_refused(tmp_path, capsys):
    assert main(["check", str(SEED), "--logs", str(tmp_path / "none" / "logs")]) == 2
    assert f"{tmp_path / 'none'} is no folder; make it" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def check(lab: Path, logs: Path, caller: int) -> subprocess.CompletedProcess:
    """`sudo vpnlab check` as user ``caller`` would run it (SUDO_UID, SUDO_GID)."""
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SUDO_UID": str(caller)}
    env["SUDO_GID"] = str(caller)
    command = [sys.executable, "-m", "driver.cli", "check", str(lab), "--no-lifecycle", "-q"]
    return subprocess.run(
        [*command, "--logs", str(logs)], cwd=PROJECT, env=env, capture_output=True, text=True
    )


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_each_daemons_log_is_kept_by_the_user_who_ran_sudo(tmp_path):
    lab = tmp_path / "logs.yml"
    lab.write_text(lab_with(("name", "keptlogs")))
    home = Path(tempfile.mkdtemp())  # a folder of the caller's, as their home would be
    os.chown(home, NOBODY, NOBODY)
    try:
        folder = home / "logs"
        done = check(lab, folder, NOBODY)
        assert done.returncode == 0, done.stderr
        files = {path.name: path for path in folder.iterdir()}
        assert sorted(files) == ["aws-tunnel1.log", "aws-tunnel2.log", "customer-charon.log"]
        for n in (1, 2):  # each AWS endpoint's negotiation of its own tunnel
            assert f"IKE_SA Tunnel{n}[" in files[f"aws-tunnel{n}.log"].read_text()
        assert "CHILD_SA" in files["customer-charon.log"].read_text()
        for path in (folder, *files.values()):
            info = path.stat()
            assert (info.st_uid, info.st_gid) == (NOBODY, NOBODY)  # made by them, not root
            assert stat.S_IMODE(info.st_mode) == (0o700 if path.is_dir() else 0o600)
        # Where the caller cannot write, nothing is made, and the verdict stands.
        refused = check(lab, tmp_path / "logs", NOBODY)  # pytest's folder: root's alone
        assert refused.returncode == 0, refused.stderr
        assert f"vpnlab: warning: --logs {tmp_path / 'logs'}: not kept:" in refused.stderr
        assert "Permission denied" in refused.stderr
        assert not (tmp_path / "logs").exists()
    finally:
        shutil.rmtree(home)
