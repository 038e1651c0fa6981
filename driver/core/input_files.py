"""Reading a file vpnlab was given: only a regular file, and only so much of it.

A lab file, a customer's configuration, a secrets file or a Terraform JSON comes
from a path someone typed or sent. A FIFO would block the read forever, a device
(``/dev/zero``, ``/dev/urandom``) never ends, a socket or a directory is no file:
each is refused at once, by what ``fstat`` says of the opened file (opened
without blocking, so a FIFO with no writer cannot hang the open either), and a
regular file is read up to a bound, never past it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from driver.core.errors import VpnlabError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(VpnlabError):
    pass


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """The whole of regular file ``path``, at most ``limit`` bytes; else InputFileError
    saying what the path is and what was expected."""
    try:  # stat first: a socket cannot even be opened
        _refuse_unless_regular(path, os.stat(path).st_mode, what)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
    try:  # and again what was opened: the path may have changed in between
        _refuse_unless_regular(path, os.fstat(fd).st_mode, what)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputFileError(f"{path} is larger than {limit} bytes: is this the {what}?")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _refuse_unless_regular(path: Path, mode: int, what: str) -> None:
    if not stat.S_ISREG(mode):
        raise InputFileError(f"{path} is {kind_of(mode)}: a {what} must be a regular file")


def require_regular(path: Path, limit: int | None, what: str = "file") -> None:
    """Refuse, without opening it, a ``path`` that is not a readable regular file of
    at most ``limit`` bytes (None: of any size) (InputFileError saying what it is)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
    _refuse_unless_regular(path, info.st_mode, what)
    if limit is not None and info.st_size > limit:
        raise InputFileError(f"{path} is larger than {limit} bytes: is this the {what}?")


def read_text(path: Path, limit: int, what: str = "file") -> str:
    """``read_bytes`` decoded as UTF-8, undecodable bytes replaced (configurations)."""
    return read_bytes(path, limit, what).decode(errors="replace")
