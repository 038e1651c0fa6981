"""Several ``vpnlab check`` runs in one Python process, inside one guest.

Under the guest's software emulation Python's imports take ~20 s: a test suite
(or anyone with several scenarios) pays them once. Each check's report goes to
``<folder>/check-<n>.out``, its exit code to ``check-<n>.rc`` and its daemons'
logs into ``logs-<n>/`` (``--logs``); progress goes to the console. Run as
``python -m driver.guest_checks FOLDER JSON``, JSON being the list of each
check's arguments (after ``vpnlab``).

A check still running after ``CHECK_BOUND`` is stuck (every wait in a check is
bounded): the console then gets where each thread is and what the guest's
processes wait on in its kernel, and the run ends, rather than at the host's
watchdog with nothing said.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

CHECK_BOUND = 1200  # s: the slowest scenario takes ~4 minutes beside a busy test suite
STUCK = 124  # the run's exit code when a check was stuck (timeout(1)'s)
# What a stuck check's processes are doing: their state (D: in the kernel,
# unkillable) and the kernel function they wait in; then the kernel's last words.
SNAPSHOTS = (
    ["ps", "-eo", "pid,ppid,stat,wchan:32,etime,args", "--sort", "pid"],
    ["dmesg", "--ctime"],
)


def main(folder: Path, checks: list[list[str]]) -> int:
    from driver.cli import main as vpnlab

    for n, argv in enumerate(checks):
        with (
            _bounded(f"check-{n}", CHECK_BOUND),
            open(folder / f"check-{n}.out", "w") as out,
            contextlib.redirect_stdout(out),
        ):
            code = vpnlab([*argv, "--logs", str(folder / f"logs-{n}")])
        (folder / f"check-{n}.rc").write_text(f"{code}\n")
    return 0


@contextlib.contextmanager
def _bounded(name: str, bound: float) -> Iterator[None]:
    watchdog = threading.Timer(bound, _stuck, (name, bound))
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    finally:
        watchdog.cancel()


def _stuck(name: str, bound: float) -> None:
    console = sys.__stderr__
    print(f"\n{name} still runs after {bound:g} s: stuck; where it is:", file=console)
    faulthandler.dump_traceback(console, all_threads=True)
    for command in SNAPSHOTS:
        try:
            shown = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired) as exc:
            shown = f"({exc})"
        tail = "\n".join(shown.splitlines()[-80:])
        print(f"--- {' '.join(command)}\n{tail}", file=console, flush=True)
    os._exit(STUCK)  # its threads may be unkillable: the guest ends with the process


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), json.loads(sys.argv[2])))
