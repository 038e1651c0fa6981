"""What lint reports: one finding per problem, each with a stable rule id, a
severity, where it is (lab path or file:line), what is wrong and how to fix it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: str
    message: str
    hint: str

    def text(self) -> str:
        return f"{self.where}: {self.severity}: {self.message} [{self.rule}]\n    hint: {self.hint}"


# lint --json's document shape: raised when a key changes meaning or goes away.
SCHEMA = "vpnlab.lint/1"


def report(findings: list[Finding], as_json: bool, strict: bool = False) -> str:
    """The findings as lint prints them, or (``as_json``) one versioned document:
    ``{"schema", "passed", "counts", "findings"}``; ``passed`` as the exit status says
    it (no error; with ``strict``, no warning either)."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    if as_json:
        failing = ("error", "warning") if strict else ("error",)
        document = {
            "schema": SCHEMA,
            "passed": not any(counts[s] for s in failing),
            "counts": counts,
            "findings": [asdict(f) for f in findings],
        }
        return json.dumps(document, indent=2)
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    return "\n".join([*(f.text() for f in findings), summary])
