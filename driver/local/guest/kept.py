"""A guest that lives as long as its lab: the local target's data plane when this
host's kernel cannot run the lab (route-based tunnels, BGP over them).

``apply`` boots it and leaves it running, recorded in the lab's state (like the
emulator); ``verify``, ``status``, ``destroy`` and the emulator (telemetry, Run
Command, propagated routes) ask its agent (driver/guest_agent.py) through
the folder they share; ``destroy`` stops its qemu. Its console goes to the lab's
log folder. Nothing here imports the data plane: the emulator imports this.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from driver.core import errors
from driver.core.code import code_version
from driver.core.errors import Fault
from driver.core.paths import PROJECT
from driver.core.processes import ProcessIdentity, terminate_group
from driver.local.guest.machine import GuestMachine
from driver.local.guest.vm import FOLDER, GUEST_FOLDER_PREFIX, Guest, qemu_processes

RECORD = "guest.json"  # in the lab's state
# The folder shared with the agent (driver/guest_agent.py): what it answers, and
# the file it writes once it does.
REQUESTS, RESULTS, READY = "requests", "results", "ready"
CONSOLE_LOG = "guest-console.log"
BOOT_TIMEOUT = 900.0  # s: ~40 s alone, emulated; 240 s beside another guest on 2 cores
ANSWER_POLL = 0.05  # s between looks for an answer
_requests = itertools.count()


def guest_name(lab: str) -> str:
    """Not ``vpnlab check``'s guest's name (driver/local/guest_check.py): a check of
    an applied lab boots its own. "_": a character lab names cannot contain."""
    return f"vpnlab-{lab}_applied"


@dataclass(frozen=True)
class KeptGuest:
    name: str
    folder: Path  # shared with the guest: the agent's requests and answers
    identity: ProcessIdentity  # virtme-ng's, leader of the group its qemu is in
    machine: str  # which kernel, and why: for status and reports
    console: Path  # the guest's console, for when it dies
    emulated: bool  # qemu's software emulation (no KVM): its waits stretch
    code: str  # code_version() when it booted: its agent runs that code

    # --- lifetime ------------------------------------------------------------------

    @classmethod
    def boot(
        cls, machine: GuestMachine, lab: str, described: str, logs: Path, on_start: Callable
    ) -> KeptGuest:
        """Start the guest and return once its agent answers. ``described``: which
        kernel, and why (driver/local/placement.py's reason). ``on_start`` gets the
        guest as soon as its qemu runs, to be recorded: a boot interrupted after that
        is torn down by destroy."""
        name = guest_name(lab)
        folder = Path(tempfile.mkdtemp(prefix=f"{GUEST_FOLDER_PREFIX}{name}."))
        (folder / REQUESTS).mkdir()
        vm = Guest(machine, name, cached=False)  # it lives on: no stale copy of an update
        vm.folder = folder
        script = vm.write_script([[sys.executable, "-m", "driver.guest_agent", FOLDER]])
        logs.mkdir(parents=True, exist_ok=True)
        console = logs / CONSOLE_LOG
        env = os.environ | {
            "PATH": f"{Path(machine.vng).parent}:{os.environ.get('PATH', '/usr/bin')}",
            "TMPDIR": str(folder),
        }
        try:
            with open(console, "wb") as out:
                proc = subprocess.Popen(
                    vm.command(script),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=PROJECT,
                    start_new_session=True,  # its own group: outlives this command
                )
        except OSError as exc:  # virtme-ng missing or not runnable: nothing of it stays
            shutil.rmtree(folder, ignore_errors=True)
            raise Fault(f"the guest kernel could not start: {exc}") from None
        identity = ProcessIdentity.of(proc.pid, name)
        if identity is None:  # gone already: its console says why
            shutil.rmtree(folder, ignore_errors=True)
            raise Fault(f"the guest kernel's qemu exited at once; its console: {console}")
        guest = cls(name, folder, identity, described, console, not machine.kvm, code_version())
        on_start(guest)
        guest._wait_ready(proc)
        return guest

    def _wait_ready(self, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + BOOT_TIMEOUT
        while not (self.folder / READY).exists():
            if proc.poll() is not None:
                raise Fault(
                    f"the guest kernel exited ({proc.returncode}) before its agent started; "
                    f"its console: {self.console}"
                )
            if time.monotonic() > deadline:
                raise Fault(
                    f"the guest kernel did not start its agent within {BOOT_TIMEOUT:.0f} s; "
                    f"its console: {self.console}"
                )
            time.sleep(0.2)

    def record(self) -> dict:
        return {
            "name": self.name,
            "folder": str(self.folder),
            **self.identity.record(),
            "machine": self.machine,
            "console": str(self.console),
            "emulated": self.emulated,
            "code": self.code,
        }

    @classmethod
    def from_record(cls, record: dict) -> KeptGuest | None:
        identity = ProcessIdentity.from_record(record)
        if identity is None:
            return None
        return cls(
            record["name"],
            Path(record["folder"]),
            identity,
            record["machine"],
            Path(record["console"]),
            record.get("emulated", True),
            record.get("code", ""),  # recorded before there was one: older code
        )

    def running(self) -> bool:
        """Is the recorded process still this guest (not a PID reused since)?"""
        return self.identity.running()

    def outdated(self) -> bool:
        """Does its agent run vpnlab code other than this checkout's (updated since the
        guest booted)? Its answers would not fit this code's questions."""
        return self.code != code_version()

    def stop(self) -> list[str]:
        """Stop its qemu (never a PID that is no longer it); remove the shared folder.
        What is left: the guest's qemu, its folder."""
        if self.running():
            terminate_group(self.identity.pid)
        deadline = time.monotonic() + 10
        while qemu_processes(self.name) and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(self.folder, ignore_errors=True)
        left = [f"qemu (pid {pid}) of guest {self.name}" for pid in qemu_processes(self.name)]
        return left + ([f"directory {self.folder}"] if self.folder.exists() else [])

    def gone(self) -> str:
        """What to say of a guest that no longer runs."""
        return (
            f"the lab's guest kernel ({self.name}, pid {self.identity.pid}) is no longer "
            f"running (its console: {self.console})"
        )

    # --- requests --------------------------------------------------------------------

    def call(
        self,
        operation: str,
        bound: float,
        progress: Callable[[str], None] | None = None,
        **kwargs,
    ):
        """Run ``operation`` (driver/local/kept_guest_operations.py) in the guest; its
        value, or its error raised here as the same kind. A guest that stops (or an
        answer later than ``bound`` seconds) is a Fault."""
        if self.outdated():
            raise Fault(  # the caller says what to do: apply again boots a new one
                f"the lab's guest kernel ({self.name}) runs vpnlab's code from before an "
                f"update (booted with {self.code or 'an unrecorded version'}, this checkout "
                f"is {code_version()})"
            )
        ident = f"{os.getpid()}-{next(_requests)}-{time.monotonic_ns()}"
        requests, results = self.folder / REQUESTS, self.folder / RESULTS
        tmp = requests / f".{ident}.tmp"
        tmp.write_bytes(pickle.dumps((operation, kwargs)))
        tmp.rename(requests / f"{ident}.pickle")
        answer, said = results / f"{ident}.json", results / f"{ident}.progress"
        offset, deadline = 0, time.monotonic() + bound
        try:
            while True:
                done = answer.exists()  # before the progress: its last lines are written
                offset = _follow(said, offset, progress)
                if done:
                    return _value(json.loads(answer.read_text()), operation)
                if time.monotonic() > deadline:
                    raise Fault(f"the guest did not answer {operation} within {bound:.0f} s")
                if not self.running():
                    raise Fault(self.gone())
                time.sleep(ANSWER_POLL)
        finally:
            for leftover in (answer, said, requests / f"{ident}.pickle"):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _follow(path: Path, offset: int, progress: Callable[[str], None] | None) -> int:
    """Pass the whole lines written to ``path`` since ``offset`` on; the new offset."""
    try:
        with open(path, "rb") as file:
            file.seek(offset)
            data = file.read()
    except OSError:
        return offset
    whole = data[: data.rfind(b"\n") + 1]
    for line in whole.decode(errors="replace").splitlines():
        if progress is not None:
            progress(line)
    return offset + len(whole)


def _value(answer: dict, operation: str):
    error = answer.get("error")
    if error is None:
        return answer["value"]
    kind = getattr(errors, error["kind"], None) if error["kind"] else None
    if kind is not None:
        raise kind(error["message"])
    raise Fault(f"the guest's {operation} failed: {error['message']}")


def recorded(state) -> KeptGuest | None:
    """The guest a lab's state records (``LabState``), if any."""
    record = state.read(RECORD)
    return KeptGuest.from_record(record) if record else None
