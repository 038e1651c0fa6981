"""``vpnlab check`` in the guest kernel: the same command, run inside it.

The host has already refused a lab lint finds wrong and chosen the guest (driver/local/
placement.py); the guest runs ``vpnlab check --dataplane host`` on its own
kernel with the same lab and customer files (it sees this machine's root), so
its report is the report. Its console is shown as it comes.
"""

from __future__ import annotations

import json
import sys

from driver.checks.report import Report
from driver.core.error_document import error_document
from driver.core.errors import Fault
from driver.core.progress import Progress
from driver.lab.model import Lab
from driver.local import daemon_logs
from driver.local.guest.vm import FOLDER, Guest
from driver.local.placement import Placement

PASSED_ON = ("failover", "replace_endpoint", "no_lifecycle", "skip_lint")
NO_REPORT = "the guest's check gave no report (its console's last lines say why)"


def guest_command(args, reason: str) -> list[str]:
    """The check as the guest runs it, on its own kernel (it lints as the host did:
    the findings are rows of its report); its report is a JSON document the host
    prints as the user asked."""
    command = [sys.executable, "-m", "driver.cli", "check", str(args.lab.resolve()), "--json"]
    command += ["--dataplane", "host", "--in-guest", reason]
    command += [f"--{flag.replace('_', '-')}" for flag in PASSED_ON if getattr(args, flag)]
    for flag in ("cgw_config", "cgw_secrets"):
        if getattr(args, flag):
            command += [f"--{flag.replace('_', '-')}", str(getattr(args, flag).resolve())]
    if args.logs:  # into the folder it shares, brought out after
        command += ["--logs", f"{FOLDER}/logs"]
    if args.cgw_daemon:
        command += ["--cgw-daemon", args.cgw_daemon]
    if args.site:
        command += ["--site", args.site]
    return command


def check_in_guest(args, lab: Lab, placement: Placement, console: Progress, on_report) -> int:
    """The check in the guest; ``on_report`` is given its report (read from the
    guest's JSON). Its console (progress, waits) goes through ``console``."""
    console(f"starting the {placement.reason}...")
    guest = Guest(placement.guest, f"vpnlab-{lab.name}")
    logs, kept = args.logs, {}
    collect = (
        (lambda shared: kept.update(daemon_logs.from_guest(shared / "logs"))) if logs else None
    )
    command = guest_command(args, placement.reason)
    try:
        [result] = guest.run([command], console, echo=False, collect=collect)
    finally:
        if logs:  # what the guest's check kept, if it got that far (else an empty folder)
            daemon_logs.keep(kept, logs)
    report = _report(result.stdout)
    if report is not None:
        on_report(report)
        return _leaks_said(guest) or result.returncode
    said = _said(result.stdout)
    if console.quiet:  # -q kept the guest's console from the screen: its last words
        print("\n".join(console.tail), file=sys.stderr)
    if args.json:  # the guest's own refusal, or one saying it gave none: one document
        refusal = result.stdout.strip().startswith("{") and said != NO_REPORT
        print(result.stdout.rstrip("\n") if refusal else error_document(Fault(said)))
    else:
        print(f"vpnlab: {said}; no report was written", file=sys.stderr)
    return _leaks_said(guest) or result.returncode or 1


def _report(stdout: str) -> Report | None:
    """The guest's report, or None (a refusal's document, nothing, a cut-off one)."""
    try:
        return Report.from_json(stdout) if stdout.strip().startswith("{") else None
    except (ValueError, TypeError):
        return None


def _leaks_said(guest: Guest) -> int:
    """1 if the guest left anything (the lab's own leak check ran inside it)."""
    leaks = guest.leaks()
    if leaks:
        print(f"FAIL teardown leaves nothing: {'; '.join(leaks)}", file=sys.stderr)
        return 1
    return 0


def _said(document: str) -> str:
    """What a guest's JSON refusal says (``{"passed": false, "error": {"message"…}}``)."""
    try:
        return json.loads(document)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return NO_REPORT
