"""A report on a terminal: it fits the width, is coloured only on a terminal, folds
long details unless -v, and -q leaves the verdict alone; piped, a row is a line."""

import io

import pytest

from driver.checks.report import Report
from driver.checks.runner import CheckResult
from driver.checks.terminal import print_report

LONG = "the customer gateway answered NO_PROPOSAL_CHOSEN: " + "it offered 3DES/SHA1. " * 40


def report() -> Report:
    return Report(
        lab="seed",
        passed=False,
        checks=[
            CheckResult("vgw: tunnel Tunnel1", True, 1.5, "ESTABLISHED, CHILD_SA INSTALLED"),
            CheckResult("vgw: tunnel Tunnel2", False, 30.0, LONG),
            CheckResult("aws: ping {onprem_test_ip}", True, 0.4, "3/3 replies", warning=True),
        ],
        seconds=33.3,
        esp="kernel ESP",
        customer_gateway="rendered from the lab (swanctl), run by strongSwan 5.9.8",
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def shown(monkeypatch, out, verbosity=0, columns="80") -> str:
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    else:
        monkeypatch.delenv("COLUMNS", raising=False)
    print_report(report(), out, verbosity)
    return out.getvalue()


def test_at_80_columns_no_line_is_longer_and_a_long_detail_is_folded(monkeypatch):
    text = shown(monkeypatch, io.StringIO())
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "FAIL vgw: tunnel Tunnel2 (30.00 s)" in lines
    folded = [line for line in lines if line.startswith("     ")]
    assert len(folded) == 4 and folded[-1].endswith("… (-v: all of it)")
    assert "PASS vgw: tunnel Tunnel1 (1.50 s) ESTABLISHED, CHILD_SA INSTALLED" in lines
    assert lines[-2].startswith("FAILED: lab seed, 2/3 checks (1 warning), 33.3 s")


def test_verbose_shows_every_detail_in_full(monkeypatch):
    text = shown(monkeypatch, io.StringIO(), verbosity=1)
    assert "(-v: all of it)" not in text
    assert " ".join(text.split()).count("it offered 3DES/SHA1.") == 40


def test_quiet_is_the_verdict_line_alone(monkeypatch):
    text = shown(monkeypatch, io.StringIO(), verbosity=-1, columns="")
    assert text.startswith("FAILED: lab seed, 2/3 checks (1 warning), 33.3 s")
    assert text.count("\n") == 1


def test_piped_without_columns_each_row_is_one_line_and_nothing_is_folded(monkeypatch):
    lines = shown(monkeypatch, io.StringIO(), columns="").splitlines()
    row = next(line for line in lines if line.startswith("vgw: tunnel Tunnel2"))
    assert row.rstrip().endswith("it offered 3DES/SHA1.") and "…" not in row
    assert lines[1].split() == ["check", "result", "seconds", "detail"]


def test_a_wide_terminal_shows_the_table_one_line_per_row(monkeypatch):
    lines = shown(monkeypatch, io.StringIO(), columns="2000").splitlines()
    assert lines[1].split() == ["check", "result", "seconds", "detail"]
    assert set(lines[2].strip()) == {"─"}  # the rule under the header
    assert sum(line.startswith("vgw: tunnel") for line in lines) == 2


@pytest.mark.parametrize("no_color", [False, True])
def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch, no_color):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    green = "\x1b[32m"  # PASS (NO_COLOR keeps bold: it is no colour)
    assert (green in shown(monkeypatch, Terminal())) is not no_color
    assert "\x1b[" not in shown(monkeypatch, io.StringIO())  # piped: no escapes at all


def test_piped_lines_carry_no_padding(monkeypatch):
    """A row is as long as its text: rich pads a cell to its column's width."""
    lines = shown(monkeypatch, io.StringIO(), columns="").splitlines()
    assert [line for line in lines if line != line.rstrip()] == []


def test_japanese_details_fit_by_terminal_cells(monkeypatch):
    """A Japanese character takes two cells: the width is counted in cells."""
    from rich.cells import cell_len

    report_ = report()
    report_.checks[1].detail = "相手先の設定: 暗号化アルゴリズムが一致しません。" * 12
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    print_report(report_, out)
    lines = out.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    folded = [line for line in lines if line.startswith("     ")]
    assert len(folded) == 4 and folded[-1].endswith("(-v: all of it)")
