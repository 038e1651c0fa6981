"""A hand-off document as Markdown: a heading, its facts, one table per section."""

from __future__ import annotations

from driver.handoff.document import Sheet


def markdown(document: Sheet) -> str:
    lines = [f"# {document.title}", ""]
    lines += [f"- **{label}**: {value}" for label, value in document.facts]
    lines += ["", document.intro, ""]
    for section in document.sections:
        lines += [f"## {section.title}", "", _row(section.header)]
        lines.append(_row(["---"] * len(section.header)))
        lines += [_row([row.label, *row.cells, row.source]) for row in section.rows]
        lines += ["", section.note, ""] if section.note else [""]
    return "\n".join(lines)


def _row(cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    """A table cell: a '|' in a value would end it early."""
    return str(text).replace("|", "\\|").replace("\n", " ")
