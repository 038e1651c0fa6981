"""``vpnlab check --logs DIR``: each daemon's log as it stood when the check ended.

A row says what went wrong in a sentence; the negotiation itself is in the daemons'
logs, which go with the lab's namespaces at teardown. With ``--logs`` they are kept:
AWS's two endpoints (``aws-tunnel1.log``, ``aws-tunnel2.log``), the customer
gateway's daemon (``customer-charon.log`` or ``customer-pluto.log``), FRR's bgpd on
each side of a BGP lab (``frr-vgw.log``, ``frr-server.log``); a Transit Gateway lab's
in a folder per site (``site-NAME/``).

They are read as root from folders a customer's daemon and scripts write (so as
node_files reads them: no link followed, regular files only, their tail), and
written by the user who ran ``sudo`` (a child process with their rights alone:
vpnlab makes nothing as root in a folder of theirs, and follows none of their
links), into a new folder only they read (0700, files 0600: a customer's file can
raise its log level until keys show). Keeping them never changes the verdict: a
folder that cannot be made is refused before the check, a write that fails at its
end is a warning.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.lab.nodes import VGW_ENDPOINTS
from driver.local.dataplane import node_files


def refuse_unusable(folder: Path) -> None:
    """VpnlabError (nothing written) unless ``folder`` can be made: nothing (not even
    a link) is there, and its parent is a folder."""
    if os.path.lexists(folder):
        raise VpnlabError(
            f"--logs {folder} exists: name a new folder, vpnlab makes it (what is there "
            "stays as it is)"
        )
    parent = folder.absolute().parent
    if not parent.is_dir():
        raise VpnlabError(f"--logs {folder}: {parent} is no folder; make it, or name another")


def gathered(dp) -> dict[str, str]:
    """A VGW lab's data plane's logs (``dp``: driver/local/dataplane/network.py), by
    file name; a log that cannot be read is empty."""
    logs = {}
    for name, daemon in dp.charons.items():
        if name in VGW_ENDPOINTS:
            logs[f"aws-tunnel{VGW_ENDPOINTS.index(name) + 1}.log"] = _read(daemon)
        else:
            logs[f"customer-{daemon.program}.log"] = _read(daemon)
    for node, frr in dp.frr.items():
        logs[f"frr-{node}.log"] = _read(frr)
    return logs


def gathered_transit(tdp) -> dict[str, str]:
    """A Transit Gateway lab's: each site's, under ``site-NAME/``."""
    return {
        f"site-{plane.site.name}/{name}": text
        for plane in tdp.sites
        for name, text in gathered(plane.dp).items()
    }


def from_guest(base: Path) -> dict[str, str]:
    """The logs a guest's check kept in ``base`` (in its folder shared with this host,
    written by the guest's root): regular files only, no link followed."""
    if not base.is_dir() or base.is_symlink():
        return {}
    logs = {}
    for folder, _, files in os.walk(base, followlinks=False):
        for name in files:
            relative = str((Path(folder) / name).relative_to(base))
            logs[relative] = node_files.read_text(base, relative)
    return logs


def keep(logs: dict[str, str], folder: Path) -> None:
    """``logs`` written into the new folder ``folder``; a warning on standard error
    when they cannot be (the check's verdict stands)."""
    uid, gid = os.environ.get("SUDO_UID", ""), os.environ.get("SUDO_GID", "")
    try:
        if os.geteuid() == 0 and uid.isdecimal() and gid.isdecimal():
            _as_caller(int(uid), int(gid), str(folder.absolute()), logs)
        else:
            _write(str(folder.absolute()), logs)
    except OSError as exc:
        print(f"vpnlab: warning: --logs {folder}: not kept: {exc}", file=sys.stderr)


def _as_caller(uid: int, gid: int, folder: str, logs: dict[str, str]) -> None:
    """``_write`` in a child process with the caller's rights alone (no program run:
    theirs may not reach vpnlab's Python); what failed comes back through a pipe."""
    said, tell = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: system calls only, then gone
        os.close(said)
        code = 0
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            _write(folder, logs)
        except BaseException as exc:  # noqa: BLE001 - said to the parent, whatever it is
            os.write(tell, str(exc).encode(errors="replace")[:2000])
            code = 1
        os._exit(code)
    os.close(tell)
    with os.fdopen(said, "rb") as pipe:
        message = pipe.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise OSError(message or "the caller's process failed")


def _read(daemon) -> str:
    try:
        return daemon.log()
    except OSError as exc:
        return f"(unreadable: {exc.strerror})\n"


def _write(folder: str, logs: dict[str, str]) -> None:
    """Make ``folder`` (0700) and each log in it (0600), following no link."""
    os.mkdir(folder, 0o700)
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    top = os.open(folder, flags)
    try:
        for relative, text in logs.items():
            *folders, name = parts = relative.split("/")
            if any(part in ("", ".", "..") for part in parts):
                raise OSError(f"not a log's name: {relative}")
            fd = os.dup(top)
            try:
                for part in folders:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o700, dir_fd=fd)
                    inner = os.open(part, flags, dir_fd=fd)
                    os.close(fd)
                    fd = inner
                create = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                with os.fdopen(os.open(name, create, 0o600, dir_fd=fd), "w") as out:
                    out.write(text)
            finally:
                os.close(fd)
    finally:
        os.close(top)
