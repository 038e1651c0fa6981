"""A check's or verify's result (its ``--json``) as the diagram's colours: each
tunnel UP or DOWN as the VGW held it, each direction's path by its pings."""

from __future__ import annotations

import json
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.input_files import read_text
from driver.lab.model import Lab
from driver.render.diagram import PathState, TunnelState

PINGS = {"aws_to_onprem": "aws: ping", "onprem_to_aws": "onprem: ping"}
REPORT_LIMIT = 8 * 1024 * 1024  # a report is some kilobytes


def from_report(lab: Lab, path: Path) -> tuple[list[TunnelState], PathState]:
    try:
        document = json.loads(read_text(path, REPORT_LIMIT, "report"))
    except ValueError as exc:
        raise VpnlabError(f"{path}: not a vpnlab report (its JSON does not parse: {exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("checks"), list):
        raise VpnlabError(f"{path}: not a vpnlab report (check --json or verify --json writes one)")
    if document.get("command", "check") not in ("check", "verify"):
        raise VpnlabError(
            f"{path} is {document.get('command')}'s report: it has no tunnels or pings to "
            "draw (check --json or verify --json writes one)"
        )
    if document.get("lab") != lab.name:
        raise VpnlabError(f"{path} is lab {document.get('lab')!r}'s report, not lab {lab.name!r}'s")
    tunnels = [
        TunnelState(
            str(t.get("address", "")),
            "UP" if (t.get("state"), t.get("child")) == ("ESTABLISHED", "INSTALLED") else "DOWN",
        )
        for t in document.get("tunnels", [])
        if isinstance(t, dict)
    ]
    rows = [r for r in document["checks"] if isinstance(r, dict)]
    paths = {
        direction: _worst([r.get("status") for r in rows if str(r.get("name", "")).startswith(p)])
        for direction, p in PINGS.items()
    }
    return tunnels, PathState(**paths)


def _worst(statuses: list) -> str | None:
    """A direction's pings as one, the worst of them (FAIL, then WARN); none if
    there were none."""
    if not statuses:
        return None
    return next((s for s in ("FAIL", "WARN") if s in statuses), "PASS")
