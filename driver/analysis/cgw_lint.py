"""A customer's configuration, linted by the rules of the implementation it is
written for (driver/cgw/detect.py), or of the one the user names
(``--cgw-daemon``): strongSwan's (cgw_rules.py) or Libreswan's
(libreswan_rules.py). A file that reads as one but is written for the other
says so, and names the other."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from driver.analysis.findings import Finding
from driver.cgw.detect import IMPLEMENTATIONS, Detection, detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.libreswan.install import release
from driver.lab.model import Lab

# Each implementation's rules: their module under driver/analysis and its function,
# imported when first used (a lab with no customer file imports none of them).
LINTERS = {
    "strongswan": ("cgw_rules", "lint_config"),
    "libreswan": ("libreswan_rules", "lint_libreswan"),
    "fortigate": ("fortigate_rules", "lint_fortigate"),
    "cisco-asa": ("cisco_asa_rules", "lint_cisco_asa"),
    "cisco-ios": ("cisco_ios_rules", "lint_cisco_ios"),
    "panos": ("panos_rules", "lint_panos"),
    "junos": ("junos_rules", "lint_junos"),
    "yamaha": ("yamaha_rules", "lint_yamaha"),
    "vyos": ("vyos_rules", "lint_vyos"),
    "pfsense": ("pfsense_rules", "lint_pfsense"),
    "mikrotik": ("mikrotik_rules", "lint_mikrotik"),
    "opnsense": ("opnsense_rules", "lint_opnsense"),
}
DAEMON_RULES = {
    "conf-implementation": "which implementation the files were read as, and why",
    "conf-other-daemon": "the files are written for another implementation than --cgw-daemon",
}


def lint_customer(
    lab: Lab, config: Path, secrets: Path | None, daemon: str | None = None
) -> list[Finding]:
    found = detect(config, secrets)
    chosen = daemon or found.implementation
    out = linter(chosen)(lab, config, secrets)
    if daemon and found.signs and found.implementation != daemon:
        out.append(_other(found, daemon, config))
    elif chosen != "strongswan":  # strongSwan's is the default: said only when it is not
        out.append(
            Finding(
                "conf-implementation",
                "info",
                str(config),
                f"read as {_release(chosen, config)}: "
                + ("--cgw-daemon says so" if daemon else _signs(found)),
                "--cgw-daemon strongswan reads it as strongSwan's",
            )
        )
    return out


def linter(implementation: str) -> Callable[[Lab, Path, Path | None], list[Finding]]:
    module, function = LINTERS[implementation]
    return getattr(importlib.import_module(f"driver.analysis.{module}"), function)


def _release(implementation: str, config: Path) -> str:
    """Whose files they were read as: the implementation and the release whose rules
    judged them."""
    if implementation in ROUTERS:
        dialect = ROUTERS[implementation]
        return f"{dialect.a_title}'s ({dialect.release_for(config)} defaults)"
    return f"{IMPLEMENTATIONS[implementation]} {release()}'s"


def _other(found: Detection, daemon: str, config: Path) -> Finding:
    return Finding(
        "conf-other-daemon",
        "warning",
        str(config),
        f"read as {IMPLEMENTATIONS[daemon]}'s as --cgw-daemon says, but written for "
        f"{found.title}: {_signs(found)}",
        f"--cgw-daemon {found.implementation} (or leave it out: vpnlab detects it)",
    )


def _signs(found: Detection) -> str:
    shown = "; ".join(found.signs[:3])
    return shown + (f" and {len(found.signs) - 3} more" if len(found.signs) > 3 else "")
