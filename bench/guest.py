"""Print the guest kernel's boot time and cold ``vpnlab check`` wall time in it (root).

    sudo python bench/guest.py [--runs N] [--record]

The boot is a bare one (``uname -r`` in the guest); each check is the command as
a user runs it, a fresh process: the guest boots, builds the lab, checks it,
tears it down and stops. Labs: the route-based example (the guest is chosen
because this host has no VTI) and the seed forced into the guest.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.figures import figure  # noqa: E402
from driver.local.guest.machine import machine  # noqa: E402
from driver.local.guest.vm import Guest  # noqa: E402

CHECKS = {
    "labs/route-based.yml": [],
    "labs/seed.yml --dataplane vm": ["--dataplane", "vm"],
}


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def check(lab: str, extra: list[str]) -> None:
    command = [sys.executable, "-m", "driver.cli", "check", lab, *extra, "--json"]
    proc = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    # The seed fails there by design (identical selectors on a kernel: one tunnel
    # carries, tests/local/test_guest.py); timed all the same.
    if proc.returncode != 0:
        print(f"  {' '.join(command[2:])}: FAILED (exit {proc.returncode})", file=sys.stderr)


def report(what: str, times: list[float], record: bool) -> None:
    print(f"{what}: " + ", ".join(f"{t:.1f}" for t in times) + f" s ({len(times)} runs)")
    print(figure(f"{what}: median", statistics.median(times), record))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--record", action="store_true", help="record the medians as figures")
    args = parser.parse_args()
    guest = machine()
    print(guest.describe())
    boot = [
        timed(lambda: Guest(guest, "vpnlab-bench").run([["uname", "-r"]])) for _ in range(args.runs)
    ]
    report("guest: bare boot (uname -r)", boot, args.record)
    for label, extra in CHECKS.items():
        lab = label.split()[0]
        times = [timed(lambda lab=lab, extra=extra: check(lab, extra)) for _ in range(args.runs)]
        report(f"guest: vpnlab check {label}", times, args.record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
