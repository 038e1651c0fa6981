"""Where vpnlab keeps its files (all inside the checkout, all git-ignored)."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STATE_ROOT = PROJECT / ".vpnlab"  # per-lab state, Terraform CLI config, caches
SYNTH_ROOT = PROJECT / "cdktf.out"  # synthesized Terraform JSON
HCL_ROOT = PROJECT / "hcl.out"  # default HCL hand-off directory
DEFAULT_LAB = PROJECT / "labs" / "seed.yml"

STATE_ROOT.mkdir(exist_ok=True)
