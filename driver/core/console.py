"""Text on vpnlab's consoles as rich lays it out: the width to fit (a terminal's,
``COLUMNS``, or none through a pipe), a console that prints vpnlab's words as they
are, and a line wrapped to it. The report's table (driver/checks/terminal.py) and
the progress lines (driver/core/progress.py) both print through these."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.text import Text

UNLIMITED = 100_000  # "no width" (piped): rich needs one; no line is this long


def terminal_width(out: TextIO) -> int | None:
    """The width to fit: ``COLUMNS``, else the terminal's, else none (piped)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdecimal() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(out.fileno()).columns if out.isatty() else None
    except (OSError, ValueError, AttributeError):  # not a file (a StringIO, a closed stream)
        return None


def a_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # not a file, or a closed one
        return False


def text_console(out: TextIO, width: int | None, plain: bool = False) -> Console:
    """rich's console for vpnlab's text, taken as written (no markup, emoji or
    highlighting); ``width`` None: each line as long as it is; ``plain``: no colour
    even on a terminal."""
    colour = {"no_color": True, "color_system": None} if plain else {}
    return Console(
        file=out,
        width=width or UNLIMITED,
        soft_wrap=width is None,
        highlight=False,
        emoji=False,
        markup=False,
        **colour,
    )


def say(console: Console, text: Text, indent: str = "") -> None:
    """A line, wrapped at the console's width (no trailing blanks where it breaks)."""
    if console.width >= UNLIMITED:
        console.print(Text(indent) + text)
        return
    for line in text.wrap(console, console.width - len(indent)):
        line.rstrip()
        console.print(Text(indent) + line)
