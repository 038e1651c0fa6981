"""SIGTERM and SIGHUP end vpnlab the way Ctrl-C does.

A service manager, a CI runner or a closed terminal stops vpnlab with SIGTERM
or SIGHUP, not SIGINT. Each becomes the same ``KeyboardInterrupt`` Ctrl-C
raises, so every step's teardown (``finally`` blocks, the leak check) runs;
while a teardown runs, all three wait until it is done (``deferred``).
"""

from __future__ import annotations

import signal

ENDING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP; ``exit_code`` is the shell's 128 + signal."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum, frame):
    raise Interrupted(signum)


def end_like_ctrl_c() -> None:
    """Install the handlers (main thread only; the CLI does it at start)."""
    for signum in ENDING:
        signal.signal(signum, _raise)


class deferred:
    """Let an ending signal during a teardown wait until it is done, then raise it."""

    def __enter__(self):
        self.received: int | None = None
        self.previous: dict[int, object] = {}
        try:
            for signum in ENDING:
                self.previous[signum] = signal.signal(signum, self._defer)
        except ValueError:  # not the main thread: nothing to defer
            self.previous = {}
        return self

    def _defer(self, signum, frame):
        self.received = self.received or signum

    def __exit__(self, *exc):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        if self.received is not None:
            raise Interrupted(self.received)
