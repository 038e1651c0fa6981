"""The timestamps of ``ping -D``'s replies, read as they come (--failover's clock)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time


class ReplyClock:
    """Timestamps of ping -D replies, read with a deadline (never blocks past it)."""

    def __init__(self, ping: subprocess.Popen):
        self.fd = ping.stdout.fileno()
        self.buffer = b""

    def next(self, deadline: float) -> float | None:
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                match = re.match(rb"\[(\d+\.\d+)\] \d+ bytes from", line)
                if match:
                    return float(match.group(1))
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self.fd, 4096)
            if not chunk:
                return None
            self.buffer += chunk
