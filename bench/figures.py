"""The benchmarks' figures beside the last recorded ones (``bench/results.json``), so
a change that makes vpnlab slower shows it when ``make bench`` runs.

    figure("vpnlab check labs/seed.yml: cold median", 3.52)
    -> vpnlab check labs/seed.yml: cold median 3.52 s (recorded 3.41 s at 40e7fb4: +3%)

``--record`` (every bench script takes it) writes the figures just measured, with
the commit and the machine, into the JSON; review the diff like any other change.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
# Below this change a figure reads as noise on a shared 2-core machine.
NOISE = 0.10


def recorded() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {"figures": {}}


def figure(name: str, seconds: float, record: bool = False) -> str:
    """The line that says ``name``'s figure beside its recorded one; recorded too if
    ``record``."""
    results = recorded()
    last = results["figures"].get(name)
    line = f"{name} {seconds:.2f} s"
    if last:
        change = (seconds - last["seconds"]) / last["seconds"]
        flag = "  SLOWER" if change > NOISE else ""
        line += f" (recorded {last['seconds']:.2f} s at {last['commit']}: {change:+.0%}){flag}"
    else:
        line += " (nothing recorded yet)"
    if record:
        results["figures"][name] = {
            "seconds": round(seconds, 2),
            "commit": _commit(),
            "date": date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, kernel {platform.release()}",
        }
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return line


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=RESULTS.parent,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"
