"""A hand-off document as an Excel workbook (openpyxl): the parameter-sheet format
such exchanges use. One worksheet, the sections one under the other with their
headers in bold, so it prints and reads like the Markdown."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from driver.handoff.document import Sheet

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = (34, 40, 40, 34, 34, 30, 30, 30, 30, 30)  # columns A.. in characters


def workbook(document: Sheet, path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "parameters" if document.lang == "en" else "パラメータ"
    sheet.append([document.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in document.facts:
        sheet.append([label, value])
    sheet.append([document.intro])
    for section in document.sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append(list(section.header))
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = BOLD, HEADER_FILL
        for row in section.rows:
            sheet.append([row.label, *row.cells, row.source])
        if section.note:
            sheet.append([section.note])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    book.save(path)
    return path
