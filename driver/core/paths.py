"""Where vpnlab keeps its files (all inside the checkout, all git-ignored), and
that they are private.

The state folder holds the tunnels' pre-shared keys (Terraform's state, the
emulated VGW's swanctl.conf, the AWS target's plan): it is 0700, and every
process that imports vpnlab creates files 0600 and folders 0700 (umask 077),
Terraform, charon and the emulator included, since they inherit it. Files
meant to be shared (the HCL hand-off, the diagram) are made readable
explicitly (``shareable``).
"""

import contextlib
import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
STATE_ROOT = PROJECT / ".vpnlab"  # per-lab state, Terraform CLI config, caches
SYNTH_ROOT = PROJECT / "cdktf.out"  # synthesized Terraform JSON
HCL_ROOT = PROJECT / "hcl.out"  # default HCL hand-off directory
DEFAULT_LAB = PROJECT / "labs" / "seed.yml"
PRIVATE_UMASK = 0o077

os.umask(PRIVATE_UMASK)
STATE_ROOT.mkdir(mode=0o700, exist_ok=True)
with contextlib.suppress(PermissionError):  # a checkout another user owns: theirs to set
    STATE_ROOT.chmod(0o700)


def shareable(path: Path) -> None:
    """Make an output meant for others readable (no keys in it): 0644 / 0755."""
    for item in [path, *(path.rglob("*") if path.is_dir() else ())]:
        item.chmod(0o755 if item.is_dir() else 0o644)
