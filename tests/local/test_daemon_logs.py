"""``vpnlab check --logs DIR``: the daemons' logs kept, the caller's alone."""

import stat
import subprocess
import sys

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from tests.conftest import SEED, requires_root
from tests.lab.test_loader import lab_with


def test_a_folder_with_files_is_refused_before_anything_runs(tmp_path, capsys):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "aws-tunnel1.log").write_text("last run's\n")
    assert main(["check", str(SEED), "--logs", str(tmp_path / "logs")]) == 2
    err = capsys.readouterr().err
    assert "is not empty: name a new folder" in err
    assert (tmp_path / "logs" / "aws-tunnel1.log").read_text() == "last run's\n"


def test_a_file_in_its_place_or_no_folder_to_make_it_in_is_refused(tmp_path, capsys):
    (tmp_path / "logs").write_text("")
    assert main(["check", str(SEED), "--logs", str(tmp_path / "logs")]) == 2
    assert "a file is there; the logs go into a folder" in capsys.readouterr().err
    assert main(["check", str(SEED), "--logs", str(tmp_path / "none" / "logs")]) == 2
    assert f"{tmp_path / 'none'} is no folder; make it" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_each_daemons_log_is_kept_for_the_user_who_ran_sudo(tmp_path):
    lab = tmp_path / "logs.yml"
    lab.write_text(lab_with(("name", "keptlogs")))
    folder = tmp_path / "logs"
    check = [sys.executable, "-m", "driver.cli", "check", str(lab), "--no-lifecycle"]
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SUDO_UID": "65534", "SUDO_GID": "65534"}
    done = subprocess.run(
        [*check, "-q", "--logs", str(folder)], cwd=PROJECT, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    files = {path.name: path for path in folder.iterdir()}
    assert sorted(files) == ["aws-tunnel1.log", "aws-tunnel2.log", "customer-charon.log"]
    for n in (1, 2):  # each AWS endpoint's negotiation of its own tunnel
        assert f"IKE_SA Tunnel{n}[1] established" in files[f"aws-tunnel{n}.log"].read_text()
    assert "CHILD_SA" in files["customer-charon.log"].read_text()
    for path in (folder, *files.values()):
        info = path.stat()
        assert (info.st_uid, info.st_gid) == (65534, 65534)  # the caller's, not root's
        assert stat.S_IMODE(info.st_mode) == (0o700 if path.is_dir() else 0o600)
