"""Where a cold ``vpnlab check`` in the guest spends its time, phase by phase (root).

    sudo python bench/guest_phases.py [LAB] [--runs N] [--record]

The check runs as a user runs it; each line of its console is stamped as it
arrives, and the lines every check prints mark the phases' ends:

    host start          vpnlab's own start and placement: "starting the guest kernel"
    boot + userspace    qemu, the guest kernel, its userspace and vpnlab's imports in it:
                        "building lab …" (bench/guest.py times a bare boot apart)
    lab + IKE           namespaces, interfaces, daemons, both tunnels up: the first
                        "vgw: tunnel" row
    checks              the lab's expectations (pings both ways): the last row printed as
                        it happens
    lifecycle           AWS's and the customer's rekeys: the table's lifecycle rows' seconds
    teardown            the rest until the table: teardown, the leak check
    guest stop          the table until vpnlab's exit
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.figures import figure  # noqa: E402

PHASES = (
    "host start",
    "boot + userspace",
    "lab + IKE",
    "checks",
    "lifecycle",
    "teardown",
    "guest stop",
)


def stamped(lab: str) -> list[tuple[float, str]]:
    """Each console line of one cold check, with its seconds since the start."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "driver.cli", "check", lab]
    proc = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines = [(time.perf_counter() - started, line.rstrip()) for line in proc.stdout]
    proc.wait()
    lines.append((time.perf_counter() - started, f"(exit {proc.returncode})"))
    return lines


# a lifecycle row of the table: its name, verdict, then its seconds
_LIFECYCLE_ROW = re.compile(r"^lifecycle: .*?\s{2,}(?:PASS|FAIL|WARN|SKIP)\s+(\d+\.\d+)\s")


def phases(lines: list[tuple[float, str]]) -> dict[str, float]:
    """Each phase's seconds; a run that never printed a phase's line gets none after it."""

    def first(*starts: str) -> float | None:
        return next((t for t, line in lines if line.lstrip().startswith(starts)), None)

    table = first("check  ")  # the table's header: the check has ended
    rows = [
        t for t, line in lines if line.startswith(("PASS ", "FAIL ", "WARN ")) and t < (table or 0)
    ]
    lifecycle = sum(float(found[1]) for _, line in lines if (found := _LIFECYCLE_ROW.match(line)))
    marks = [first("starting the guest kernel"), first("building lab"),
             first("PASS vgw: tunnel", "FAIL vgw: tunnel"), rows[-1] if rows else None]  # fmt: skip
    out, previous = {}, 0.0
    for name, mark in zip(PHASES[:4], marks, strict=True):
        if mark is None:
            return out
        out[name] = mark - previous
        previous = mark
    if table is not None:
        out["lifecycle"] = lifecycle
        out["teardown"] = table - previous - lifecycle
        out["guest stop"] = lines[-1][0] - table
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("lab", nargs="?", default="labs/route-based.yml")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--record", action="store_true", help="record the medians as figures")
    args = parser.parse_args()
    runs = [phases(stamped(args.lab)) for _ in range(args.runs)]
    for name in PHASES:
        seconds = [run[name] for run in runs if name in run]
        if seconds:
            print(figure(f"guest phase {name}", statistics.median(seconds), args.record))
    total = statistics.median(sum(run.values()) for run in runs)
    print(figure(f"guest phases total ({args.lab})", total, args.record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
