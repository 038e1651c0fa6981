"""Progress lines: as they are through a pipe; on a terminal a wait ("...") spins
with its seconds and stays as a line with how long it took."""

import io

from driver.core.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_piped_lines_are_printed_as_they_are(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = io.StringIO()
    progress = Progress(out)
    progress("  waiting for Tunnel1 on vgw (up to 90 s)...")
    progress.waiting("  aws_vpn_connection.vpn: creating")  # a spinner only: nothing here
    progress.write("PASS vgw: tunnel Tunnel1 (2.0 s) ESTABLISHED\nbuilding")
    progress.close()
    assert out.getvalue().splitlines() == [
        "  waiting for Tunnel1 on vgw (up to 90 s)...",
        "PASS vgw: tunnel Tunnel1 (2.0 s) ESTABLISHED",
        "building",
    ]


def test_on_a_terminal_a_wait_stays_with_its_seconds(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    progress = Progress(out)
    progress("  waiting for Tunnel1 on vgw (up to 90 s)...")
    progress("PASS vgw: tunnel Tunnel1 (2.0 s) ESTABLISHED")
    progress.waiting("  aws_vpn_connection.vpn: creating")
    progress.close()
    text = out.getvalue()
    assert "  waiting for Tunnel1 on vgw (up to 90 s)... 0 s" in text
    assert "PASS vgw: tunnel Tunnel1 (2.0 s) ESTABLISHED" in text
    # a spinner, not a line: erased (cursor up, clear line) once the command ends
    spun = text.rindex("aws_vpn_connection.vpn: creating")
    assert "\x1b[1A\x1b[2K" in text[spun:]


def test_quiet_prints_nothing(monkeypatch):
    out = io.StringIO()
    progress = Progress(out, quiet=True)
    progress("building lab seed")
    progress.close()
    assert out.getvalue() == ""


def test_a_pipe_never_spins_even_with_force_color(monkeypatch):
    """FORCE_COLOR makes rich call a pipe a terminal: a CI log gets no spinner frames."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("COLUMNS", raising=False)
    out = io.StringIO()
    progress = Progress(out)
    progress("  waiting for Tunnel1 on vgw (up to 90 s)...")
    progress("PASS vgw: tunnel Tunnel1 (2.0 s) ESTABLISHED")
    progress.close()
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue()


def test_lines_from_two_threads_stay_whole():
    """The emulator's start reports from a thread of its own while apply reports too."""
    import threading

    out = io.StringIO()
    progress = Progress(out)

    def say(who: str) -> None:
        for n in range(200):
            progress(f"{who} line {n}")

    threads = [threading.Thread(target=say, args=(who,)) for who in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = out.getvalue().splitlines()
    assert sorted(lines) == sorted(f"{w} line {n}" for w in "ab" for n in range(200))
    assert list(progress.tail)[-1] in lines  # the last lines kept for a failed guest
