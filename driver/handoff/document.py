"""A hand-off document as data: titled sections of rows, each row naming where
its values come from. The Markdown and workbook writers only lay it out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Section:
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""  # a sentence under the table


@dataclass(frozen=True)
class Sheet:
    lang: str
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value) above the sections
    intro: str
    sections: tuple[Section, ...]
