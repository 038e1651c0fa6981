"""``vpnlab lint``: offline checks of a lab and of a customer's configuration
(strongSwan's or Libreswan's).

No AWS account, no root, no network. Every finding has a stable rule id, a
severity, where it is (lab path or file:line), what is wrong and how to fix
it; all findings are reported at once. ``all_rules()`` lists every rule.
"""

from __future__ import annotations

from pathlib import Path

from driver.analysis.cgw_bgp_rules import BGP_RULES
from driver.analysis.cgw_lint import DAEMON_RULES, lint_customer
from driver.analysis.findings import SEVERITIES, Finding
from driver.analysis.lab_rules import LAB_RULES, lint_lab
from driver.analysis.terraform_rules import NET_RULES, lint_terraform
from driver.analysis.transit_gateway_rules import TRANSIT_GATEWAY_RULES, lint_transit_lab
from driver.core import input_files
from driver.core.errors import LabError, VpnlabError
from driver.lab import yaml_source
from driver.lab.loader import load_lab


def all_rules() -> dict[str, str]:
    """Every rule lint knows, by id (SARIF's list, the docs). The customers'
    implementations' rule sets are imported here, not by each lint: a lab with no
    customer file needs none of them."""
    from driver.analysis import (
        cgw_rules,
        cisco_asa_rules,
        cisco_ios_rules,
        fortigate_rules,
        junos_rules,
        libreswan_rules,
        mikrotik_rules,
        opnsense_rules,
        panos_rules,
        pfsense_rules,
        vyos_rules,
        yamaha_rules,
    )

    return {
        **LAB_RULES,
        **TRANSIT_GATEWAY_RULES,
        **cgw_rules.CONF_RULES,
        **libreswan_rules.LIBRESWAN_RULES,
        **fortigate_rules.FORTIGATE_RULES,
        **cisco_ios_rules.CISCO_IOS_RULES,
        **cisco_asa_rules.CISCO_ASA_RULES,
        **panos_rules.PANOS_RULES,
        **junos_rules.JUNOS_RULES,
        **yamaha_rules.YAMAHA_RULES,
        **vyos_rules.VYOS_RULES,
        **pfsense_rules.PFSENSE_RULES,
        **mikrotik_rules.MIKROTIK_RULES,
        **opnsense_rules.OPNSENSE_RULES,
        **DAEMON_RULES,
        **BGP_RULES,
        **NET_RULES,
    }


def lint(
    lab_path: Path,
    config: Path | None = None,
    secrets: Path | None = None,
    terraform: Path | None = None,
    daemon: str | None = None,
) -> list[Finding]:
    """``daemon``: the implementation the customer's files are for (detected if None)."""
    # A path that is no readable regular file is nothing to judge: refused (exit 2)
    # before any work, so a FIFO or a device is refused at once whatever the load.
    input_files.require_regular(Path(lab_path), yaml_source.MAX_BYTES, "lab file")
    _refuse_odd_files(config, secrets, terraform)
    try:
        lab = load_lab(lab_path)
    except LabError as exc:
        return [
            Finding(
                "lab-invalid",
                "error",
                f"{exc.source}:{p.line}" if p.line else exc.source,
                f"{p.path}: {p.message}" if p.path else p.message,
                p.hint,
            )
            for p in exc.problems
        ]
    if lab.transit_gateway is not None:
        if config or terraform:
            raise VpnlabError(
                f"{lab_path} is a Transit Gateway lab: lint compares a customer's "
                "configuration or Terraform with a VGW lab only, for now; lint the lab alone"
            )
        findings = lint_transit_lab(lab, str(lab_path))
    else:
        findings = lint_lab(lab, str(lab_path))
    if config:
        for path in (config, secrets):
            if path and not path.exists():
                raise VpnlabError(f"cannot read {path}")
        findings += lint_customer(lab, config, secrets, daemon)
    if terraform:
        findings += lint_terraform(lab, terraform)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], *_position(f.where)))


def _refuse_odd_files(config: Path | None, secrets: Path | None, terraform: Path | None) -> None:
    """A customer's configuration may be a folder (its /etc); every other path a regular
    file. (Their size bounds are the readers' own.)"""
    named = [(secrets, "secrets file"), (terraform, "Terraform JSON")]
    if config and not Path(config).is_dir():
        named.append((config, "configuration"))
    for path, what in named:
        if path and Path(path).exists():  # a missing one: its reader's message
            input_files.require_regular(Path(path), None, what)


def _position(where: str) -> tuple[str, int]:
    """("file", line) for sorting: numerically by line, not as text."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdecimal() else (where, 0)
