"""Files in a node's own /run and /var, read and written from the host.

Those folders are writable by the node's daemon and by a customer's script in it,
while vpnlab reaches them by their host paths as root: a link planted there
would lead vpnlab's read or write anywhere on the host (``/etc/shadow``), and a
FIFO or a device would hang or flood it. So every component below the node's
folder is opened without following links (``O_NOFOLLOW``, one directory at a
time), only a regular file is read, and only its last ``limit`` bytes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

LOG_LIMIT = 16 << 20  # a charon log of a long kept lab; its tail is what is read
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_beneath(base: Path, relative: str, flags: int, make_dirs: bool = False) -> int:
    """``base/relative`` opened with no link followed below ``base`` (which vpnlab made)."""
    parts = Path(relative).parts
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            if make_dirs:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o700, dir_fd=fd)
            inner = os.open(part, _DIR, dir_fd=fd)
            os.close(fd)
            fd = inner
        flags |= os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
        return os.open(parts[-1], flags, 0o600, dir_fd=fd)
    finally:
        os.close(fd)


def read_text(base: Path, relative: str, limit: int = LOG_LIMIT) -> str:
    """The text of a regular file under ``base`` (its last ``limit`` bytes); "" when it
    is absent, a link, or anything but a regular file."""
    try:
        fd = _open_beneath(base, relative, os.O_RDONLY)
    except OSError:
        return ""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ""
        if info.st_size > limit:
            os.lseek(fd, info.st_size - limit, os.SEEK_SET)
        chunks, size = [], 0
        while size < limit and (chunk := os.read(fd, min(1 << 20, limit - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks).decode(errors="replace")
    finally:
        os.close(fd)


def write_text(base: Path, relative: str, text: str) -> None:
    """Write a regular file under ``base``, making its folders, following no link."""
    fd = _open_beneath(base, relative, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, make_dirs=True)
    with os.fdopen(fd, "w") as out:
        if not stat.S_ISREG(os.fstat(out.fileno()).st_mode):
            raise OSError(f"{base / relative} is not a regular file")
        out.write(text)


def open_append(base: Path, relative: str):
    """A binary file object appending to ``base/relative`` (created), following no link."""
    fd = _open_beneath(base, relative, os.O_WRONLY | os.O_CREAT | os.O_APPEND, make_dirs=True)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{base / relative} is not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "ab")


def setup_finished(server, cgw) -> None:
    """What vpnlab-setup leaves on the VPN server instance when it is done (its log
    lines and /var/lib/vpnlab/ready): the AWS target's verify waits for them over SSM.
    ``server``: the node's IKE daemon; ``cgw``: the customer gateway it runs."""
    files = ", ".join(sorted(p for p in cgw.files if "secrets" not in p))
    # the node's /var is its own, and may hold links by now: written as above
    write_text(
        server.var_dir,
        "log/cloud-init-output.log",
        "vpnlab: local data plane: no cloud-init here; the VPN server's files come "
        f"from its user data: {files}\n"
        f"vpnlab: {server.version()} ({cgw.style}) started in {server.ns.name} "
        f"(pid {server.pid})\n"
        "vpnlab: VPN server ready\n",
    )
    ready = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + "\n"
    write_text(server.var_dir, "lib/vpnlab/ready", ready)
