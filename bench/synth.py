"""Print warm synthesis time: ``vpnlab synth`` as a user runs it (child process).

    python bench/synth.py [LAB] [--runs N] [--record]

The first run warms caches (bytecode, the jsii assembly on disk) and is
reported separately; the figure to compare is the median of the warm runs.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import figure  # noqa: E402
from driver.synth.synthesis import synth  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("lab", nargs="?", default="labs/seed.yml", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="record the median as the figure")
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            synth(args.lab, Path(out))
            times.append(time.perf_counter() - started)
    print(
        f"synth {args.lab}: first {times[0]:.2f} s; warm min {min(times[1:]):.2f}, "
        f"max {max(times[1:]):.2f} s ({args.runs} runs)"
    )
    print(figure(f"synth {args.lab}: warm median", statistics.median(times[1:]), args.record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
