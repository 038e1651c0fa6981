"""A customer's configuration, linted by the rules of the implementation it is
written for (driver/cgw/detect.py), or of the one the user names
(``--cgw-daemon``): strongSwan's (cgw_rules.py) or Libreswan's
(libreswan_rules.py). A file that reads as one but is written for the other
says so, and names the other."""

from __future__ import annotations

from pathlib import Path

from driver.analysis.cgw_rules import lint_config
from driver.analysis.cisco_asa_rules import lint_cisco_asa
from driver.analysis.cisco_ios_rules import lint_cisco_ios
from driver.analysis.findings import Finding
from driver.analysis.fortigate_rules import lint_fortigate
from driver.analysis.junos_rules import lint_junos
from driver.analysis.libreswan_rules import lint_libreswan
from driver.analysis.mikrotik_rules import lint_mikrotik
from driver.analysis.opnsense_rules import lint_opnsense
from driver.analysis.panos_rules import lint_panos
from driver.analysis.pfsense_rules import lint_pfsense
from driver.analysis.vyos_rules import lint_vyos
from driver.analysis.yamaha_rules import lint_yamaha
from driver.cgw.detect import IMPLEMENTATIONS, Detection, detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.libreswan.install import release
from driver.lab.model import Lab

LINTERS = {
    "strongswan": lint_config,
    "libreswan": lint_libreswan,
    "fortigate": lint_fortigate,
    "cisco-asa": lint_cisco_asa,
    "cisco-ios": lint_cisco_ios,
    "panos": lint_panos,
    "junos": lint_junos,
    "yamaha": lint_yamaha,
    "vyos": lint_vyos,
    "pfsense": lint_pfsense,
    "mikrotik": lint_mikrotik,
    "opnsense": lint_opnsense,
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
    out = LINTERS[chosen](lab, config, secrets)
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
