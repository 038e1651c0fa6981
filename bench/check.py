"""Print cold ``vpnlab check`` wall time: the command as a user runs it (root).

    sudo python bench/check.py [LAB] [--runs N] [--record]

Each run is a fresh process: namespaces, both charons, both tunnels, ping
both ways, teardown and the leak check. Reports every run and the median.
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("lab", nargs="?", default="labs/seed.yml")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="record the median as the figure")
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "driver.cli", "check", args.lab, "--json"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
            return 1
    print(f"vpnlab check {args.lab}: cold wall time " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(figure(f"vpnlab check {args.lab}: cold median", statistics.median(times), args.record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
