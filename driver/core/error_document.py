"""What ``--json`` prints when a command is refused, fails or is interrupted: one
JSON document, ``{"passed": false, "error": {"message": …}}`` (docs/exit-codes.md)."""

from __future__ import annotations

import dataclasses
import json

from driver.core.errors import LabError
from driver.core.interrupts import Interrupted


def error_document(exc: BaseException) -> str:
    """What --json prints when a command is refused or interrupted: one JSON document."""
    error: dict = {"message": str(exc)}
    if isinstance(exc, LabError):
        error = {
            "message": f"{exc.source}: the lab file has {len(exc.problems)} problem(s)",
            "source": exc.source,
            "problems": [dataclasses.asdict(p) for p in exc.problems],
        }
    elif isinstance(exc, Interrupted):
        error = {"message": f"interrupted ({exc.args[0]})", "signal": exc.args[0]}
    return json.dumps({"passed": False, "error": error}, indent=2)
