"""Progress lines as they happen; on a terminal, a wait shows its elapsed time.

A line that ends in "..." announces a wait (a tunnel, a BGP session, the guest's
boot). Through a pipe (tee, CI, a test) it is printed as it is. On a terminal a
spinner follows it with the seconds elapsed, until the next line, which first
prints the wait's line with how long it took. ``waiting`` shows a spinner alone,
never a line (Terraform's resource in flight: its completion prints one).

The object is also a text stream (``write``): the guest's console goes through
it, so its own waits spin too.
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
from collections.abc import Iterator
from typing import TextIO

from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from driver.core.console import a_terminal, say, terminal_width, text_console

WAIT_MARK = "..."
TAIL = 40  # the last lines kept (a guest that failed: what it said, also under -q)


class _Elapsed:
    """A spinner whose text carries the seconds since it began (rendered on each
    refresh)."""

    def __init__(self, message: str, announced: bool):
        self.message, self.started = message, time.monotonic()
        self.announced = announced  # a progress line: it stays, with its seconds
        self.spinner = Spinner("dots", style="cyan")

    def seconds(self) -> float:
        return time.monotonic() - self.started

    def __rich__(self) -> Spinner:
        self.spinner.update(text=Text(f"{self.message} {self.seconds():.0f} s"))
        return self.spinner


class Progress:
    def __init__(self, out: TextIO, quiet: bool = False):
        self.out, self.quiet = out, quiet
        self.width = terminal_width(out)  # None: piped, each line as it is
        self.console = text_console(out, self.width)
        # out itself a terminal (FORCE_COLOR makes rich call a pipe one: no spinner in a log)
        self.live = a_terminal(out) and not self.console.is_dumb_terminal and not quiet
        self._lock = threading.RLock()  # the emulator's start reports from a thread of its own
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL)  # even when quiet
        self._wait: _Elapsed | None = None
        self._shown: Live | None = None
        self._line = ""  # a write's text not yet ended by a newline

    def __call__(self, message: str) -> None:
        self.write(message + "\n")

    def write(self, text: str) -> int:
        with self._lock:
            self._line += text
            while "\n" in self._line:
                line, self._line = self._line.split("\n", 1)
                self.tail.append(line)
                self._print(line)
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def waiting(self, message: str) -> None:
        """A spinner with ``message`` on a terminal; nothing elsewhere."""
        with self._lock:
            if self.live:
                self._end_wait()
                self._spin(message)

    def close(self) -> None:
        with self._lock:
            if self._line:
                self.write("\n")
            self._end_wait()

    def _print(self, line: str) -> None:
        if self.quiet:
            return
        if not self.live and self.width is None:
            print(line, file=self.out, flush=True)
            return
        self._end_wait()
        if self.live and line.rstrip().endswith(WAIT_MARK):
            self._spin(line.rstrip(), announced=True)
        else:
            say(self.console, Text(line))

    def _spin(self, message: str, announced: bool = False) -> None:
        self._wait = _Elapsed(message, announced)
        self._shown = Live(
            self._wait,
            console=self.console,
            transient=True,
            refresh_per_second=4,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._shown.start()

    def _end_wait(self) -> None:
        """Stop the spinner; an announced wait's line stays, with how long it took."""
        if self._shown is None:
            return
        self._shown.stop()
        wait, self._wait, self._shown = self._wait, None, None
        if wait.announced:
            say(self.console, Text(f"{wait.message} {wait.seconds():.0f} s"))


@contextlib.contextmanager
def progress_lines(out: TextIO, quiet: bool = False) -> Iterator[Progress]:
    """Progress on ``out`` for a command; its spinner gone when the command ends."""
    progress = Progress(out, quiet)
    try:
        yield progress
    finally:
        progress.close()
