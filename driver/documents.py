"""lint's and status's JSON: the report's one shape (driver/checks/report.py), so
one reader, and one JSON Schema (docs/schema/report.schema.json), serves every
command: a row per finding or item, each with its status as the text shows it."""

from __future__ import annotations

from driver.analysis.findings import Finding
from driver.checks.report import Report
from driver.checks.runner import CheckResult


def lint_report(lab: str, findings: list[Finding], strict: bool) -> Report:
    """A row per finding: an error FAIL, a warning WARN, an info INFO; ``passed``
    as lint's exit status says it (with ``strict``, no warning either)."""
    rows = [
        CheckResult(
            f.rule,
            f.severity != "error",
            0.0,
            f.message,
            warning=f.severity == "warning",
            info=f.severity == "info",
            where=f.where,
            fix=f.hint,
        )
        for f in findings
    ]
    failing = ("error", "warning") if strict else ("error",)
    passed = not any(f.severity in failing for f in findings)
    return Report(lab, passed, rows, command="lint")
