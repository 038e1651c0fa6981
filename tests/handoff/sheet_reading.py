"""Reading a parameter sheet back as the other company would: its Markdown tables
and its workbook's rows, by section, with no help from the code that wrote them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """{section heading: rows (header first), each a list of cells}."""
    tables: dict[str, list[list[str]]] = {}
    heading = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            tables[heading] = []
        elif line.startswith("| ") and heading and not line.startswith("| ---"):
            cells = [c.strip().replace("\\|", "|") for c in line.strip()[2:-2].split(" | ")]
            tables[heading].append(cells)
    return tables


def workbook_rows(path: Path) -> list[list[str]]:
    """Every non-empty row of the workbook's first sheet, as text."""
    sheet = load_workbook(path).worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = ["" if c is None else str(c) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def row(tables: dict, section: str, label: str) -> list[str]:
    """The cells after the label of the row ``label`` in ``section``."""
    (found,) = [r[1:] for r in tables[section] if r[0] == label]
    return found
