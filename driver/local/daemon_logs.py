"""``vpnlab check --logs DIR``: each daemon's log as it stood when the check ended.

A row says what went wrong in a sentence; the negotiation itself is in the daemons'
logs, which go with the lab's namespaces at teardown. With ``--logs`` they are kept:
AWS's two endpoints (``aws-tunnel1.log``, ``aws-tunnel2.log``), the customer
gateway's daemon (``customer-charon.log`` or ``customer-pluto.log``), FRR's bgpd on
each side of a BGP lab (``frr-vgw.log``, ``frr-server.log``); a Transit Gateway lab's
in a folder per site. A customer's configuration may raise its log level until keys
show, so the folder is the caller's alone (0700, its files 0600, handed to the user
``sudo`` ran for).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.lab.nodes import VGW_ENDPOINTS


def refuse_unusable(folder: Path) -> None:
    """VpnlabError (nothing written) unless the logs can go into ``folder``: a new
    folder, or an empty one, in a folder this user can write."""
    if folder.exists() and not folder.is_dir():
        raise VpnlabError(f"--logs {folder}: a file is there; the logs go into a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise VpnlabError(
            f"--logs {folder} is not empty: name a new folder (last run's logs stay as they are)"
        )
    parent = folder.resolve().parent
    if not folder.exists() and not parent.is_dir():
        raise VpnlabError(f"--logs {folder}: {parent} is no folder; make it, or name another")
    if not folder.exists() and not os.access(parent, os.W_OK):
        raise VpnlabError(f"--logs {folder}: {parent} is not writable")


def save(dp, folder: Path) -> None:
    """The logs of a VGW lab's data plane (``dp``: driver/local/dataplane/network.py)."""
    logs = {}
    for name, daemon in dp.charons.items():
        if name in VGW_ENDPOINTS:
            logs[f"aws-tunnel{VGW_ENDPOINTS.index(name) + 1}.log"] = daemon.log()
        else:
            logs[f"customer-{daemon.program}.log"] = daemon.log()
    for node, frr in dp.frr.items():
        logs[f"frr-{node}.log"] = frr.log()
    _write(folder, logs)


def save_transit(tdp, folder: Path) -> None:
    """A Transit Gateway lab's: each site's, in a folder named after it."""
    _private_folder(folder)
    for plane in tdp.sites:
        save(plane.dp, folder / f"site-{plane.site.name}")


def copy(source: Path, folder: Path) -> None:
    """Logs a guest's check saved in its shared folder, brought to ``folder``."""
    _private_folder(folder)
    for path in sorted(source.rglob("*")):
        target = folder / path.relative_to(source)
        if path.is_dir() and not path.is_symlink():
            _private_folder(target)
        elif path.is_file() and not path.is_symlink():
            _write(target.parent, {target.name: path.read_text(errors="replace")})


def _write(folder: Path, logs: dict[str, str]) -> None:
    _private_folder(folder)
    for name, text in logs.items():
        path = folder / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(text)
        except OSError as exc:
            raise VpnlabError(f"cannot write the log {path}: {exc.strerror}") from None
        _to_caller(path)


def _private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # an empty folder the caller made: theirs alone now too
    except OSError as exc:
        raise VpnlabError(f"cannot create the logs' folder {folder}: {exc.strerror}") from None
    _to_caller(folder)


def _to_caller(path: Path) -> None:
    """Owned by the user who ran ``sudo vpnlab``, so they read it without root."""
    uid, gid = os.environ.get("SUDO_UID"), os.environ.get("SUDO_GID")
    if os.geteuid() == 0 and uid and gid and uid.isdecimal() and gid.isdecimal():
        with contextlib.suppress(OSError):  # a filesystem without owners: root keeps it
            os.chown(path, int(uid), int(gid), follow_symlinks=False)
