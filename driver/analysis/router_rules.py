"""The rules every implementation's tunnels answer to (cgw_rules.py, cgw_secrets.py),
applied to a router's tunnels and said in its vendor's words: each dialect's lint
(fortigate_rules.py, cisco_ios_rules.py) gives its tunnels, their records, its
proposal rule and its vocabulary."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable
from pathlib import Path

from driver.analysis.cgw_rules import tunnel_findings
from driver.analysis.cgw_secrets import secret_findings
from driver.analysis.findings import Finding
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.lab.model import Lab


def shared_findings(
    lab: Lab,
    config: Path,
    title: str,
    tunnels: list,  # the dialect's own tunnels, one per record
    records: list[ConfiguredTunnel],
    secrets: list[Secret],
    proposal_findings: Callable[..., list[Finding]],  # (its tunnel, lab, index, options)
    words: dict[str, str],  # the shared rules' words -> the vendor's
    hints: dict[str, str],  # rule -> its fix in the vendor's words
) -> list[Finding]:
    by_name = dict(zip((r.name for r in records), tunnels, strict=True))

    def proposals(t, lab_, i, options):
        return proposal_findings(by_name[t.name], lab_, i, options)

    shared = tunnel_findings(lab, records, str(config), title, proposals)
    shared += secret_findings(lab, records, secrets)
    # route-based is a router's way (a tunnel interface): what a Linux kernel needs for
    # it is no finding on the router
    return [in_words(f, words, hints) for f in shared if f.rule != "conf-route-based"]


def in_words(finding: Finding, words: dict[str, str], hints: dict[str, str]) -> Finding:
    message = finding.message
    for theirs, ours in words.items():
        message = message.replace(theirs, ours)
    return dataclasses.replace(finding, message=message, hint=hints.get(finding.rule, finding.hint))


def said_once(findings: list[Finding]) -> list[Finding]:
    """Each finding once: one a group or phase 1 several tunnels share is said at its
    line with the first tunnel's name, not once per tunnel."""
    unique: dict[tuple, Finding] = {}
    for f in findings:
        unique.setdefault((f.rule, f.where, f.message.split(": ", 1)[-1]), f)
    return list(unique.values())


def apart_from(findings: list[Finding], rule: str, names: set[str]) -> list[Finding]:
    """``findings`` without ``rule``'s about the tunnels named (``name: …``): a key the
    router printed encrypted is said once, as such, not also as a missing key; a tunnel
    BGP's own packets restart is not one that stays down."""
    return [f for f in findings if not (f.rule == rule and f.message.split(":")[0] in names)]


def misplaced_inside(address: str, inside_cidr) -> ipaddress.IPv4Interface | None:
    """The customer gateway's inside address of a tunnel's CIDR (its second host: AWS
    holds the first), when ``address`` is not it; None when it is."""
    inside = ipaddress.IPv4Network(str(inside_cidr))
    expected = ipaddress.IPv4Interface(f"{list(inside.hosts())[1]}/{inside.prefixlen}")
    try:
        return None if ipaddress.IPv4Interface(address) == expected else expected
    except ValueError:
        return expected
