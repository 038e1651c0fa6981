"""Bounded waits on a condition, with progress: never a bare sleep.

The poll interval grows from ``first`` to ``longest``: quick against the
emulator (a tunnel is up in about a second), gentle on AWS's API rate limits
when the wait is minutes (an instance booting, strongSwan building).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from driver.aws_api.transient_errors import transient_reason

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Backoff:
    first: float = 0.1
    factor: float = 1.5
    longest: float = 5.0


QUICK = Backoff()


@dataclass
class Outcome:
    done: bool
    seconds: float
    status: str  # the probe's last word


def wait_until(
    probe: Callable[[], tuple[bool, str]],
    timeout: float,
    what: str,
    progress: Progress,
    backoff: Backoff = QUICK,
    announce_every: float = 10.0,
) -> Outcome:
    """Call ``probe`` (-> done, status) until it is done or ``timeout`` passes,
    saying every ``announce_every`` seconds how long it has waited and why."""
    started = time.monotonic()
    interval, announced = backoff.first, 0.0
    while True:
        try:
            done, status = probe()
        except Exception as exc:  # throttled while polling: poll again, saying why
            reason = transient_reason(exc)
            if reason is None:
                raise
            done, status = False, f"retrying: {reason}"
        elapsed = time.monotonic() - started
        if done or elapsed >= timeout:
            return Outcome(done, round(elapsed, 2), status)
        if elapsed - announced >= announce_every:
            progress(f"  waiting for {what} ({elapsed:.0f} s of {timeout:.0f} s): {status}")
            announced = elapsed
        time.sleep(min(interval, max(timeout - elapsed, 0)))
        interval = min(interval * backoff.factor, backoff.longest)
