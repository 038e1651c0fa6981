"""One boot of the guest kernel, running vpnlab commands inside it.

The guest is a data-plane host like this one: the very ``vpnlab check`` runs in
it, builds the lab's namespaces in the guest's kernel and tears them down, so
the checks, reports and diagnosis do not know where they ran. What crosses
over: the commands in (a script in a folder shared read-write), their output
and exit codes out (files there, and the console, streamed as it comes).

The guest sees this machine's root read-only (virtme-ng), so vpnlab's state
folder is a fresh tmpfs in it. Everything it starts ends with it: its qemu is
in a process group of its own, killed on return, on Ctrl-C and on SIGTERM; the
shared folder (also virtme-ng's own temporary files: TMPDIR) is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from driver.core import interrupts
from driver.core.errors import Fault
from driver.core.paths import PROJECT, STATE_DIR_VARIABLE, state_root
from driver.core.processes import process_alive
from driver.local.guest import cached_root
from driver.local.guest.machine import GuestMachine

# One vCPU. With two, CI's guest batch stalled in 3 of 8 runs: a CPU spinning for good
# in netif_receive_skb_list_internal under gro_cell_poll (the per-CPU GRO list of the
# kernel's ESP decapsulation, corrupted), only beside CI's busy host, never on an idle
# one. One vCPU rules out the cross-CPU races (the guest kernel's and those of qemu's
# multi-threaded emulation); a route-based check takes about as long (bench/guest.py).
CPUS = 1
MEMORY = "1G"
# Devices the guest's udev would load modules for and the lab never uses: under
# software emulation each costs seconds of boot.
UNUSED_MODULES = "kvm,kvm_amd,kvm_intel,ahci,sr_mod,i2c_i801,iTCO_wdt,lpc_ich,pcspkr,psmouse"
GUEST_FOLDER_PREFIX = "vpnlab-guest-"
FOLLOW_POLL = 0.2  # s between reads of the commands' files (a line every few seconds)
FOLDER = "{folder}"  # in a command: the folder shared with the guest


@dataclass(frozen=True)
class GuestResult:
    returncode: int
    stdout: str  # the console had both; this is the command's standard output alone


class GuestError(Fault):
    """The guest (qemu) ended before its commands did: a fault, not the input's."""


def guest_folders(name: str = "") -> list[Path]:
    """The shared folders of guests running now (or left by a killed vpnlab): all, or
    the guest ``name``'s."""
    pattern = f"{GUEST_FOLDER_PREFIX}{name}.*" if name else f"{GUEST_FOLDER_PREFIX}*"
    return sorted(Path(tempfile.gettempdir()).glob(pattern))


class Guest:
    def __init__(
        self,
        machine: GuestMachine,
        name: str,
        niceness: int = 0,
        kernel_messages: bool = False,
        cached: bool = True,
    ):
        """``niceness``: the guest's qemu's CPU priority against other work (``nice``;
        below 0 needs root): a test suite runs its guest beside its other tests.
        ``kernel_messages``: the guest kernel's own log on the console too (a test
        suite's console file, read when the guest stalls: RCU stalls, lockups).
        ``cached``: what it runs read through its page cache (cached_root.py), for a
        guest that ends with its commands, not one that outlives changes to this host's
        files (a kept lab's)."""
        self.machine, self.name, self.niceness = machine, name, niceness
        self.cached = cached
        self.kernel_messages = kernel_messages
        self.pid: int | None = None
        self.folder: Path | None = None
        self.keep_results: list[str] = []  # run_checks: the results its module writes
        self.check_results: list[GuestResult] = []

    def command(self, script: Path) -> list[str]:
        m = self.machine
        return [
            *(["nice", "-n", str(self.niceness)] if self.niceness else []),
            m.vng,
            "--run", str(m.image),
            # 9p at once: as root, virtme-ng takes Debian 12's qemu virtiofsd (the C one,
            # whose options differ), waits ~6 s for it to start, then falls back to 9p.
            "--force-9p",
            *([] if m.kvm else ["--disable-kvm"]),
            "--cpus", str(CPUS),
            "--memory", MEMORY,
            "--name", self.name,
            "--rwdir", str(script.parent),
            "--append", f"modprobe.blacklist={UNUSED_MODULES}",
            # Entropy from the start: charon's crypto libraries otherwise wait ~30 s
            # under emulation for the kernel's random pool.
            "--append", "random.trust_cpu=on",
            # No self-test of each crypto algorithm as it loads (cbc(aes), hmac(sha256)
            # for kernel ESP; the probe's first SA): they cost tens of seconds emulated.
            "--append", "cryptomgr.notests=1",
            "--qemu-opts=-device virtio-rng-pci"
            + (f" {cached_root.QEMU_OPTIONS}" if self.cached else ""),
            *(["--verbose"] if self.kernel_messages else []),
            "--exec", str(script),
        ]  # fmt: skip

    def run(
        self,
        commands: Sequence[Sequence[str]],
        stream: TextIO | None = None,
        timeout: float = 600,
        echo: bool = True,
        collect: Callable[[Path], None] | None = None,
    ) -> list[GuestResult]:
        """Boot, run ``commands`` one after the other (as root, in the project's
        folder), return each one's exit code and output; the guest is gone on return.
        ``stream`` shows their standard error as it comes, and their standard output
        too unless ``echo`` is false (a JSON document is read, not shown), with what
        the guest's console says (virtme-ng, the kernel). ``collect`` is given the
        folder shared with the guest before it goes (what the commands left there)."""
        self.folder = Path(tempfile.mkdtemp(prefix=f"{GUEST_FOLDER_PREFIX}{self.name}."))
        try:
            script = self.write_script(commands)
            env = os.environ | {
                "PATH": f"{Path(self.machine.vng).parent}:{os.environ.get('PATH', '/usr/bin')}",
                "TMPDIR": str(self.folder),  # virtme-ng's own temporary files
            }
            proc = subprocess.Popen(
                self.command(script),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=PROJECT,
                start_new_session=True,  # its qemu too: one group to stop
            )
            self.pid = proc.pid
            watchdog = threading.Timer(timeout, self._kill)
            watchdog.start()
            said: list[str] = []  # what the commands wrote, followed from their files
            names = [f"{n}.{kind}" for n in range(len(commands)) for kind in ("err", "out")]
            followed = names if echo else [n for n in names if n.endswith(".err")]
            follower = threading.Thread(
                target=self._follow_files, args=(proc, followed, stream, said), daemon=True
            )
            follower.start()
            try:
                console = self._follow(proc, stream)
            finally:
                watchdog.cancel()
                follower.join(timeout=10)
            console += "".join(said)
            self.check_results = [
                self._result(name, console, timeout) for name in self.keep_results
            ]
            return [self._result(str(n), console, timeout) for n in range(len(commands))]
        finally:
            try:
                if collect is not None:
                    collect(self.folder)
            finally:
                self.stop()

    def run_checks(
        self,
        checks: Sequence[Sequence[str]],
        stream: TextIO | None = None,
        timeout: float = 900,
        collect: Callable[[Path], None] | None = None,
    ) -> list[GuestResult]:
        """Several ``vpnlab check`` runs (their arguments after ``vpnlab``) in one boot
        and one Python process (driver/guest_checks.py: each check's daemons' logs in
        the shared folder's ``logs-<n>``, for ``collect``, as ``run``'s)."""
        module = [sys.executable, "-m", "driver.guest_checks", FOLDER, json.dumps(checks)]
        self.keep_results = [f"check-{n}" for n in range(len(checks))]
        try:
            self.run([module], stream, timeout, collect=collect)
        finally:
            self.keep_results = []
        return self.check_results

    def write_script(self, commands: Sequence[Sequence[str]]) -> Path:
        folder = self.folder
        lines = [
            "#!/bin/bash",
            *(cached_root.mount_lines() if self.cached else []),
            # The root is this machine's, read-only: vpnlab's state lives in the guest
            # (over the cached trees: the checkout holds it).
            f"mount -t tmpfs -o mode=0700 vpnlab-state {shlex.quote(str(state_root()))}",
            f"export {STATE_DIR_VARIABLE}={shlex.quote(str(state_root()))}",
            f"cd {shlex.quote(os.getcwd())}",
            # vpnlab's code, wherever it runs from (a checkout, an installed package)
            f"export PYTHONPATH={shlex.quote(str(PROJECT))}",
            # Its console may be a terminal: no spinner or colour in what the host shows.
            "export TERM=dumb NO_COLOR=1",
        ]
        if not self.machine.kvm:  # bounds on waits stretch (driver/local/check_command.py)
            lines.append("export VPNLAB_GUEST_EMULATED=1")
        for n, command in enumerate(commands):
            out, err, rc = (shlex.quote(str(folder / f"{n}.{k}")) for k in ("out", "err", "rc"))
            # FOLDER, or a path in it
            command = [
                str(folder) + w.removeprefix(FOLDER) if w.startswith(FOLDER) else w for w in command
            ]
            # Into files in the shared folder, which the host follows (_follow_files),
            # never onto the guest's console: under emulation its virtio-serial output
            # has stopped passing a command's lines mid-run while the command went on,
            # and a full console would block the command.
            lines.append(f"{shlex.join(command)} > {out} 2> {err}; echo $? > {rc}")
        script = folder / "guest.sh"
        script.write_text("\n".join(lines) + "\n")
        script.chmod(0o700)
        return script

    def _follow(self, proc: subprocess.Popen, stream: TextIO | None) -> str:
        console = []
        for line in iter(proc.stdout.readline, b""):
            text = line.decode(errors="replace")
            console.append(text)
            if stream is not None:
                stream.write(text)
                stream.flush()
        proc.wait()
        return "".join(console)

    def _follow_files(
        self, proc: subprocess.Popen, names: list[str], stream: TextIO | None, said: list[str]
    ) -> None:
        """Pass what the commands write to their files on to ``stream`` as whole lines,
        until qemu has ended and the files are read to their end."""
        offsets, partial = dict.fromkeys(names, 0), dict.fromkeys(names, "")
        while True:
            ended = proc.poll() is not None
            for name in names:
                try:
                    with open(self.folder / name, "rb") as file:
                        file.seek(offsets[name])
                        data = file.read()
                except OSError:  # not written yet, or the folder is gone
                    continue
                offsets[name] += len(data)
                *whole, partial[name] = (partial[name] + data.decode(errors="replace")).split("\n")
                if ended and partial[name]:  # its last line, without a newline
                    whole, partial[name] = [*whole, partial[name]], ""
                for line in whole:
                    said.append(line + "\n")
                    if stream is not None:
                        stream.write(line + "\n")
                        stream.flush()
            if ended:
                return
            time.sleep(FOLLOW_POLL)

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.killpg(self.pid, signal.SIGKILL)

    def _result(self, name: str, console: str, timeout: float) -> GuestResult:
        try:
            rc = int((self.folder / f"{name}.rc").read_text())
        except (FileNotFoundError, ValueError):
            tail = "\n".join(console.strip().splitlines()[-12:])
            raise GuestError(
                f"the guest kernel's qemu ended (or was stopped after {timeout:.0f} s) before "
                f"its command {name} did; nothing of it is left; run the check again "
                f"(its console's last lines follow)\n{tail}"
            ) from None
        return GuestResult(rc, (self.folder / f"{name}.out").read_text(errors="replace"))

    def stop(self) -> None:
        """Kill the guest's qemu (and virtme-ng) by process group; remove its folder."""
        with interrupts.deferred():
            if self.pid is not None:
                pid, self.pid = self.pid, None
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
                deadline = time.monotonic() + 10
                while _group_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
            if self.folder is not None:  # kept: the leak check looks whether it is gone
                shutil.rmtree(self.folder, ignore_errors=True)

    def leaks(self) -> list[str]:
        """What is left of this guest once stopped: its qemu, its shared folder."""
        left = [f"qemu (pid {pid}) of guest {self.name}" for pid in qemu_processes(self.name)]
        return left + [f"directory {f}" for f in [self.folder] if f is not None and f.exists()]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def qemu_processes(name: str = "") -> list[int]:
    """The guests' qemu processes running now: all vpnlab's, or the guest ``name``'s."""
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdecimal():
            try:
                argv = Path(f"/proc/{entry.name}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith(b"qemu-system-x86_64") and b"-name" in argv:
                guest = argv[argv.index(b"-name") + 1] if b"-name" in argv[:-1] else b""
                ours = guest == name.encode() if name else guest.startswith(b"vpnlab-")
                if ours and process_alive(int(entry.name)):
                    pids.append(int(entry.name))
    return pids
