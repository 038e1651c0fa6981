"""What each ``vpnlab`` command does (driver/cli.py parses the command line)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from driver.core.errors import VpnlabError


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
    _refuse_report_arguments(args)
    if args.cgw_secrets and not args.cgw_config:
        raise VpnlabError("--cgw-secrets goes with --cgw-config")
    if not args.cleanup:
        _refuse_site_arguments(args, lab)
    if not args.cgw_config and not args.cleanup:
        _refuse_lint_errors(args, "checked")
    if os.geteuid() != 0:
        from driver.core.invocation import command

        again = command(*args.typed, root=True)
        raise VpnlabError(f"vpnlab check needs root for network namespaces: {again}")
    with LabState(lab.name).lock("check"):  # the lab's one lock: apply, verify, destroy too
        return _check_locked(args, lab)


def _check_locked(args, lab) -> int:
    from driver.local.check_command import kept_help, run_check
    from driver.local.dataplane.ownership import cleanup
    from driver.local.placement import for_check

    if args.cleanup:
        removed = cleanup(lab.name)
        print("removed: " + ("; ".join(removed) if removed else "nothing (lab was not running)"))
        return 0
    from driver.core.progress import progress_lines

    out = sys.stderr if args.json else sys.stdout
    placement = for_check(args, lab)
    if placement.where == "vm" and args.keep:
        raise VpnlabError("--keep: a guest stops with its check; --dataplane host keeps a lab")
    with progress_lines(out, quiet=args.quiet) as progress:
        if placement.where == "vm":
            return _in_guest(args, lab, placement, progress)
        if lab.transit_gateway is not None:
            from driver.local.transit_check import run_transit_check

            report = run_transit_check(
                lab,
                cgw_config=args.cgw_config,
                cgw_secrets=args.cgw_secrets,
                cgw_daemon=args.cgw_daemon,
                site=args.site,
                keep=args.keep,
                lifecycle=not args.no_lifecycle,
                lint=not args.skip_lint,
                progress=progress,
                dataplane=placement.reason,
                logs=args.logs,
                failover=args.failover,
                replace_endpoint=args.replace_endpoint,
            )
        else:
            report = run_check(
                lab,
                cgw_config=args.cgw_config,
                cgw_secrets=args.cgw_secrets,
                keep=args.keep,
                failover=args.failover,
                replace_endpoint=args.replace_endpoint,
                lifecycle=not args.no_lifecycle,
                lint=not args.skip_lint,
                progress=progress,
                dataplane=placement.reason,
                cgw_daemon=args.cgw_daemon,
                logs=args.logs,
            )
    _print_report(args, report)
    outputs = _outputs(args, lab)
    if outputs:
        outputs(report)
    if args.keep:
        print(kept_help(lab, args.lab), file=out)
    return _exit_status(args, report)


def _refuse_site_arguments(args, lab) -> None:
    """What a check of a Transit Gateway lab takes (a customer's files are one site's:
    --site); said before anything runs."""
    names = [s.name for s in lab.sites]
    if lab.transit_gateway is None:
        if args.site:
            raise VpnlabError(f"--site names a Transit Gateway lab's site; {args.lab} has one VPN")
        return
    if args.cgw_config and args.site not in names:
        given = f"no site '{args.site}'" if args.site else "--site is needed"
        raise VpnlabError(
            f"{args.lab} is a Transit Gateway lab: --cgw-config is one site's customer gateway; "
            f"{given}: name one of {', '.join(names)} (--site {names[0]})"
        )
    if args.site and not args.cgw_config:
        raise VpnlabError(
            "--site names the site whose customer gateway --cgw-config is: give both, or "
            "neither (every site's VPN server rendered from the lab)"
        )


def _print_report(args, report) -> None:
    """The report on standard output: its JSON, or fitted to the terminal (-q: the
    verdict line alone; -v: every detail in full)."""
    from driver.checks.terminal import print_report

    if args.json:
        print(report.to_json())
    else:
        print_report(report, sys.stdout, -1 if args.quiet else 1 if args.verbose else 0)


def _in_guest(args, lab, placement, progress) -> int:
    """The check in the guest kernel; its report, read back on the host (its JSON), for
    the files asked for and --strict."""
    from driver.local.guest_check import check_in_guest

    outputs = _outputs(args, lab)
    reports: list = []

    def on_report(report) -> None:
        reports.append(report)
        progress.close()  # the console's last words before the report
        _print_report(args, report)
        if outputs:
            outputs(report)

    code = check_in_guest(args, lab, placement, progress, on_report)
    # --strict only turns a pass with WARN rows into 1; any failure stays what it is
    return 1 if code == 0 and reports and _exit_status(args, reports[0]) else code


def _exit_status(args, report) -> int:
    """0 passed, 1 failed; with --strict a WARN row fails too."""
    warned = args.strict and any(c.warning for c in report.checks)
    return 0 if report.passed and not warned else 1


def _refuse_report_arguments(args) -> None:
    """--report's and --junit's files can be written, --lang goes with --report
    (before any check runs)."""
    from driver.core.output_files import refuse_unwritable

    if args.lang and not args.report:
        raise VpnlabError("--lang is the report's language: it goes with --report FILE")
    if args.report and args.site:  # its fixes and redaction read a VGW lab's one VPN
        raise VpnlabError(
            "--report (the verdict for the other company) is a VGW lab's for now: a Transit "
            "Gateway site's check prints its rows; --junit FILE keeps them"
        )
    if (args.report or args.junit) and args.cleanup:
        raise VpnlabError("--cleanup checks nothing: no --report or --junit with it")
    for path, what in ((args.report, "report"), (args.junit, "JUnit file")):
        if path:
            refuse_unwritable(path, what)
    if args.logs:
        from driver.local.daemon_logs import refuse_unusable

        if args.cleanup:
            raise VpnlabError("--cleanup checks nothing: no --logs with it")
        refuse_unusable(args.logs)


def _outputs(args, lab):
    """What writes the files asked for (--report for the other company, --junit for
    CI) once the check's report exists; None when none was."""
    if not args.report and not args.junit:
        return None

    def write(report) -> None:
        from driver.checks.junit import junit
        from driver.core.output_files import write_text
        from driver.handoff.report import Customer, write_report

        if args.junit:
            write_text(args.junit, junit(report), "JUnit file")
        if args.report:
            customer = (
                Customer(args.cgw_config, args.cgw_secrets, args.cgw_daemon)
                if args.cgw_config
                else None
            )
            written = write_report(args.report, report, lab, args.lab, customer, args.lang or "en")
            print(f"wrote the report for the other company to {written}", file=sys.stderr)

    return write


def _target_lab(args):
    """The lab, checked for what its target needs (root for the local data plane)."""
    import os

    from driver.core.invocation import command
    from driver.lab.loader import load_lab

    lab = load_lab(args.lab)
    if args.target == "local" and os.geteuid() != 0:
        raise VpnlabError(
            f"vpnlab {args.command} (local target) needs root for the data "
            f"plane's network namespaces: {command(*args.typed, root=True)}"
        )
    return lab


def _refuse_lint_errors(args, what: str) -> None:
    """The lab's lint errors stop ``what``, offline and first (a check of a customer's
    files shows all findings as rows instead: driver/local/lint_rows.py)."""
    from driver.analysis.findings import report
    from driver.analysis.lint import lint

    errors = [] if args.skip_lint else [f for f in lint(args.lab) if f.severity == "error"]
    if errors:
        print(report(errors), file=sys.stderr)
        raise VpnlabError(
            f"lint found errors: nothing was {what} (--skip-lint to {args.command} anyway)"
        )


def cmd_apply(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.core.progress import progress_lines
    from driver.local import target as local_target

    _refuse_lint_errors(args, "applied")
    lab = _target_lab(args)
    with progress_lines(sys.stdout) as progress:
        if args.target == "aws":
            AwsTarget(lab, progress=progress).apply(
                args.lab, yes=args.yes, state_bucket=args.state_bucket
            )
        else:
            local_target.apply(args.lab, lab, progress=progress, dataplane=args.dataplane)
    return 0


def cmd_verify(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.local import target as local_target

    if args.junit:
        from driver.core.output_files import refuse_unwritable

        refuse_unwritable(args.junit, "JUnit file")
    from driver.core.progress import progress_lines

    lab = _target_lab(args)
    with progress_lines(sys.stderr if args.json else sys.stdout, args.quiet) as progress:
        if args.target == "aws":
            report = AwsTarget(lab, progress=progress).verify(args.timeout)
        else:
            report = local_target.verify(lab, progress, args.timeout, args.lab)
    _print_report(args, report)
    if args.junit:
        from driver.checks.junit import junit
        from driver.core.output_files import write_text

        write_text(args.junit, junit(report), "JUnit file")
    return _exit_status(args, report)


def cmd_destroy(args) -> int:
    from driver.aws.target import AwsTarget
    from driver.core.progress import progress_lines
    from driver.local import target as local_target

    lab = _target_lab(args)
    with progress_lines(sys.stdout) as progress:
        if args.target == "aws":
            leaks = AwsTarget(lab, progress=progress).destroy(force_cleanup=args.force_cleanup)
        else:
            leaks = local_target.destroy(lab, progress=progress)
    return 1 if leaks else 0


def cmd_status(args) -> int:
    from driver.lab.loader import load_lab
    from driver.local.status import status, status_text

    report = status(load_lab(args.lab))
    print(report.to_json() if args.json else status_text(report))
    return 0


def cmd_lint(args) -> int:
    from driver.analysis.findings import report
    from driver.analysis.lint import all_rules, lint
    from driver.analysis.sarif import sarif
    from driver.core.output_files import refuse_unwritable, write_text
    from driver.documents import lint_report

    if args.cgw_secrets and not args.cgw_config:
        raise VpnlabError("--cgw-secrets goes with --cgw-config")
    if args.sarif:
        refuse_unwritable(args.sarif, "SARIF file")
    findings = lint(args.lab, args.cgw_config, args.cgw_secrets, args.terraform, args.cgw_daemon)
    document = lint_report(str(args.lab), findings, args.strict)  # passed: lint's one rule
    print(document.to_json() if args.json else report(findings))
    if args.sarif:
        write_text(args.sarif, sarif(findings, all_rules()), "SARIF file")
    return 0 if document.passed else 1


def cmd_diagram(args) -> int:
    from driver.lab.loader import load_lab
    from driver.local.status import deployed_tunnels
    from driver.render.diagram import render
    from driver.render.diagram_report import from_report

    lab = load_lab(args.lab)
    paths = None
    if lab.transit_gateway is not None and args.from_report:
        raise VpnlabError(
            f"{args.lab} is a Transit Gateway lab: its diagram draws the route tables as "
            "the lab resolves them, not a report's states (yet); leave out --from-report"
        )
    output = args.output or Path("docs") / f"{lab.name}.svg"
    if lab.transit_gateway is not None:  # its route tables; no tunnel states drawn (yet)
        from driver.render import transit_diagram

        written = transit_diagram.render(lab, output)
        print(f"wrote {written} (a Transit Gateway lab: its route tables as the lab resolves them)")
        return 0
    if args.from_report:
        tunnels, paths = from_report(lab, args.from_report)
        state = f"with the tunnels and paths of {args.from_report}"
    else:
        tunnels = deployed_tunnels(lab)
        state = "with the deployed tunnels' state" if tunnels else "(not deployed: no tunnel state)"
    print(f"wrote {render(lab, output, tunnels, paths)} {state}")
    return 0
