"""The report of a verify or a check: each expectation's result, the tunnels
and what they carried, failover, leaks; as JSON (driver/checks/terminal.py
shows it as a table)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from driver.checks.runner import CheckResult, TunnelReport

# The JSON document's shape: raised when a key changes meaning or goes away.
SCHEMA = "vpnlab.report/1"


@dataclass
class Report:
    lab: str
    passed: bool
    checks: list[CheckResult]
    tunnels: list[TunnelReport] = field(default_factory=list)
    failover_seconds: float | None = None
    customer_gateway: str = ""
    esp: str = ""
    dataplane: str = ""  # which kernel ran it, and why (driver/local/placement.py)
    seconds: float = 0.0
    leaks: list[str] = field(default_factory=list)
    diagnostics: str = ""  # what was fetched from the VPN server when a wait failed

    def to_json(self) -> str:
        """The report as one versioned document; each row carries its status as the
        table shows it (PASS, WARN, SKIP, FAIL): ``passed`` alone is true for all but
        FAIL."""
        document = {"schema": SCHEMA, **asdict(self)}
        for row, check in zip(document["checks"], self.checks, strict=True):
            row["status"] = check.verdict
        return json.dumps(document, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Report | None:
        """A report ``to_json`` wrote (a guest's check), or None for another document
        (a refusal's ``{"passed": false, "error": …}``)."""
        data = json.loads(text)
        if not isinstance(data, dict) or "checks" not in data:
            return None
        data.pop("schema", None)
        data["checks"] = [
            CheckResult(**{k: v for k, v in c.items() if k != "status"}) for c in data["checks"]
        ]
        data["tunnels"] = [TunnelReport(**t) for t in data.get("tunnels", [])]
        return cls(**data)


def counted(checks: list[CheckResult]) -> str:
    """' (1 skipped, 2 warnings)': the rows that are neither PASS nor FAIL."""
    skipped, warned = sum(c.skipped for c in checks), sum(c.warning for c in checks)
    parts = [f"{skipped} skipped"] if skipped else []
    parts += [f"{warned} warning{'s' if warned > 1 else ''}"] if warned else []
    return f" ({', '.join(parts)})" if parts else ""
