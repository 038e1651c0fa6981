"""Processes vpnlab started, as /proc shows them.

A PID alone does not name a process: after a reboot, or once the process has
gone, the number can belong to anything. vpnlab records a process's identity
(this boot, its start time, its command line) when it starts one, and signals
a recorded process only while all three still match.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import asdict, dataclass
from pathlib import Path


def process_alive(pid: int) -> bool:
    """Is ``pid`` running? A zombie counts as gone: it only waits to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def terminate_group(pgid: int, timeout: float = 5.0) -> None:
    """SIGTERM a process group, SIGKILL it if its leader outlives ``timeout``;
    the leader is reaped if it is our child."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pgid, os.WNOHANG)
            if not process_alive(pgid):
                return
            time.sleep(0.02)


@dataclass(frozen=True)
class ProcessIdentity:
    pid: int
    boot: str  # /proc/sys/kernel/random/boot_id: PIDs restart at every boot
    started: int  # clock ticks after boot (/proc/<pid>/stat, field 22)
    command: str  # a word the command line must contain

    @classmethod
    def of(cls, pid: int, command: str) -> ProcessIdentity | None:
        started = _start_ticks(pid)
        return None if started is None else cls(pid, _boot_id(), started, command)

    @classmethod
    def from_record(cls, record: dict) -> ProcessIdentity | None:
        """From what ``record()`` wrote; None for a record without an identity."""
        try:
            return cls(
                int(record["pid"]), record["boot"], int(record["started"]), record["command"]
            )
        except (KeyError, TypeError, ValueError):
            return None

    def record(self) -> dict:
        return asdict(self)

    def running(self) -> bool:
        """Is this still the process that was recorded (not a reused PID)?"""
        if self.boot != _boot_id() or _start_ticks(self.pid) != self.started:
            return False
        if not process_alive(self.pid):
            return False
        try:
            argv = Path(f"/proc/{self.pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            return False
        return self.command.encode() in b" ".join(argv)


def _boot_id() -> str:
    return Path("/proc/sys/kernel/random/boot_id").read_text().strip()


def _start_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, IndexError):
        return None
    return int(fields[19])  # field 22 of stat; the first two are before ")"
