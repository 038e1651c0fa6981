"""The ``vpnlab`` command line."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from driver.cgw.detect import IMPLEMENTATIONS
from driver.core.errors import Fault, LabError, VpnlabError
from driver.core.interrupts import Interrupted, end_like_ctrl_c
from driver.core.paths import DEFAULT_LAB, HCL_ROOT, SYNTH_ROOT


def cmd_synth(args) -> int:
    from driver.synth.synthesis import synth

    started = time.monotonic()
    stack = synth(args.lab, args.outdir)
    print(f"synthesized {args.lab} -> {stack / 'cdk.tf.json'} ({time.monotonic() - started:.1f} s)")
    return 0


def cmd_hcl(args) -> int:
    from driver.synth.synthesis import OUTPUT_MARKER, export_hcl

    target = export_hcl(args.lab, args.output)
    files = sorted((target / OUTPUT_MARKER).read_text().split())
    print(f"wrote HCL for {args.lab} to {target}/: " + ", ".join(files))
    return 0


def cmd_check(args) -> int:
    import os

    from driver.core.state import LabState
    from driver.lab.loader import load_lab

    lab = load_lab(args.lab)
    if not args.cgw_config and not args.cleanup:
        _refuse_lint_errors(args, "checked")
    if os.geteuid() != 0:
        raise VpnlabError("vpnlab check needs root for network namespaces: run it with sudo")
    with LabState(lab.name).lock("check"):  # the lab's one lock: apply, verify, destroy too
        return _check_locked(args, lab)


def _check_locked(args, lab) -> int:
    from driver.local.check_command import kept_help, run_check
    from driver.local.dataplane.ownership import cleanup
    from driver.local.guest_check import check_in_guest
    from driver.local.placement import for_check

    if args.cleanup:
        removed = cleanup(lab.name)
        print("removed: " + ("; ".join(removed) if removed else "nothing (lab was not running)"))
        return 0
    if args.cgw_secrets and not args.cgw_config:
        raise VpnlabError("--cgw-secrets goes with --cgw-config")
    out = sys.stderr if args.json else sys.stdout
    placement = for_check(args, lab)
    if placement.where == "vm":
        if args.keep:
            raise VpnlabError("--keep: a guest stops with its check; --dataplane host keeps a lab")
        return check_in_guest(args, lab, placement, out)
    report = run_check(
        lab,
        cgw_config=args.cgw_config,
        cgw_secrets=args.cgw_secrets,
        keep=args.keep,
        failover=args.failover,
        replace_endpoint=args.replace_endpoint,
        lifecycle=not args.no_lifecycle,
        lint=not args.skip_lint,
        progress=_progress(out),
        dataplane=placement.reason,
        cgw_daemon=args.cgw_daemon,
    )
    print(report.to_json() if args.json else "\n" + report.table())
    if args.keep:
        print(kept_help(lab, args.lab), file=out)
    return 0 if report.passed else 1


def _target_lab(args):
    """The lab, checked for what its target needs (root for the local data plane)."""
    import os

    from driver.lab.loader import load_lab

    lab = load_lab(args.lab)
    if args.target == "local" and os.geteuid() != 0:
        raise VpnlabError(
            f"vpnlab {args.command} (local target) needs root for the data "
            "plane's network namespaces: run it with sudo"
        )
    return lab


def _progress(out=sys.stdout):
    """Progress lines as they happen, also through a pipe (tee, CI, a test)."""

    def progress(message: str) -> None:
        print(message, file=out, flush=True)

    return progress


def _refuse_lint_errors(args, what: str) -> None:
    """The lab's lint errors stop ``what``, offline and first (a check of a customer's
    files shows all findings as rows instead: driver/local/lint_rows.py)."""
    from driver.analysis.findings import report
    from driver.analysis.lint import lint

    errors = [] if args.skip_lint else [f for f in lint(args.lab) if f.severity == "error"]
    if errors:
        print(report(errors, as_json=False), file=sys.stderr)
        raise VpnlabError(
            f"lint found errors: nothing was {what} (--skip-lint to {args.command} anyway)"
        )


def cmd_apply(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.local import target as local_target

    _refuse_lint_errors(args, "applied")
    lab = _target_lab(args)
    if args.target == "aws":
        AwsTarget(lab, progress=_progress()).apply(
            args.lab, yes=args.yes, state_bucket=args.state_bucket
        )
    else:
        local_target.apply(args.lab, lab, progress=_progress())
    return 0


def cmd_verify(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.local import target as local_target

    lab = _target_lab(args)
    progress = _progress(sys.stderr if args.json else sys.stdout)
    if args.target == "aws":
        report = AwsTarget(lab, progress=progress).verify(args.timeout)
    else:
        report = local_target.verify(lab, progress=progress, timeout=args.timeout)
    print(report.to_json() if args.json else "\n" + report.table())
    return 0 if report.passed else 1


def cmd_destroy(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.local import target as local_target

    lab = _target_lab(args)
    if args.target == "aws":
        leaks = AwsTarget(lab, progress=_progress()).destroy(force_cleanup=args.force_cleanup)
    else:
        leaks = local_target.destroy(lab, progress=_progress())
    return 1 if leaks else 0


def cmd_status(args) -> int:
    from driver.lab.loader import load_lab
    from driver.local.status import status

    print(status(load_lab(args.lab)))
    return 0


def cmd_lint(args) -> int:
    from driver.analysis.findings import report
    from driver.analysis.lint import lint

    if args.cgw_secrets and not args.cgw_config:
        raise VpnlabError("--cgw-secrets goes with --cgw-config")
    findings = lint(args.lab, args.cgw_config, args.cgw_secrets, args.terraform, args.cgw_daemon)
    print(report(findings, args.json))
    return 1 if any(f.severity == "error" for f in findings) else 0


def cmd_diagram(args) -> int:
    from driver.lab.loader import load_lab
    from driver.local.status import deployed_tunnels
    from driver.render.diagram import render

    lab = load_lab(args.lab)
    tunnels = deployed_tunnels(lab)
    output = render(lab, args.output or Path("docs") / f"{lab.name}.svg", tunnels)
    state = "with the deployed tunnels' state" if tunnels else "(not deployed: no tunnel state)"
    print(f"wrote {output} {state}")
    return 0


def cmd_init(args) -> int:
    from driver.analysis.lab_from_cgw import lab_text, next_command

    text = lab_text(args.from_cgw_config, args.cgw_secrets, daemon=args.cgw_daemon)
    if args.output is None:
        print(text, end="")
    elif args.output.exists():
        raise VpnlabError(f"{args.output} exists: vpnlab init writes only a new file")
    else:
        args.output.write_text(text)
        said = next_command(args.output, args.from_cgw_config, args.cgw_secrets, args.cgw_daemon)
        print(f"wrote {args.output}; now: {said}")
    return 0


def _cgw_arguments(p: argparse.ArgumentParser, config: str = "--cgw-config") -> None:
    what = (
        "the customer gateway's configuration: ipsec.conf or swanctl.conf (strongSwan, "
        "Libreswan), a directory standing for their /etc, or a router's (FortiGate, Cisco IOS)"
    )
    p.add_argument(config, type=Path, metavar="PATH", help=what, required=config != "--cgw-config")
    p.add_argument(
        "--cgw-secrets", type=Path, metavar="FILE", help="the secrets beside a configuration file"
    )
    daemon = "the implementation the files are for (default: detected from them)"
    p.add_argument("--cgw-daemon", choices=IMPLEMENTATIONS, help=daemon)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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

    help_ = "write a lab that matches a customer gateway's configuration"
    p = sub.add_parser("init", help=help_, description=help_)
    _cgw_arguments(p, "--from-cgw-config")
    p.add_argument("-o", "--output", type=Path, help="the lab file to write (default: stdout)")
    p.set_defaults(handler=cmd_init)
    p = lab_command("synth", cmd_synth, "synthesize the lab's Terraform JSON")
    p.add_argument("--outdir", type=Path, default=SYNTH_ROOT)
    p = lab_command("hcl", cmd_hcl, "write the lab as formatted HCL for teams without Python")
    p.add_argument("-o", "--output", type=Path, default=HCL_ROOT)
    p = lab_command(
        "check", cmd_check, "prove the lab's VPN in local namespaces with real strongSwan (root)"
    )
    _cgw_arguments(p)
    for flag, help_ in (
        ("--json", "print the report as JSON"),
        ("--keep", "leave the lab running to inspect it"),
        ("--failover", "also cut the tunnel carrying the traffic; measure the seconds of loss"),
        (
            "--replace-endpoint",
            "also replace AWS's Tunnel1 endpoint, as AWS's tunnel maintenance does, and "
            "show whether the customer gateway brings the tunnel back",
        ),
        ("--no-lifecycle", "skip the rekeys (AWS's CHILD_SA with PFS, AWS's IKE SA, the "
         "customer's CHILD_SA)"),
        ("--cleanup", "remove what a kept or interrupted run left, then exit"),
        ("--skip-lint", "check even if `vpnlab lint` finds errors (the data plane's own verdict)"),
    ):  # fmt: skip
        p.add_argument(flag, action="store_true", help=help_)
    p.add_argument(
        "--dataplane",
        choices=("host", "vm"),
        help="run the namespaces on this host's kernel or in the guest kernel (default: the "
        "host when its kernel can run the configuration)",
    )
    p.add_argument("--in-guest", metavar="REASON", help=argparse.SUPPRESS)
    for name, handler, help_ in (
        ("apply", cmd_apply, "build the lab: Terraform applied to the target, data plane up"),
        ("verify", cmd_verify, "tunnels UP in VgwTelemetry, then the lab's checks"),
        ("destroy", cmd_destroy, "tear the lab down and prove nothing is left"),
    ):
        p = lab_command(name, handler, help_)
        p.add_argument(
            "--target",
            choices=("local", "aws"),
            default="local",
            help="local: the embedded AWS emulator and namespaces (default)",
        )
        if name == "verify":
            p.add_argument("--json", action="store_true", help="print the report as JSON")
            p.add_argument(
                "--timeout",
                type=float,
                metavar="SECONDS",
                help="longest wait for the VPN server and both tunnels "
                "(default: 30 local, 900 aws)",
            )
        if name == "apply":
            p.add_argument(
                "--skip-lint",
                action="store_true",
                help="apply even if `vpnlab lint` finds errors (experts)",
            )
            p.add_argument(
                "--yes",
                action="store_true",
                help="aws: skip the confirmation after the pre-flight (or AUTO_APPROVE=1)",
            )
            p.add_argument(
                "--state-bucket",
                metavar="BUCKET",
                help="aws: keep Terraform state in this S3 bucket (encrypted) "
                "instead of a local file",
            )
        if name == "destroy":
            p.add_argument(
                "--force-cleanup",
                action="store_true",
                help="aws: delete what Terraform left that carries the lab's tag",
            )
    lab_command("status", cmd_status, "what of the lab is up: emulator, resources, data plane")
    p = lab_command("diagram", cmd_diagram, "draw the lab (SVG or PNG) with Graphviz")
    p.add_argument(
        "-o", "--output", type=Path, help="FILE.svg or FILE.png (default: docs/<lab name>.svg)"
    )
    p = lab_command(
        "lint", cmd_lint, "offline checks of the lab and of a customer's strongSwan configuration"
    )
    _cgw_arguments(p)
    p.add_argument(
        "--terraform",
        type=Path,
        metavar="FILE",
        help="also check the network in a synthesized or hand-maintained "
        "Terraform JSON (e.g. cdktf.out/stacks/<lab>/cdk.tf.json)",
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    return parser


# Exit codes (README, "Bad input and what vpnlab says"): 0 passed, 1 failed (or a
# daemon vpnlab started failed: a Fault), 2 refused (bad input, nothing was changed),
# 128 + N ended by signal N.
PASSED, FAILED, REFUSED = 0, 1, 2


def error_document(exc: BaseException) -> str:
    """What --json prints when a command is refused or interrupted: one JSON document."""
    error: dict = {"message": str(exc)}
    if isinstance(exc, LabError):
        error = {
            "message": f"{exc.source}: the lab file has {len(exc.problems)} problem(s)",
            "source": exc.source,
            "problems": [dataclasses.asdict(p) for p in exc.problems],
        }
    elif isinstance(exc, Interrupted):
        error = {"message": f"interrupted ({exc.args[0]})", "signal": exc.args[0]}
    return json.dumps({"passed": False, "error": error}, indent=2)


class _Parser(argparse.ArgumentParser):
    """A usage error is a refusal too: with --json, it is a JSON document."""

    def error(self, message: str):
        if "--json" in sys.argv[1:]:
            print(error_document(VpnlabError(f"{self.prog}: {message}")))
            sys.exit(REFUSED)
        super().error(message)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    as_json = getattr(args, "json", False)
    end_like_ctrl_c()
    try:
        return args.handler(args)
    except VpnlabError as exc:  # a Fault is not the input's doing: a failed run, exit 1
        fault = isinstance(exc, Fault)
        if as_json:
            print(error_document(exc))
        if fault or not as_json:
            print(f"vpnlab: {'fault: ' if fault else ''}{exc}", file=sys.stderr)
        return FAILED if fault else REFUSED
    except KeyboardInterrupt as exc:
        interrupted = exc if isinstance(exc, Interrupted) else Interrupted()
        if as_json:
            print(error_document(interrupted))
        print(f"vpnlab: interrupted ({interrupted.args[0]})", file=sys.stderr)
        return interrupted.exit_code


if __name__ == "__main__":
    sys.exit(main())
