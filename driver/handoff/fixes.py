"""The changes to the other company's strongSwan or Libreswan files that their
check's findings call for, as a unified diff of their own files: what the report
for them shows (a router's fixes stay sentences in its vendor's words).

Only what can be written without guessing their intent: proposals AWS would
refuse at the first rekey or at all, replaced by the lab's (AWS's tunnel options
in their implementation's syntax), PFS turned on, strongSwan's proposals made
strict (``!``). Each edit keeps the line's indentation and key."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from driver.analysis.cgw_proposals import acceptable, parsed_proposals
from driver.analysis.lab_from_cgw import Customer
from driver.analysis.libreswan_rules import has_pfs, proposals_in_aws_names
from driver.cgw.record import ConfiguredTunnel, tunnel_numbers
from driver.handoff.vendor_words import LIBRESWAN
from driver.lab import aws_rules
from driver.lab.model import Lab, TunnelOptions
from driver.render.proposals import esp_proposals, ike_proposals

_VALUE = re.compile(r"^(?P<key>\s*[\w-]+\s*=\s*)(?P<value>[^#]*?)(?P<rest>\s*(#.*)?)$")


@dataclass(frozen=True)
class Edit:
    source: str  # the file, as the user named it
    line: int  # 1-based
    text: str  # the new line (replacing it), or the line to insert after it
    insert: bool = False
    why: str = ""


def edits(customer: Customer, lab: Lab) -> list[Edit]:
    if customer.implementation not in ("strongswan", "libreswan"):
        return []
    out: dict[tuple, Edit] = {}
    numbers = tunnel_numbers(customer.tunnels)
    for n, t in zip(numbers, customer.tunnels, strict=True):
        options = lab.tunnels[min(n, len(lab.tunnels) - 1)].options
        found = (
            _strongswan(t, options)
            if customer.implementation == "strongswan"
            else _libreswan(t, options)
        )
        for edit in found:
            out.setdefault((edit.source, edit.line, edit.insert), edit)
    return list(out.values())


def _where(t: ConfiguredTunnel, name: str) -> tuple[str, int] | None:
    origin = t.origins.get(name)
    if origin is None:
        return None
    source, _, line = origin.rpartition(":")
    return source, int(line)


def _strongswan(t: ConfiguredTunnel, options: TunnelOptions) -> list[Edit]:
    out = []
    for name, text, phase, ike, wanted in (
        ("ike", t.ike, options.phase1, True, ike_proposals(options)),
        ("esp", t.esp, options.phase2, False, esp_proposals(options)),
    ):
        where = _where(t, name)
        if text is None or text == "default":
            if not ike and t.settings is not None:  # ipsec.conf: no esp=, so no PFS
                after = _where(t, "ike") or (t.source, t.line)
                why = f"{t.name}: no esp=: strongSwan's default names no DH group (no PFS)"
                out.append(Edit(*after, f"esp={wanted}!", insert=True, why=why))
            continue
        proposals, strict = parsed_proposals(text)
        fits = [p for p in proposals if acceptable(p, phase, ike)]
        no_pfs = not ike and not any(p["dh"] for p in proposals)
        if where is None:
            continue
        bang = "!" if t.settings is not None else ""  # only ipsec.conf appends defaults
        if not fits or no_pfs:
            why = f"{t.name}: {name} '{text}': " + (
                "no DH group, AWS requires PFS at rekey"
                if no_pfs
                else "AWS accepts none of it"
                + ("" if strict else " (only strongSwan's defaults appended to it would match)")
            )
            out.append(Edit(*where, wanted + bang, why=why))
        elif bang and not strict:
            why = f"{t.name}: {name} '{text}' without '!': strongSwan appends its defaults"
            out.append(Edit(*where, text.rstrip("!") + "!", why=why))
    return out


def _libreswan_words(options: TunnelOptions, ike: bool) -> str:
    """AWS's first choice of each kind in Libreswan's words (ike=/esp=)."""
    phase = options.phase1 if ike else options.phase2
    encryption = (LIBRESWAN.ike_encryption if ike else LIBRESWAN.esp_encryption)[
        phase.encryption[0]
    ]
    aead = phase.encryption[0] in aws_rules.AEAD_ENCRYPTION
    integrity = "null" if aead and not ike else LIBRESWAN.ike_integrity[phase.integrity[0]]
    groups = LIBRESWAN.ike_groups if ike else LIBRESWAN.pfs_groups
    group = next((groups[g] for g in phase.dh_groups if groups.get(g)), None)
    return "-".join(w for w in (encryption, integrity, group) if w)


def _libreswan(t: ConfiguredTunnel, options: TunnelOptions) -> list[Edit]:
    """Proposals Libreswan expands to nothing AWS accepts (its algparse decides), and
    pfs=no."""
    out = []
    for name, text, phase, ike in (
        ("ike", t.ike, options.phase1, True),
        ("esp", t.esp, options.phase2, False),
    ):
        where = _where(t, name)
        proposals = proposals_in_aws_names(t, ike)
        if where and text and not any(acceptable(p, phase, ike) for p in proposals):
            why = f"{t.name}: {name} '{text}': AWS accepts none of what Libreswan makes of it"
            out.append(Edit(*where, _libreswan_words(options, ike), why=why))
    pfs = t.settings.setting("pfs") if t.settings is not None else None
    if pfs is not None and not has_pfs(t):
        why = f"{t.name}: pfs=no: AWS requires PFS when it rekeys"
        out.append(Edit(pfs.source, pfs.line, "pfs=yes", why=why))
    return out


def applied(customer: Customer, found: list[Edit]) -> str:
    """The edits as a unified diff of the customer's files (a/ their file, b/ fixed)."""
    paths = {label: customer.files[server] for server, label in customer.labels.items()}
    chunks = []
    for source in sorted({e.source for e in found}):
        path = paths.get(source, Path(source))
        before = path.read_text(errors="replace").splitlines(keepends=True)
        after = list(before)
        for edit in sorted(
            (e for e in found if e.source == source), key=lambda e: e.line, reverse=True
        ):
            old = before[edit.line - 1]
            if edit.insert:
                indent = re.match(r"\s*", old).group()
                after.insert(edit.line, f"{indent}{edit.text}\n")
            else:
                after[edit.line - 1] = _replaced(old, edit.text)
        chunks += difflib.unified_diff(before, after, f"a/{source}", f"b/{source}")
    return "".join(chunks)


def _replaced(line: str, value: str) -> str:
    """``line`` with its value (after ``key =``) replaced; a whole new line otherwise."""
    found = _VALUE.match(line.rstrip("\n"))
    if found is None or "=" in value:
        indent = re.match(r"\s*", line).group()
        return f"{indent}{value}\n"
    return f"{found['key']}{value}{found['rest']}\n"
