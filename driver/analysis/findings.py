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


def report(findings: list[Finding], as_json: bool) -> str:
    if as_json:
        return json.dumps([asdict(f) for f in findings], indent=2)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    return "\n".join([*(f.text() for f in findings), summary])
