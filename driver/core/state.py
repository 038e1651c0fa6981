"""One state directory per lab: ``.vpnlab/<lab>/`` (git-ignored).

terraform/        the synthesized stack, the emulator override, terraform.tfstate
dataplane/        the charons' files, /run directories and logs
logs/             the emulator's log, the guest's console
emulator.json     PID and port of the lab's AWS emulator
guest.json        the guest kernel kept for the lab's data plane (driver/local/guest/kept.py)
dataplane.json    PIDs and address plan of the running data plane (in the guest's own
                  state when the guest runs it)
last-verify.json  the last verify report
lock              held by check, apply, verify and destroy, so two cannot run at once
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.paths import state_path, state_root

DATAPLANE_RECORD = "dataplane.json"  # the running data plane's record (above)


class LabState:
    def __init__(self, lab: str, root: Path | None = None):
        """``root``: the state folder (default: state_root's, made and checked when a
        first file is written: reading a lab's state leaves nothing behind)."""
        self.lab = lab
        self._default_root = root is None
        self.root = (root or state_path()) / lab
        self.terraform_dir = self.root / "terraform"
        self.dataplane_dir = self.root / "dataplane"
        self.logs = self.root / "logs"

    def read(self, name: str) -> dict | None:
        try:
            return json.loads((self.root / name).read_text())
        except FileNotFoundError:
            return None

    def write(self, name: str, data: dict) -> None:
        self._own_root()
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{name}.tmp"
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.root / name)

    def _own_root(self) -> None:
        if self._default_root:
            state_root()  # made 0700, or refused if it is not this user's own

    def forget(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    @contextlib.contextmanager
    def lock(self, operation: str):
        """Exclusive for this lab (check, apply, verify, destroy); a second one fails at
        once, saying who holds it. The lock file goes with the last of the lab's state."""
        path = self.root / "lock"
        self._own_root()
        while True:
            self.root.mkdir(parents=True, exist_ok=True)  # its last holder may remove it
            try:
                handle = open(path, "a+")  # noqa: SIM115 - closed below, after the unlink
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another vpnlab process"
                handle.close()
                raise VpnlabError(
                    f"lab '{self.lab}' is busy: {holder}; wait for it to finish"
                ) from None
            if _same_file(handle, path):
                break
            handle.close()  # its holder removed it as we opened it: take the new one
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{operation} by pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            if self.root.is_dir() and [p.name for p in self.root.iterdir()] == ["lock"]:
                path.unlink()  # while still held: a waiter sees it gone and retries
                with contextlib.suppress(OSError):
                    self.root.rmdir()
            handle.close()

    def remove(self, keep: tuple[str, ...] = ()) -> None:
        """The lab's state directory, but for the entries named in ``keep``."""
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        for entry in self.root.iterdir() if self.root.is_dir() else []:
            if entry.name in keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _same_file(handle, path: Path) -> bool:
    """Is ``path`` still the file ``handle`` holds (not unlinked by its last holder)?"""
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False
