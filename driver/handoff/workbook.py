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
    titled(sheet, document.title)
    for label, value in document.facts:
        sheet.append([label, value])
    sheet.append([document.intro])
    for section in document.sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        header(sheet, section.header)
        for row in section.rows:
            sheet.append([row.label, *row.cells, row.source])
        if section.note:
            sheet.append([section.note])
    finished(sheet, WIDTHS)
    book.save(path)
    return path


def titled(sheet, title: str) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)


def header(sheet, cells) -> None:
    """A table's header row, bold on a light fill."""
    sheet.append(list(cells))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL


def finished(sheet, widths) -> None:
    """Every cell wrapped at the top of its row; the columns as wide as ``widths``."""
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
