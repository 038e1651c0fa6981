"""The changes to the other company's strongSwan or Libreswan files that their
check's findings call for, as a unified diff of their own files: what the report
for them shows (a router's fixes stay sentences in its vendor's words).

Only what can be written without guessing their intent: proposals AWS would
refuse at the first rekey or at all, replaced by the lab's (AWS's tunnel options
in their implementation's syntax), PFS turned on, strongSwan's proposals made
strict (``!``). Each edit keeps the line's indentation, key, comment, closing
braces and line ending; a line it cannot edit so is left alone and said."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from driver.analysis.cgw_proposals import acceptable, parsed_proposals
from driver.analysis.lab_from_cgw import Customer
from driver.analysis.libreswan_rules import has_pfs, proposals_in_aws_names
from driver.cgw.record import ConfiguredTunnel, tunnel_numbers
from driver.handoff.vendor_words import LIBRESWAN
from driver.lab import aws_rules
from driver.lab.model import Lab, TunnelOptions
from driver.render.proposals import esp_proposals, ike_proposals

# key = value, the value ending at a comment or a closing brace (swanctl: "… }")
_VALUE = re.compile(r"^(?P<key>\s*[\w-]+\s*=\s*)(?P<value>[^#{}\r\n]*?)(?P<rest>\s*(?:[}#].*)?)$")
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class Edit:
    source: str  # the file, as the user named it
    line: int  # 1-based
    text: str  # the new value (replacing the line's), or the line to insert after it
    insert: bool = False
    why: str = ""


@dataclass
class Fixes:
    edits: list[Edit] = field(default_factory=list)
    unwritten: list[str] = field(default_factory=list)  # what a diff cannot say, and why


def edits(customer: Customer, lab: Lab) -> Fixes:
    fixes = Fixes()
    if customer.implementation not in ("strongswan", "libreswan"):
        return fixes
    chosen: dict[tuple, Edit] = {}
    numbers = tunnel_numbers(customer.tunnels)
    for n, t in zip(numbers, customer.tunnels, strict=True):
        options = lab.tunnels[min(n, len(lab.tunnels) - 1)].options
        found = (
            _strongswan(t, options)
            if customer.implementation == "strongswan"
            else _libreswan(t, options)
        )
        for edit in found:
            key = (edit.source, edit.line, edit.insert)
            other = chosen.setdefault(key, edit)
            if other.text != edit.text:  # one line (%default, also=) for two tunnels' values
                fixes.unwritten.append(
                    f"{edit.source}:{edit.line} serves tunnels that need different values "
                    f"({other.text}; {edit.text}): give each tunnel its own line"
                )
                chosen[key] = None
    fixes.edits = [e for e in chosen.values() if e is not None]
    return fixes


def _where(t: ConfiguredTunnel, name: str) -> tuple[str, int] | None:
    origin = t.origins.get(name)
    if origin is None:
        return None
    source, _, line = origin.rpartition(":")
    return source, int(line)


def _strongswan(t: ConfiguredTunnel, options: TunnelOptions) -> list[Edit]:
    out = []
    swanctl = t.settings is None
    for name, text, phase, ike, wanted in (
        ("ike", t.ike, options.phase1, True, ike_proposals(options)),
        ("esp", t.esp, options.phase2, False, esp_proposals(options)),
    ):
        where = _where(t, name)
        if not ike and (text is None or (swanctl and text == "default")):
            # strongSwan's default ESP proposals name no DH group: no PFS
            if swanctl:  # inside the child: after one of its own settings
                after = _where(t, "local_ts") or _where(t, "remote_ts")
                line, key = f"esp_proposals = {wanted}", "esp_proposals"
            else:
                after = _where(t, "ike") or (t.source, t.line)
                line, key = f"esp={wanted}!", "esp="
            why = f"{t.name}: no {key}: strongSwan's default names no DH group (no PFS)"
            if after:
                out.append(Edit(*after, line, insert=True, why=why))
            continue
        if text is None or text == "default" or where is None:
            continue
        proposals, strict = parsed_proposals(text)
        fits = [p for p in proposals if acceptable(p, phase, ike)]
        no_pfs = not ike and not any(p["dh"] for p in proposals)
        bang = "" if swanctl else "!"  # only ipsec.conf appends its defaults
        if not fits or no_pfs:
            said = "no DH group, AWS requires PFS at rekey" if no_pfs else "AWS accepts none of it"
            if bang and not strict and not no_pfs:
                said += " (only strongSwan's defaults appended to it would match)"
            out.append(Edit(*where, wanted + bang, why=f"{t.name}: {name} '{text}': {said}"))
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
        out.append(Edit(pfs.source, pfs.line, "yes", why=why))
    return out


def applied(customer: Customer, fixes: Fixes, base: Path) -> str:
    """The edits as a unified diff of the customer's files, named relative to ``base``
    (the folder their configuration is in, or stands for: ``git apply`` there)."""
    paths = {label: customer.files[server] for server, label in customer.labels.items()}
    chunks: list[str] = []
    for source in sorted({e.source for e in fixes.edits}):
        path = paths.get(source, Path(source))
        # their bytes' lines, "\r\n" kept (str.splitlines would also split at \x0b …)
        before = re.findall(r"[^\n]*\n|[^\n]+$", path.read_bytes().decode(errors="replace"))
        after = list(before)
        for edit in sorted(
            (e for e in fixes.edits if e.source == source), key=lambda e: e.line, reverse=True
        ):
            if not _edit(after, edit):
                fixes.unwritten.append(f"{source}:{edit.line}: {edit.why} (edit it by hand)")
        name = _relative(path, base)
        chunks += _unified(before, after, f"a/{name}", f"b/{name}")
    return "".join(chunks)


def _edit(lines: list[str], edit: Edit) -> bool:
    """Apply ``edit`` to ``lines`` in place; False where it cannot be done safely."""
    old = lines[edit.line - 1]
    ending = old[len(old.rstrip("\r\n")) :]
    if edit.insert:
        following = lines[edit.line] if edit.line < len(lines) else ""
        # as the section's settings: the next line's when the anchor opens a section
        # (`conn x`, `t1 {`), else the anchor's own
        opens = "{" in old or not _indent(old)
        indent = (_indent(following) if opens else _indent(old)) or "    "
        if not ending:  # the anchor was the last line, without a newline
            lines[edit.line - 1] = old + "\n"
        lines.insert(edit.line, f"{indent}{edit.text}{ending}")
        return True
    found = _VALUE.match(old.rstrip("\r\n"))
    if found is None or "{" in old:  # a section opens on it: not a line to rewrite
        return False
    lines[edit.line - 1] = f"{found['key']}{edit.text}{found['rest']}{ending}"
    return True


def _indent(line: str) -> str:
    return re.match(r"[ \t]*", line).group() if line.strip() else ""


def _relative(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:
        return path.name


def _unified(before: list[str], after: list[str], a: str, b: str) -> list[str]:
    """difflib's unified diff, with git's marker after a last line that has no newline
    (difflib would join it with the next line of the diff)."""
    open_before = bool(before) and not before[-1].endswith("\n")
    open_after = bool(after) and not after[-1].endswith("\n")
    closed = [line if line.endswith("\n") else line + "\n" for line in before]
    closed_after = [line if line.endswith("\n") else line + "\n" for line in after]
    out: list[str] = []
    old = new = 0
    for line in difflib.unified_diff(closed, closed_after, a, b):
        out.append(line)
        hunk = re.match(r"@@ -(\d+)(?:,\d+)? \+(\d+)", line)
        if hunk:
            old, new = int(hunk[1]) - 1, int(hunk[2]) - 1
            continue
        if line.startswith(("---", "+++")):
            continue
        old += line[0] in " -"
        new += line[0] in " +"
        last_old = open_before and line[0] in " -" and old == len(before)
        last_new = open_after and line[0] in " +" and new == len(after)
        if last_old or last_new:
            out.append(NO_NEWLINE)
    return out
