"""The guest's checks run one after the other in one process
(driver/guest_checks.py): one that never ends says where it is stuck and ends
the run, rather than holding the guest until the host's watchdog."""

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
