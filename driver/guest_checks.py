"""Several ``vpnlab check`` runs in one Python process, inside one guest.

Under the guest's software emulation Python's imports take ~20 s: a test suite
(or anyone with several scenarios) pays them once. Each check's report goes to
``<folder>/check-<n>.out`` and its exit code to ``check-<n>.rc``; progress goes
to the console. Run as ``python -m driver.guest_checks FOLDER JSON``,
JSON being the list of each check's arguments (after ``vpnlab``).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path


def main(folder: Path, checks: list[list[str]]) -> int:
    from driver.cli import main as vpnlab

    for n, argv in enumerate(checks):
        with open(folder / f"check-{n}.out", "w") as out, contextlib.redirect_stdout(out):
            code = vpnlab(argv)
        (folder / f"check-{n}.rc").write_text(f"{code}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), json.loads(sys.argv[2])))
