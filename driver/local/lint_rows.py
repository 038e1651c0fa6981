"""``vpnlab lint``'s findings as rows of a check: the customer's files judged
offline decide the verdict as the run does.

An error in the customer's files (a key that is not the lab's, a connection
strongSwan drops, a script the files lack) is a FAIL row, whatever the run
shows: a tunnel that comes up in the lab can still fail at the real cut-over
for it. Findings about the lab itself (its routes, its proposals' strength)
do not decide the customer's verdict: one WARN row lists them.
"""

from __future__ import annotations

from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.analysis.findings import Finding
from driver.analysis.lab_rules import lint_lab
from driver.checks.runner import CheckResult
from driver.lab.model import Lab

SHOWN = 4  # findings quoted in the warnings row; `vpnlab lint` lists them all


def findings(
    lab: Lab, cgw_config: Path | None, cgw_secrets: Path | None, daemon: str | None = None
) -> list[Finding]:
    """The lab's findings, then the customer's files' (as ``vpnlab lint`` gives them)."""
    if lab.transit_gateway is not None:  # its sites' connections and route tables
        from driver.analysis.transit_gateway_rules import lint_transit_lab

        return lint_transit_lab(lab, "lab")
    out = lint_lab(lab, "lab")
    if cgw_config is not None:
        out += lint_customer(lab, cgw_config, cgw_secrets, daemon)
    return out


def rows(found: list[Finding]) -> list[CheckResult]:
    """A FAIL row per rule the customer's files break; one WARN row for the rest."""
    errors: dict[str, list[Finding]] = {}
    for f in found:
        if f.severity == "error" and f.rule.startswith(("conf-", "bgp-")):
            errors.setdefault(f.rule, []).append(f)
    out = [
        CheckResult(
            f"lint: {rule}",
            False,
            0.0,
            "; ".join(f"{f.where}: {f.message}" for f in these) + f" (fix: {these[0].hint})",
        )
        for rule, these in errors.items()
    ]
    warned = [f for f in found if f.severity != "info" and f.rule not in errors]
    if warned:
        quoted = "; ".join(f"{f.rule} ({f.where})" for f in warned[:SHOWN])
        more = f" and {len(warned) - SHOWN} more" if len(warned) > SHOWN else ""
        out.append(
            CheckResult(
                "lint: warnings",
                True,
                0.0,
                f"{quoted}{more}; they do not decide this verdict: `vpnlab lint` explains each",
                warning=True,
            )
        )
    return out


# Rules whose finding explains pings that fail over tunnels that are up.
EXPLAIN_PINGS = ("conf-no-policies", "conf-missing-script", "conf-no-interface", "conf-selectors")


def cite(checks: list[CheckResult], found: list[Finding]) -> None:
    """A failed ping names what the customer's files already said would stop it."""
    said = [f for f in found if f.severity == "error" and f.rule in EXPLAIN_PINGS]
    if not said:
        return
    why = "; ".join(f"{f.rule} ({f.where})" for f in said[:SHOWN])
    for row in checks:
        if ": ping " in row.name and not row.passed:
            row.detail += f"; the customer's files say why: {why}"
