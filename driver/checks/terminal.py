"""A report as people read it: a table that fits the terminal, in colour on one.

rich lays the table out; what it holds is ours. Three widths:

- on a terminal, its width (or ``COLUMNS``): a detail wraps under its column,
  folded to ``FOLDED`` lines unless asked for everything (``-v``);
- piped without ``COLUMNS`` (a log, ``grep``, a Markdown report): one line per
  row, whatever its length, nothing left out;
- ``-q``: the verdict line alone.

Colour only on a terminal, never with ``NO_COLOR`` (rich's own rules).
"""

from __future__ import annotations

import io
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from driver.checks.report import Report, counted
from driver.core.console import UNLIMITED, say, terminal_width, text_console

FOLDED = 4  # a detail's lines, folded under its row, before "…"
STYLES = {"PASS": "green", "WARN": "yellow", "INFO": "cyan", "SKIP": "dim", "FAIL": "bold red"}
VERDICT_STYLES = {True: "bold green", False: "bold red"}


def print_report(report: Report, out: TextIO, verbosity: int = 0) -> None:
    """The report on ``out``: ``verbosity`` -1 the verdict alone, 0 details folded
    to the terminal, 1 everything."""
    width = terminal_width(out)
    if width is None:  # piped: plain lines, none padded to the table's width
        out.write(("\n" + plain_text(report) if verbosity >= 0 else verdict_line(report)) + "\n")
        return
    console = text_console(out, width)
    if verbosity >= 0:
        console.print()
        _print_body(console, report, fold=verbosity == 0)
    say(console, Text(verdict_line(report), style=VERDICT_STYLES[report.passed]))


def plain_text(report: Report, width: int | None = None) -> str:
    """The whole report as text without colour: one line per row, or fitted to
    ``width`` (a Markdown report, the tests)."""
    buffer = io.StringIO()
    console = text_console(buffer, width, plain=True)
    _print_body(console, report, fold=False)
    say(console, Text(verdict_line(report)))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def verdict_line(report: Report) -> str:
    counted_rows = [c for c in report.checks if not c.skipped]
    passed = sum(c.passed for c in counted_rows)
    return (
        f"{'PASSED' if report.passed else 'FAILED'}: lab {report.lab}, "
        f"{passed}/{len(counted_rows)} checks{counted(report.checks)}, "
        f"{report.seconds:.1f} s ({report.esp}; customer gateway: {report.customer_gateway})"
    )


def _print_body(console: Console, report: Report, fold: bool) -> None:
    width = console.width
    if width >= UNLIMITED or _table_width(report) <= width:
        console.print(_table(report, ruled=width < UNLIMITED))
    else:
        _print_stacked(console, report, fold)
    for t in report.tunnels:
        carries = ", ".join(t.carries) or "no traffic"
        say(
            console,
            Text(
                f"{t.name} {t.address}: {t.state}/{t.child}, {t.packets_out} packets "
                f"AWS -> on-prem, {t.packets_in} on-prem -> AWS ({carries})"
            ),
        )
    if report.diagnostics:
        console.print("from the VPN server (over SSM):")
        for line in report.diagnostics.rstrip().splitlines():
            say(console, Text(line))
    if report.failover_seconds is not None:
        say(console, Text(f"failover: {report.failover_seconds:.1f} s of loss"))
    if report.dataplane:
        say(console, Text(f"data plane: {report.dataplane}"))


HEADER = ("check", "result", "seconds", "detail")


def _cells(report: Report) -> list[tuple[str, str, str, str]]:
    return [(c.name, c.verdict, f"{c.seconds:.2f}", c.detail) for c in report.checks]


def _table_width(report: Report) -> int:
    """The table's width with one line per row, in terminal cells (a Japanese
    character takes two): its columns apart by rich's padding and rule."""
    rows = [HEADER, *_cells(report)]
    return sum(max(cell_len(row[i]) for row in rows) for i in range(4)) + 3 * 3


def _table(report: Report, ruled: bool) -> Table:
    """One line per row: the whole report fits (or nothing limits its width: no rule
    under the header then, whose length would be the longest detail's)."""
    table = Table(
        box=box.SIMPLE_HEAD if ruled else None, show_edge=False, pad_edge=False, padding=(0, 1)
    )
    for name in HEADER:
        table.add_column(
            name,
            no_wrap=name != "detail",
            overflow="fold",  # never "…": a detail is evidence
            justify="right" if name == "seconds" else "left",
        )
    for name, verdict, seconds, detail in _cells(report):
        table.add_row(name, Text(verdict, style=STYLES[verdict]), seconds, detail)
    return table


def _print_stacked(console: Console, report: Report, fold: bool) -> None:
    """Narrower than the table: each row as the run's progress printed it, the
    detail on the same line when it fits, else folded under the row."""
    indent = " " * (len("WARN") + 1)
    column = console.width - len(indent)
    for c in report.checks:
        head = Text.assemble((c.verdict, STYLES[c.verdict]), f" {c.name} ({c.seconds:.2f} s)")
        if head.cell_len + 1 + cell_len(c.detail) <= console.width:
            console.print(head + Text(f" {c.detail}" if c.detail else ""))
            continue
        console.print(head)
        lines = list(Text(c.detail).wrap(console, column))
        if fold and len(lines) > FOLDED:
            more = Text(" … (-v: all of it)")
            last = lines[FOLDED - 1]
            last.truncate(column - more.cell_len)  # by cells: a wide character takes two
            last.rstrip()
            lines = [*lines[: FOLDED - 1], last + more]
        for line in lines:
            line.rstrip()
            console.print(Text(indent) + line)
