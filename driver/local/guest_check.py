"""``vpnlab check`` in the guest kernel: the same command, run inside it.

The host has already refused a lab lint finds wrong and chosen the guest (driver/local/
placement.py); the guest runs ``vpnlab check --dataplane host`` on its own
kernel with the same lab and customer files (it sees this machine's root), so
its report is the report. Its console is shown as it comes.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from driver.checks.report import Report
from driver.lab.model import Lab
from driver.local.guest.vm import Guest
from driver.local.placement import Placement

PASSED_ON = ("json", "failover", "replace_endpoint", "no_lifecycle", "skip_lint")


def guest_command(args, reason: str) -> list[str]:
    """The check as the guest runs it, on its own kernel (it lints as the host did:
    the findings are rows of its report)."""
    command = [sys.executable, "-m", "driver.cli", "check", str(args.lab.resolve())]
    command += ["--dataplane", "host", "--in-guest", reason]
    command += [f"--{flag.replace('_', '-')}" for flag in PASSED_ON if getattr(args, flag)]
    for flag in ("cgw_config", "cgw_secrets"):
        if getattr(args, flag):
            command += [f"--{flag.replace('_', '-')}", str(getattr(args, flag).resolve())]
    if args.cgw_daemon:
        command += ["--cgw-daemon", args.cgw_daemon]
    return command


def check_in_guest(args, lab: Lab, placement: Placement, console: TextIO, on_report=None) -> int:
    """The check in the guest; ``on_report`` is given its report (read from the
    guest's JSON, which the guest then prints as the table it would have)."""
    print(f"starting the {placement.reason}", file=console, flush=True)
    guest = Guest(placement.guest, f"vpnlab-{lab.name}")
    command = guest_command(args, placement.reason)
    if on_report is not None and "--json" not in command:
        command.append("--json")
    [result] = guest.run([command], console)
    report = Report.from_json(result.stdout) if result.stdout.strip().startswith("{") else None
    if on_report is not None and report is not None:
        on_report(report)
        if not args.json:
            print("\n" + report.table())
    elif on_report is not None and not args.json:  # the guest refused: its one document
        print(f"vpnlab: {_said(result.stdout)}; no report was written", file=sys.stderr)
    if args.json:  # the console went to stderr; the report alone to stdout
        print(result.stdout, end="")
    leaks = guest.leaks()  # the lab's own leak check ran inside the guest
    if leaks:
        print(f"FAIL teardown leaves nothing: {'; '.join(leaks)}", file=console)
        return 1
    return result.returncode


def _said(document: str) -> str:
    """What a guest's JSON refusal says (``{"passed": false, "error": {"message"…}}``)."""
    try:
        return json.loads(document)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return "the guest's check gave no report"
