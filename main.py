"""cdktf app: synthesize one lab's Terraform (JSON, or HCL with --hcl).

    python main.py labs/seed.yml --outdir cdktf.out [--hcl]

Run by ``vpnlab synth``/``vpnlab hcl`` in a child process: cdktf is imported
only here and in modules/, and HCL output must be chosen before cdktf loads.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab", type=Path)
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"))
    parser.add_argument("--hcl", action="store_true", help="write HCL instead of JSON")
    args = parser.parse_args(argv)

    # cdktf 0.21.0: App(hcl_output=True) writes JSON into cdk.tf; this variable,
    # set before cdktf is imported, gives real HCL (docs/architecture.md).
    os.environ["SYNTH_HCL_OUTPUT"] = "true" if args.hcl else "false"
    # Debian 12 ships Node 20; jsii works with it but prints a banner on every run.
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from driver.lab.loader import load_lab  # validated before cdktf is even loaded

    lab = load_lab(args.lab)
    from cdktf import App

    from modules.stack import LabStack
    from modules.transit_stack import TransitLabStack

    stack = TransitLabStack if lab.transit_gateway is not None else LabStack
    with tempfile.TemporaryDirectory(prefix="vpnlab-synth-") as build_dir:
        app = App(outdir=str(args.outdir), skip_validation=False)
        stack(app, lab, Path(build_dir))
        app.synth()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # the driver prints it; no jsii traceback noise
        from driver.core.errors import VpnlabError

        if isinstance(exc, VpnlabError):
            print(exc, file=sys.stderr)
            sys.exit(2)
        raise
