"""The ``vpnlab`` command line."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from driver.cgw.detect import IMPLEMENTATIONS
from driver.commands import (
    cmd_apply,
    cmd_check,
    cmd_destroy,
    cmd_diagram,
    cmd_hcl,
    cmd_lint,
    cmd_status,
    cmd_synth,
    cmd_verify,
)
from driver.core.error_document import error_document
from driver.core.errors import Fault, VpnlabError
from driver.core.interrupts import Interrupted, end_like_ctrl_c
from driver.core.paths import DEFAULT_LAB, HCL_ROOT, STATE_DIR_VARIABLE, SYNTH_ROOT
from driver.file_commands import cmd_examples, cmd_init, cmd_sheet

SERVERS = ("strongswan", "libreswan")  # configured by files; the rest are routers' exports


def _cgw_arguments(p: argparse.ArgumentParser, config: str = "--cgw-config", group=None) -> None:
    routers = [title for name, title in IMPLEMENTATIONS.items() if name not in SERVERS]
    what = (
        "the customer gateway's configuration: ipsec.conf or swanctl.conf (strongSwan, "
        "Libreswan), a directory standing for their /etc, or a router's as exported "
        f"({', '.join(routers)})"
    )
    (group or p).add_argument(config, type=Path, metavar="PATH", help=what)
    p.add_argument(
        "--cgw-secrets", type=Path, metavar="FILE", help="the secrets beside a configuration file"
    )
    daemon = "the implementation the files are for (default: detected from them)"
    p.add_argument("--cgw-daemon", choices=IMPLEMENTATIONS, help=daemon)


def _ci_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--junit",
        type=Path,
        metavar="FILE",
        help="also write the report as JUnit XML (a testcase per row), as CI systems show tests",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on a WARN row too")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "-q", "--quiet", action="store_true", help="print the verdict line alone (no progress)"
    )
    shown.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every detail in full (a terminal folds long ones)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vpnlab",
        description="Prove an AWS Site-to-Site VPN design before connecting it for real.",
    )
    parser.add_argument(
        "--version",
        action=_Version,
        help="print vpnlab's version and its engines' (strongSwan, FRR, Libreswan, "
        "Terraform, qemu, the guest kernel) on this machine, then exit",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help=f"where labs keep their state (keys included: made 0700) (default: .vpnlab in "
        f"the current directory, or ${STATE_DIR_VARIABLE})",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def lab_command(name: str, handler, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument(
            "lab",
            nargs="?",
            type=Path,
            help=f"lab file (default: {DEFAULT_LAB}, as in a checkout's root; "
            "`vpnlab examples` writes example labs here)",
        )
        p.set_defaults(handler=handler)
        return p

    help_ = "write a lab that matches a customer gateway's configuration or their answers"
    p = sub.add_parser("init", help=help_, description=help_)
    source = p.add_mutually_exclusive_group(required=True)
    _cgw_arguments(p, "--from-cgw-config", source)
    source.add_argument(
        "--from-answers",
        type=Path,
        metavar="FILE",
        help="the questionnaire the other company filled in (vpnlab sheet --questionnaire): "
        "its YAML or workbook",
    )
    p.add_argument("-o", "--output", type=Path, help="the lab file to write (default: stdout)")
    p.set_defaults(handler=cmd_init)
    p = lab_command("synth", cmd_synth, "synthesize the lab's Terraform JSON")
    p.add_argument("--outdir", type=Path, default=SYNTH_ROOT)
    p = lab_command("hcl", cmd_hcl, "write the lab as formatted HCL for teams without Python")
    p.add_argument("-o", "--output", type=Path, default=HCL_ROOT)
    p = lab_command(
        "check",
        cmd_check,
        "prove the lab's VPN in local namespaces: the emulated AWS endpoints against the "
        "customer gateway's real daemon (strongSwan, Libreswan, a router's twin) (root)",
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
    p.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="also write the verdict for the other company (Markdown): what was tested, "
        "each failing item with its fix in their configuration's terms, no keys",
    )
    p.add_argument("--lang", choices=("en", "ja"), help="the report's language (default: en)")
    p.add_argument(
        "--logs",
        type=Path,
        metavar="DIR",
        help="also keep each daemon's log as the check ended (AWS's endpoints, the customer "
        "gateway's daemon, FRR) in DIR, a new folder only you can read",
    )
    p.add_argument(
        "--site",
        metavar="NAME",
        help="a Transit Gateway lab: the site whose customer gateway --cgw-config is (the "
        "other sites' VPN servers run as the lab renders them)",
    )
    _ci_arguments(p)
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
            _ci_arguments(p)
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
                "--dataplane",
                choices=("host", "vm"),
                help="local: run the data plane on this host's kernel or in a guest kernel "
                "kept until destroy (default: the host when its kernel can run the lab)",
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
    p = lab_command(
        "sheet", cmd_sheet, "write the parameter sheet for the other company's customer gateway"
    )
    p.add_argument(
        "--target",
        choices=("local", "aws"),
        help="the VPN connection as the applied target holds it (default: the lab's plan)",
    )
    p.add_argument(
        "--site",
        metavar="NAME",
        help="a Transit Gateway lab: the site whose customer gateway the sheet is for",
    )
    p.add_argument("--lang", choices=("en", "ja"), default="en", help="the sheet's language")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="the sheet as Markdown, or an Excel workbook when FILE ends in .xlsx (default: "
        "Markdown on stdout)",
    )
    p.add_argument(
        "--questionnaire",
        action="store_true",
        help="write instead what to ask the other company before designing (YAML, or a "
        "workbook with -o FILE.xlsx); filled in, `vpnlab init --from-answers` reads it",
    )
    p.add_argument(
        "--keys-file",
        type=Path,
        metavar="FILE",
        help="also write the pre-shared keys to this new file, readable only by you "
        "(the sheet never holds them)",
    )
    p = lab_command("status", cmd_status, "what of the lab is up: emulator, resources, data plane")
    p.add_argument("--json", action="store_true", help="print it as JSON (the report's shape)")
    help_ = "list the example labs, or write the ones named into the current directory"
    p = sub.add_parser("examples", help=help_, description=help_)
    p.add_argument("names", nargs="*", metavar="NAME", help="an example to write as NAME.yml")
    p.set_defaults(handler=cmd_examples)
    p = lab_command("diagram", cmd_diagram, "draw the lab (SVG or PNG) with Graphviz")
    p.add_argument(
        "-o", "--output", type=Path, help="FILE.svg or FILE.png (default: docs/<lab name>.svg)"
    )
    p.add_argument(
        "--from-report",
        type=Path,
        metavar="FILE",
        help="colour each tunnel and each direction's path by a check's or verify's "
        "result (its --json), instead of the deployed lab's tunnels",
    )
    p = lab_command(
        "lint",
        cmd_lint,
        "offline checks of the lab and of the customer gateway's configuration, in its "
        "vendor's words",
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
    p.add_argument(
        "--sarif",
        type=Path,
        metavar="FILE",
        help="also write the findings as SARIF 2.1.0, as code-scanning tools read them",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too, not only errors")
    return parser


# Exit codes (README, "Bad input and what vpnlab says"): 0 passed, 1 failed (or a
# daemon vpnlab started failed: a Fault), 2 refused (bad input, nothing was changed),
# 128 + N ended by signal N.
PASSED, FAILED, REFUSED = 0, 1, 2
BROKEN_PIPE = 128 + signal.SIGPIPE  # 141, as the shell reports a writer SIGPIPE ended


class _Version(argparse.Action):
    """--version: asked of each engine when given (argparse's own prints a constant)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from driver.engines import version_text

        print(version_text())
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """A usage error is a refusal too: with --json, it is a JSON document."""

    def error(self, message: str):
        if "--json" in sys.argv[1:]:
            print(error_document(VpnlabError(f"{self.prog}: {message}")))
            sys.exit(REFUSED)
        super().error(message)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)  # --version and --help print here
    except BrokenPipeError:
        return _reader_gone()
    args.typed = list(sys.argv[1:] if argv is None else argv)  # to say it again (sudo …)
    as_json = getattr(args, "json", False)
    end_like_ctrl_c()
    try:
        _settle(args)
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
    except BrokenPipeError:
        return _reader_gone()


def _settle(args) -> None:
    """The state folder (what vpnlab runs inherits it), and the lab when none was given."""
    if args.state_dir:
        os.environ[STATE_DIR_VARIABLE] = str(args.state_dir.absolute())
    if "lab" in args and args.lab is None:
        if not DEFAULT_LAB.is_file():
            raise VpnlabError(
                f"no lab file given, and no {DEFAULT_LAB} here: name one "
                "(`vpnlab examples seed` writes the seed's lab as seed.yml)"
            )
        args.lab = DEFAULT_LAB


def _reader_gone() -> int:
    """The reader went away (`vpnlab … | head`): what was running has torn down on the
    way here; end as a writer killed by SIGPIPE does, without a traceback. stdout
    points at /dev/null so Python's own flush at exit cannot raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
