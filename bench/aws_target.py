"""Time the AWS target's code path with the embedded emulator as the account (root).

    sudo python bench/aws_target.py [LAB]

apply --target aws (plan, pre-flight, apply), the emulated instances booting
(the data plane), verify --target aws (SSM agents, user data, VgwTelemetry,
ping over SSM Run Command, Reachability Analyzer), destroy with its leak
check. What it measures is vpnlab's own overhead on that path; on AWS the
waits for the real services dominate (README, "What takes how long on AWS").
"""

import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from driver.aws.target import AwsTarget  # noqa: E402
from driver.core.state import LabState  # noqa: E402
from driver.lab.loader import load_lab  # noqa: E402
from driver.local import applied_dataplane  # noqa: E402
from driver.local.emulator.process import Emulator  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else PROJECT / "labs" / "seed.yml")
    lab = load_lab(path)
    emulator = Emulator.start(Path(tempfile.mkdtemp()) / "emulator.log")
    os.environ.update(
        VPNLAB_AWS_ENDPOINT_URL=emulator.url,
        **emulator.environment(),
    )
    target, state = AwsTarget(lab, progress=lambda m: None), LabState(lab.name)
    seconds: dict[str, float] = {}
    try:
        started = time.perf_counter()
        target.apply(path, yes=True)
        seconds["apply"] = time.perf_counter() - started
        started = time.perf_counter()
        applied_dataplane.build_dataplane(lab, state, emulator, target.terraform().outputs())
        seconds["boot (data plane)"] = time.perf_counter() - started
        started = time.perf_counter()
        report = target.verify(timeout=60)
        seconds["verify"] = time.perf_counter() - started
        if not report.passed:
            print(report.table(), file=sys.stderr)
    finally:
        applied_dataplane.stop_dataplane(lab, state)
        started = time.perf_counter()
        left = target.destroy(force_cleanup=True)
        seconds["destroy"] = time.perf_counter() - started
        emulator.stop()
    print(
        f"aws target on the emulator, {path.name}: "
        + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items())
        + f"; verify {'PASSED' if report.passed else 'FAILED'}; "
        + ("nothing left" if not left else f"LEFT: {left}")
    )
    return 0 if report.passed and not left else 1


if __name__ == "__main__":
    sys.exit(main())
