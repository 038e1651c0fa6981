"""The other company's files as their server holds them, whatever reads them.

``--cgw-config`` is one file (with ``--cgw-secrets`` beside it) or a directory
that stands for the server's ``/etc`` (a directory holding ``etc/`` is taken as a
root file system). ``ServerFolder`` maps each file to its server path, follows
``include`` patterns the way IPsec daemons do (globbed, sorted, relative to the
including file), never follows a link out of the folder (vpnlab runs as root),
and bounds what it reads. Each implementation's reader (driver/cgw/strongswan/,
driver/cgw/libreswan/) parses the files; findings name them by the paths the
user gave.
"""

from __future__ import annotations

import glob
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.input_files import InputFileError, read_bytes, read_text, require_regular

MAX_FILES, MAX_BYTES = 500, 8 * 1024 * 1024


class CustomerConfigError(VpnlabError):
    pass


@dataclass
class ServerFolder:
    """Server path -> the user's file, and the notes an include left."""

    given: Path
    anchor: str  # the server folder the files stand for ("/etc", "/etc/swanctl")
    real_anchor: Path  # the user's folder that stands for it
    replaced_paths: tuple[str, ...] = ()  # paths the lab's own files replace
    files: dict[str, Path] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # server path -> as the user gave it
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, what) for lint
    replaced: list[str] = field(default_factory=list)  # the user's files the lab overrides

    @classmethod
    def of_directory(cls, given: Path, root: Path, replaced: tuple[str, ...]) -> ServerFolder:
        """Every file under ``root`` (the user's /etc) at its server path."""
        folder = cls(given, "/etc", root, replaced)
        count = size = 0
        try:
            found = sorted(root.rglob("*"))
        except (OSError, RuntimeError) as exc:  # a symbolic link loop, an unreadable folder
            raise CustomerConfigError(f"cannot read {root}: {exc}") from None
        for real in found:
            folder.refuse_outside(real, root)
            if not real.is_file():
                continue
            count, size = count + 1, size + real.stat().st_size
            if count > MAX_FILES or size > MAX_BYTES:
                raise CustomerConfigError(
                    f"{root} holds more than {MAX_FILES} files or {MAX_BYTES >> 20} MiB: pass "
                    "the directory that stands for the VPN server's /etc, not a whole system"
                )
            folder.map("/etc/" + real.relative_to(root).as_posix(), real)
        return folder

    @classmethod
    def of_file(cls, given: Path, server_path: str, replaced: tuple[str, ...]) -> ServerFolder:
        """One file, standing at ``server_path``; its includes resolve beside it."""
        require_regular(given, MAX_BYTES, "configuration")
        folder = cls(given, posixpath.dirname(server_path), given.parent, replaced)
        folder.map(server_path, given)
        return folder

    @staticmethod
    def refuse_outside(real: Path, root: Path) -> None:
        """vpnlab runs as root: a link out of the customer's folder is not followed, be
        it the file itself or a folder on its way (``ipsec.d -> /root/.ssh``)."""
        if not real.resolve().is_relative_to(root.resolve()):
            raise CustomerConfigError(f"{real} points outside {root}: copy the file in")

    def map(self, path: str, real: Path) -> None:
        if path in self.replaced_paths or any(
            path.startswith(p) for p in self.replaced_paths if p.endswith("/")
        ):
            self.replaced.append(str(real))
            return
        self.files[path] = real
        self.labels[path] = str(real)

    def label(self, path: str) -> str:
        return self.labels.get(path, path)

    def path_of(self, label: str) -> str:
        return next((p for p, lab in self.labels.items() if lab == label), label)

    def include(self, pattern: str, including: str, line: int) -> list[tuple[str, str]]:
        """The files an include line names (by their labels), with their text."""
        here = posixpath.dirname(self.path_of(including))
        server = posixpath.normpath(posixpath.join(here, pattern))
        where = f"{including}:{line}"
        if not server.startswith(self.anchor + "/"):
            hint = (
                "pass the directory that stands for /etc instead of one file"
                if self.anchor != "/etc"
                else "copy those files into the directory"
            )
            self.notes.append((where, f"{server} is outside {self.anchor}: not read; {hint}"))
            return []
        # the customer's folder may hold glob characters ('[prod]'); only the pattern globs
        real_pattern = glob.escape(str(self.real_anchor)) + server.removeprefix(self.anchor)
        matches = sorted(glob.glob(real_pattern))
        if not matches:
            what = "the pattern matches no file" if glob.has_magic(pattern) else "no such file"
            self.notes.append((where, f"include {pattern}: {what}"))
        out = []
        for real in matches:
            real_path = Path(real)
            if not real_path.is_file():
                continue
            self.refuse_outside(real_path, self.real_anchor)
            path = self.anchor + "/" + real_path.relative_to(self.real_anchor).as_posix()
            self.map(path, real_path)
            out.append((self.label(path), text_of(real_path)))
        return out

    def text(self, path: str) -> str:
        return text_of(self.files[path])

    def contents(self) -> dict[str, bytes]:
        return {path: read_bytes(real, MAX_BYTES) for path, real in self.files.items()}

    def executable(self, path: str) -> bool:
        return os.access(self.files[path], os.X_OK)


def root_of(given: Path, holds_config) -> Path:
    """The folder that stands for /etc: ``given``, or its ``etc/`` (a root file system)."""
    if not given.exists():
        raise CustomerConfigError(f"cannot read {given}: no such file or directory")
    if (given / "etc").is_dir() and not holds_config(given):
        return given / "etc"
    return given


def text_of(path: Path) -> str:
    try:
        return read_text(path, MAX_BYTES, "customer's configuration file")
    except InputFileError as exc:
        raise CustomerConfigError(str(exc)) from None
