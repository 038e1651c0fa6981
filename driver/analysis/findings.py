"""What lint reports: one finding per problem, each with a stable rule id, a
severity, where it is (lab path or file:line), what is wrong and how to fix it.
(Its JSON is the report's shape: driver/documents.py.)"""

from __future__ import annotations

from dataclasses import dataclass

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


def report(findings: list[Finding]) -> str:
    """The findings as lint prints them, and how many of each severity."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    return "\n".join([*(f.text() for f in findings), summary])
