"""``vpnlab check --report FILE``: the verdict written for the other company.

What was tested (their files, the implementation and release that ran them or
the twin that stood for their router, against the emulated AWS side), each item
that failed or is at risk with its reason and the fix in their configuration's
terms (for strongSwan and Libreswan a unified diff of their own files,
driver/handoff/fixes.py; for a router its vendor's words), what was not tested,
and the evidence. No key is in it: every key vpnlab knows is replaced before a
word is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from driver.analysis.lab_from_cgw import read_customer
from driver.analysis.lint import lint
from driver.checks.report import Report
from driver.checks.terminal import plain_text
from driver.core.output_files import write_text
from driver.handoff import fixes
from driver.handoff.words import say
from driver.lab.model import Lab

NOT_TESTED = ("report.untested_aws", "report.untested_path", "report.untested_auth")
# the rules about the customer's files (the lab's own findings are ours to fix)
THEIRS = ("conf-", "bgp-")


@dataclass(frozen=True)
class Customer:
    config: Path
    secrets: Path | None
    daemon: str | None


def write_report(
    path: Path, report: Report, lab: Lab, lab_path: Path, customer: Customer | None, lang: str
) -> Path:
    return write_text(path, report_markdown(report, lab, lab_path, customer, lang), "report")


def report_markdown(
    report: Report, lab: Lab, lab_path: Path, customer: Customer | None, lang: str
) -> str:
    def s(key: str, **fields) -> str:
        return say(lang, key, **fields)

    read = read_customer(customer.config, customer.secrets, customer.daemon) if customer else None
    found = [
        f
        for f in (lint(lab_path, *_args(customer)) if customer else [])
        if f.rule.startswith(THEIRS) and f.severity != "info"
    ]
    counted = [c for c in report.checks if not c.skipped]
    verdict = s("report.passed" if report.passed else "report.failed")
    lines = [
        f"# {s('report.title')}",
        "",
        f"- **{s('sheet.lab')}**: {lab.name}",
        f"- **{s('report.verdict')}**: {verdict} ({sum(c.passed for c in counted)}/{len(counted)})",
        f"- **{s('report.tested')}**: "
        + (report.customer_gateway or s("report.rendered"))
        + f"; {s('report.against')}",
        f"- **{s('report.dataplane')}**: {report.dataplane or report.esp}",
        "",
        f"## {s('report.items')}",
        "",
    ]
    # what failed first, then what is at risk; lint's rows stand for the findings below
    items = [c for c in report.checks if not c.passed and not c.skipped]
    items += [c for c in report.checks if c.passed and c.warning and not c.skipped]
    items = [c for c in items if not c.name.startswith("lint:")]
    found.sort(key=lambda f: f.severity != "error")
    for n, c in enumerate(items, start=1):
        lines.append(f"{n}. **{c.name}** ({c.verdict}): {c.detail}")
    for n, f in enumerate(found, start=len(items) + 1):
        lines.append(f"{n}. **{f.rule}** ({f.severity}), {f.where}: {f.message}")
        lines.append(f"   - {s('report.fix')}: {f.hint}")
    if not items and not found:
        lines.append(s("report.nothing"))
    found_fixes = fixes.edits(read, lab) if read else fixes.Fixes()
    if found_fixes.edits:
        base = customer.config if customer.config.is_dir() else customer.config.parent
        diff = fixes.applied(read, found_fixes, base)
        lines += ["", f"## {s('report.diff')}", "", s("report.diff_how"), ""]
        lines += [f"- {why}" for why in dict.fromkeys(e.why for e in found_fixes.edits)]
        lines += ["", "```diff", diff.rstrip("\n"), "```"] if diff else []
    if found_fixes.unwritten:
        lines += ["", s("report.unwritten"), ""]
        lines += [f"- {said}" for said in found_fixes.unwritten]
    lines += ["", f"## {s('report.untested')}", ""]
    untested = [*NOT_TESTED, *(["report.untested_twin"] if _twin(report) else [])]
    lines += [f"- {s(key)}" for key in untested]
    lines += ["", f"## {s('report.evidence')}", "", "```", plain_text(report), "```", ""]
    return _redacted("\n".join(lines), _keys(lab, read))


def _args(customer: Customer) -> tuple:
    return (customer.config, customer.secrets, None, customer.daemon)


def _twin(report: Report) -> bool:
    return "twin" in report.customer_gateway


def _keys(lab: Lab, read) -> set[str]:
    keys = {t.preshared_key for t in lab.tunnels if t.preshared_key}
    if read is not None:
        keys |= {secret.secret for secret in read.secrets if secret.secret}
    return {k for k in keys if len(k) >= 4}  # a one-letter "key" would blank the text


# A secret's value where a file writes one (their diff's context lines may show it):
# swanctl's ``secret = …``, ipsec.secrets' ``: PSK "…"`` (and EAP, XAUTH, PIN …),
# a router's pre-shared key; blanked whatever the value, known to vpnlab or not.
_SECRETS = (
    re.compile(r"(?i)(\b(?:secret|psk|pin|password|passphrase)\s*=\s*)([^\s}#]+)"),
    re.compile(r'(?i)(:\s*(?:PSK|EAP|XAUTH|PIN|NTLM|P12|RSA|ECDSA|BLISS)\s+)("[^"]*"|\S+)'),
    re.compile(r"(?i)(\b(?:pre-shared-key|psksecret|shared-secret)\s+(?:\S+\s+)*?)(\S+)$", re.M),
)


def _redacted(text: str, keys: set[str]) -> str:
    for key in sorted(keys, key=len, reverse=True):
        text = text.replace(key, "<pre-shared key>")
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: m.group(1) + "<secret>", text)
    return text
