"""The other company's strongSwan configuration, found and read as strongSwan finds
and reads it on their server.

``--cgw-config`` is either one file (``ipsec.conf`` or ``swanctl.conf``, with
``--cgw-secrets`` beside it) or a directory that stands for the server's
``/etc``: ``ipsec.conf`` + ``ipsec.secrets`` + ``ipsec.d/``, or
``swanctl/swanctl.conf`` + ``swanctl/conf.d/``, plus whatever else it holds
(updown scripts). A directory holding ``etc/`` is taken as a root file system.

Paths inside the files are the server's (``include /etc/ipsec.d/*.conf``,
``leftupdown=/etc/ipsec.d/aws-updown.sh``); they resolve into the directory, and
the local lab runs every file at its server path (driver/local/dataplane/charon.py).
``include`` patterns are globbed and sorted, relative to the including file, as
strongSwan does. Findings name the files by the paths the user gave.
"""

from __future__ import annotations

import glob
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from driver.cgw.strongswan.ipsec_conf import (
    Conn,
    Secret,
    effective_conns,
    parse_ipsec_conf,
    parse_ipsec_secrets,
)
from driver.cgw.strongswan.swanctl_conf import Section, parse_swanctl, shared_secrets
from driver.errors import VpnlabError
from driver.input_files import InputFileError, read_bytes, read_text, require_regular

IPSEC_CONF, IPSEC_SECRETS = "/etc/ipsec.conf", "/etc/ipsec.secrets"
SWANCTL_CONF = "/etc/swanctl/swanctl.conf"
# A --cgw-secrets file swanctl.conf does not include (driver/local/dataplane/cgw.py
# loads both in one swanctl --load-all).
EXTRA_SECRETS = "/etc/swanctl/vpnlab-cgw-secrets.conf"
# The lab's own files replace these: strongswan.conf (userspace ESP, the log file,
# vici) and sysctls (the lab's, applied to the node's namespace only: a customer's
# kernel.* or vm.* would reach the host).
REPLACED = ("/etc/strongswan.conf", "/etc/strongswan.d/", "/etc/sysctl.d/", "/etc/sysctl.conf")
MAX_FILES, MAX_BYTES = 500, 8 * 1024 * 1024


class CustomerConfigError(VpnlabError):
    pass


@dataclass
class CustomerConfig:
    given: Path
    style: str  # "ipsec.conf" (starter) | "swanctl"
    files: dict[str, Path]  # server path -> the user's file: what runs on the server
    labels: dict[str, str]  # server path -> the path as the user gave it (for findings)
    sections: list[Conn] = field(default_factory=list)  # ipsec.conf, as written
    conns: list[Conn] = field(default_factory=list)  # ipsec.conf, %default and also= applied
    swanctl: Section | None = None  # swanctl.conf, includes read and sections merged
    secrets: list[Secret] = field(default_factory=list)
    extra_creds: list[str] = field(default_factory=list)  # secrets files swanctl.conf lacks
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, what) for lint
    replaced: list[str] = field(default_factory=list)  # the user's files the lab overrides

    def contents(self) -> dict[str, bytes]:
        return {path: read_bytes(real, MAX_BYTES) for path, real in self.files.items()}

    def executable(self, path: str) -> bool:
        return os.access(self.files[path], os.X_OK)


def load(config: Path, secrets: Path | None = None) -> CustomerConfig:
    """Read the configuration; a file strongSwan could not parse raises ConfigSyntaxError."""
    if not config.exists():
        raise CustomerConfigError(f"cannot read {config}: no such file or directory")
    if not config.is_dir():
        require_regular(config, MAX_BYTES, "configuration")
    if config.is_dir():
        if secrets:
            raise CustomerConfigError(
                f"{config} is a directory: its secrets are the files in it "
                "(ipsec.secrets, swanctl/conf.d/…); drop --cgw-secrets"
            )
        return _Reader.of_directory(config).read()
    return _Reader.of_file(config, secrets).read()


class _Reader:
    """Maps server paths to the user's files and follows includes."""

    def __init__(self, given: Path, style: str, anchor: str, real_anchor: Path):
        self.config = CustomerConfig(given, style, {}, {})
        self.anchor, self.real_anchor = anchor, real_anchor  # server dir <-> the user's dir
        self.main = SWANCTL_CONF if style == "swanctl" else IPSEC_CONF

    @classmethod
    def of_directory(cls, given: Path) -> _Reader:
        root = given
        if (given / "etc").is_dir() and not _holds_config(given):
            root = given / "etc"
        starter, swanctl = (
            (root / "ipsec.conf").is_file(),
            (root / "swanctl/swanctl.conf").is_file(),
        )
        if not (starter or swanctl):
            raise CustomerConfigError(
                f"{given} holds neither ipsec.conf nor swanctl/swanctl.conf: pass the "
                "directory that stands for the server's /etc (or one configuration file)"
            )
        if starter and swanctl and _has_connections(root / "ipsec.conf"):
            raise CustomerConfigError(
                f"{given} holds both ipsec.conf (with conns) and swanctl/swanctl.conf: a "
                "server runs one of them; remove the other from the directory"
            )
        reader = cls(given, "swanctl" if swanctl else "ipsec.conf", "/etc", root)
        reader._stage_directory(root)
        return reader

    @classmethod
    def of_file(cls, given: Path, secrets: Path | None) -> _Reader:
        style = _style_of(given)
        anchor = posixpath.dirname(SWANCTL_CONF if style == "swanctl" else IPSEC_CONF)
        reader = cls(given, style, anchor, given.parent)
        reader._map(reader.main, given)
        if secrets:
            require_regular(secrets, MAX_BYTES, "secrets file")
            reader.secrets_file = secrets
        return reader

    secrets_file: Path | None = None

    def _stage_directory(self, root: Path) -> None:
        count = size = 0
        try:
            found = sorted(root.rglob("*"))
        except (OSError, RuntimeError) as exc:  # a symbolic link loop, an unreadable folder
            raise CustomerConfigError(f"cannot read {root}: {exc}") from None
        for real in found:
            self._refuse_outside(real, root)
            if not real.is_file():
                continue
            path = "/etc/" + real.relative_to(root).as_posix()
            count, size = count + 1, size + real.stat().st_size
            if count > MAX_FILES or size > MAX_BYTES:
                raise CustomerConfigError(
                    f"{root} holds more than {MAX_FILES} files or {MAX_BYTES >> 20} MiB: pass "
                    "the directory that stands for the VPN server's /etc, not a whole system"
                )
            self._map(path, real)

    @staticmethod
    def _refuse_outside(real: Path, root: Path) -> None:
        """vpnlab runs as root: a link out of the customer's folder is not followed, be
        it the file itself or a folder on its way (``ipsec.d -> /root/.ssh``)."""
        if not real.resolve().is_relative_to(root.resolve()):
            raise CustomerConfigError(f"{real} points outside {root}: copy the file in")

    def _map(self, path: str, real: Path) -> None:
        if path in REPLACED or any(path.startswith(p) for p in REPLACED if p.endswith("/")):
            self.config.replaced.append(str(real))
            return
        self.config.files[path] = real
        self.config.labels[path] = str(real)

    def _label(self, path: str) -> str:
        return self.config.labels.get(path, path)

    def _path_of(self, label: str) -> str:
        return next((p for p, lab in self.config.labels.items() if lab == label), label)

    def include(self, pattern: str, including: str, line: int) -> list[tuple[str, str]]:
        """The files an include line names, in strongSwan's order."""
        here = posixpath.dirname(self._path_of(including))
        server = posixpath.normpath(posixpath.join(here, pattern))
        where = f"{including}:{line}"
        if not server.startswith(self.anchor + "/"):
            hint = (
                "pass the directory that stands for /etc instead of one file"
                if self.anchor != "/etc"
                else "copy those files into the directory"
            )
            self.config.notes.append(
                (where, f"{server} is outside {self.anchor}: not read; {hint}")
            )
            return []
        # the customer's folder may hold glob characters ('[prod]'); only the pattern globs
        real_pattern = glob.escape(str(self.real_anchor)) + server.removeprefix(self.anchor)
        matches = sorted(glob.glob(real_pattern))
        if not matches:
            what = "the pattern matches no file" if glob.has_magic(pattern) else "no such file"
            self.config.notes.append((where, f"include {pattern}: {what}"))
        out = []
        for real in matches:
            real_path = Path(real)
            if not real_path.is_file():
                continue
            self._refuse_outside(real_path, self.real_anchor)
            path = self.anchor + "/" + real_path.relative_to(self.real_anchor).as_posix()
            self._map(path, real_path)
            out.append((self._label(path), _text(real_path)))
        return out

    def read(self) -> CustomerConfig:
        config = self.config
        main_label = self._label(self.main)
        text = _text(config.files[self.main])
        if config.style == "swanctl":
            config.swanctl = parse_swanctl(text, main_label, self.include)
            if self.secrets_file is not None:
                self._swanctl_secrets_file(self.secrets_file)
            config.secrets = shared_secrets(config.swanctl)
        else:
            config.sections = parse_ipsec_conf(text, main_label, self.include)
            config.conns = effective_conns(config.sections)
            if self.secrets_file is not None:
                self._map(IPSEC_SECRETS, self.secrets_file)
            if IPSEC_SECRETS in config.files:  # without it, every tunnel lacks its key
                secrets = _text(config.files[IPSEC_SECRETS])
                config.secrets = parse_ipsec_secrets(
                    secrets, self._label(IPSEC_SECRETS), self.include
                )
        return config

    def _swanctl_secrets_file(self, secrets: Path) -> None:
        """A --cgw-secrets file: part of the tree already if swanctl.conf includes it."""
        if any(real.resolve() == secrets.resolve() for real in self.config.files.values()):
            return
        self._map(EXTRA_SECRETS, secrets)
        self.config.extra_creds.append(EXTRA_SECRETS)
        # read after swanctl.conf into the same tree, as one --load-all reads both
        parse_swanctl(_text(secrets), str(secrets), self.include, into=self.config.swanctl)


def _style_of(config: Path) -> str:
    """swanctl by the file's name or folder (a swanctl.conf may hold only includes), else
    by its braces."""
    if config.name == "swanctl.conf" or config.parent.name == "swanctl":
        return "swanctl"
    if config.name == "ipsec.conf":
        return "ipsec.conf"
    return "swanctl" if "{" in _text(config) else "ipsec.conf"


def _holds_config(folder: Path) -> bool:
    return (folder / "ipsec.conf").is_file() or (folder / "swanctl").is_dir()


def _has_connections(ipsec_conf: Path) -> bool:
    return any(line.startswith("conn ") for line in _text(ipsec_conf).splitlines())


def _text(path: Path) -> str:
    try:
        return read_text(path, MAX_BYTES, "customer's configuration file")
    except InputFileError as exc:
        raise CustomerConfigError(str(exc)) from None
