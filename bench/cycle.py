"""Print the phases of the full local cycle: apply, verify, destroy (root).

    sudo python bench/cycle.py [LAB]

Runs the three commands as a user does (fresh processes, cold emulator) and
prints each one's wall time and apply's inner phases (synth, the last
resource Terraform created, the guest kernel's boot for a lab this host cannot
run, the data plane).
"""

import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "driver.cli", *args], cwd=PROJECT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"vpnlab {' '.join(args)} failed")
    return seconds, proc.stdout


def main() -> int:
    lab = sys.argv[1] if len(sys.argv) > 1 else "labs/seed.yml"
    apply_s, out = run("apply", lab)
    synth = re.search(r"synthesized .* \(([\d.]+) s\)", out)
    plane = re.search(r"data plane up: .* \(([\d.]+) s\)", out)
    last = re.findall(r"\[\s*([\d.]+) s\]", out)
    boot = re.search(r"guest kernel up: booted in ([\d.]+) s", out)
    verify_s, _ = run("verify", lab)
    destroy_s, _ = run("destroy", lab)
    total = apply_s + verify_s + destroy_s
    print(
        f"local cycle {lab}: apply {apply_s:.1f} s (synth {synth.group(1)} s, "
        f"last resource at {last[-1]} s, "
        + (f"guest boot {boot.group(1)} s, " if boot else "")
        + f"data plane {plane.group(1)} s), "
        f"verify {verify_s:.1f} s, destroy {destroy_s:.1f} s; total {total:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
