"""The guest's checks run one after the other in one process
(driver/guest_checks.py): one that never ends says where it is stuck and ends
the run, rather than holding the guest until the host's watchdog."""

import json
import subprocess
import sys
import time

from driver.core.paths import PROJECT
from driver.guest_checks import STUCK

STUCK_CHECK = """
import time
from driver.guest_checks import _bounded

def waits_forever():
    time.sleep(60)

with _bounded("check-7", 0.5):
    waits_forever()
"""


def test_a_stuck_check_prints_where_it_waits_and_ends_the_run():
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", STUCK_CHECK], cwd=PROJECT, capture_output=True, text=True,
        timeout=30,
    )  # fmt: skip
    assert run.returncode == STUCK
    assert time.monotonic() - started < 20
    assert "check-7 still runs after 0.5 s: stuck" in run.stderr
    assert "in waits_forever" in run.stderr  # its Python stack
    assert "--- ps -eo pid,ppid,stat,wchan" in run.stderr  # what its processes wait on


def test_a_check_within_its_bound_is_left_alone():
    from driver.guest_checks import _bounded

    with _bounded("check-0", 30):
        pass  # the watchdog is cancelled on the way out


def test_guests_sharing_a_claims_folder_run_each_check_once(tmp_path):
    """Two runs (as two guests would) given one list and one claims folder: every
    check runs exactly once, in the run that claimed it."""
    claims, checks = tmp_path / "claims", [["check", str(tmp_path / "absent.yml")]] * 6
    claims.mkdir()
    folders = [tmp_path / "guest-a", tmp_path / "guest-b"]
    runs = []
    for folder in folders:  # each check refused at once: no lab file
        folder.mkdir()
        command = [sys.executable, "-m", "driver.guest_checks", str(folder), json.dumps(checks)]
        runs.append(subprocess.Popen([*command, str(claims)], cwd=PROJECT))
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    ran = [{path.stem for path in folder.glob("check-*.rc")} for folder in folders]
    assert not ran[0] & ran[1]
    assert ran[0] | ran[1] == {f"check-{n}" for n in range(len(checks))}
    for folder, names in zip(folders, ran, strict=True):
        assert all((claims / name).read_text() == folder.name for name in names)
        assert all((folder / f"{name}.rc").read_text() == "2\n" for name in names)  # refused
