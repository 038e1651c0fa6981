"""The ``vpnlab`` command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from driver.errors import VpnlabError
from driver.paths import DEFAULT_LAB, HCL_ROOT, SYNTH_ROOT


def cmd_synth(args) -> int:
    from driver.synth import synth

    started = time.monotonic()
    stack = synth(args.lab, args.outdir)
    print(f"synthesized {args.lab} -> {stack / 'cdk.tf.json'} ({time.monotonic() - started:.1f} s)")
    return 0


def cmd_hcl(args) -> int:
    from driver.synth import export_hcl

    target = export_hcl(args.lab, args.output)
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    print(f"wrote HCL for {args.lab} to {target}/: " + ", ".join(files))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vpnlab",
        description="Prove an AWS Site-to-Site VPN design before connecting it for real.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def lab_command(name: str, handler, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument(
            "lab",
            nargs="?",
            type=Path,
            default=DEFAULT_LAB,
            help="lab file (default: labs/seed.yml)",
        )
        p.set_defaults(handler=handler)
        return p

    p = lab_command("synth", cmd_synth, "synthesize the lab's Terraform JSON")
    p.add_argument("--outdir", type=Path, default=SYNTH_ROOT)
    p = lab_command("hcl", cmd_hcl, "write the lab as formatted HCL for teams without Python")
    p.add_argument("-o", "--output", type=Path, default=HCL_ROOT)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except VpnlabError as exc:
        print(f"vpnlab: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vpnlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
