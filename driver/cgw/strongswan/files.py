"""The other company's strongSwan configuration, found and read as strongSwan finds
and reads it on their server.

``--cgw-config`` is either one file (``ipsec.conf`` or ``swanctl.conf``, with
``--cgw-secrets`` beside it) or a directory that stands for the server's
``/etc``: ``ipsec.conf`` + ``ipsec.secrets`` + ``ipsec.d/``, or
``swanctl/swanctl.conf`` + ``swanctl/conf.d/``, plus whatever else it holds
(updown scripts); driver/cgw/folder.py maps them to their server paths.

Paths inside the files are the server's (``include /etc/ipsec.d/*.conf``,
``leftupdown=/etc/ipsec.d/aws-updown.sh``); they resolve into the directory, and
the local lab runs every file at its server path (driver/local/dataplane/charon.py).
``include`` patterns are globbed and sorted, relative to the including file, as
strongSwan does. Findings name the files by the paths the user gave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from driver.cgw.folder import (
    MAX_BYTES,
    MAX_FILES,
    CustomerConfigError,
    ServerFolder,
    root_of,
    text_of,
)
from driver.cgw.settings import Conn, Secret
from driver.cgw.strongswan.ipsec_conf import effective_conns, parse_ipsec_conf, parse_ipsec_secrets
from driver.cgw.strongswan.swanctl_conf import Section, parse_swanctl, shared_secrets
from driver.core.input_files import require_regular

__all__ = ["MAX_BYTES", "MAX_FILES", "CustomerConfig", "CustomerConfigError", "load"]

IPSEC_CONF, IPSEC_SECRETS = "/etc/ipsec.conf", "/etc/ipsec.secrets"
SWANCTL_CONF = "/etc/swanctl/swanctl.conf"
# A --cgw-secrets file swanctl.conf does not include (driver/local/dataplane/cgw.py
# loads both in one swanctl --load-all).
EXTRA_SECRETS = "/etc/swanctl/vpnlab-cgw-secrets.conf"
# The lab's own files replace these: strongswan.conf (userspace ESP, the log file,
# vici) and sysctls (the lab's, applied to the node's namespace only: a customer's
# kernel.* or vm.* would reach the host).
REPLACED = ("/etc/strongswan.conf", "/etc/strongswan.d/", "/etc/sysctl.d/", "/etc/sysctl.conf")


@dataclass
class CustomerConfig:
    folder: ServerFolder  # the files at their server paths, and the notes includes left
    style: str  # "ipsec.conf" (starter) | "swanctl"
    sections: list[Conn] = field(default_factory=list)  # ipsec.conf, as written
    conns: list[Conn] = field(default_factory=list)  # ipsec.conf, %default and also= applied
    swanctl: Section | None = None  # swanctl.conf, includes read and sections merged
    secrets: list[Secret] = field(default_factory=list)
    extra_creds: list[str] = field(default_factory=list)  # secrets files swanctl.conf lacks

    @property
    def given(self) -> Path:
        return self.folder.given

    @property
    def files(self) -> dict[str, Path]:
        """Server path -> the user's file: what runs on the server."""
        return self.folder.files

    @property
    def labels(self) -> dict[str, str]:
        """Server path -> the path as the user gave it (for findings)."""
        return self.folder.labels

    @property
    def notes(self) -> list[tuple[str, str]]:
        return self.folder.notes

    @property
    def replaced(self) -> list[str]:
        return self.folder.replaced

    def contents(self) -> dict[str, bytes]:
        return self.folder.contents()

    def executable(self, path: str) -> bool:
        return self.folder.executable(path)


def load(config: Path, secrets: Path | None = None) -> CustomerConfig:
    """Read the configuration; a file strongSwan could not parse raises ConfigSyntaxError."""
    root = root_of(config, _holds_config)
    if config.is_dir():
        if secrets:
            raise CustomerConfigError(
                f"{config} is a directory: its secrets are the files in it "
                "(ipsec.secrets, swanctl/conf.d/…); drop --cgw-secrets"
            )
        return _Reader.of_directory(config, root).read()
    return _Reader.of_file(config, secrets).read()


class _Reader:
    """Reads the files strongSwan reads, through the folder's includes."""

    def __init__(self, folder: ServerFolder, style: str):
        self.folder = folder
        self.config = CustomerConfig(folder, style)
        self.main = SWANCTL_CONF if style == "swanctl" else IPSEC_CONF
        self.secrets_file: Path | None = None

    @classmethod
    def of_directory(cls, given: Path, root: Path) -> _Reader:
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
        folder = ServerFolder.of_directory(given, root, REPLACED)
        return cls(folder, "swanctl" if swanctl else "ipsec.conf")

    @classmethod
    def of_file(cls, given: Path, secrets: Path | None) -> _Reader:
        require_regular(given, MAX_BYTES, "configuration")  # before reading it for its style
        style = _style_of(given)
        main = SWANCTL_CONF if style == "swanctl" else IPSEC_CONF
        reader = cls(ServerFolder.of_file(given, main, REPLACED), style)
        if secrets:
            require_regular(secrets, MAX_BYTES, "secrets file")
            reader.secrets_file = secrets
        return reader

    def read(self) -> CustomerConfig:
        config, folder = self.config, self.folder
        main_label = folder.label(self.main)
        text = folder.text(self.main)
        if config.style == "swanctl":
            config.swanctl = parse_swanctl(text, main_label, folder.include)
            if self.secrets_file is not None:
                self._swanctl_secrets_file(self.secrets_file)
            config.secrets = shared_secrets(config.swanctl)
        else:
            config.sections = parse_ipsec_conf(text, main_label, folder.include)
            config.conns = effective_conns(config.sections)
            if self.secrets_file is not None:
                folder.map(IPSEC_SECRETS, self.secrets_file)
            if IPSEC_SECRETS in folder.files:  # without it, every tunnel lacks its key
                config.secrets = parse_ipsec_secrets(
                    folder.text(IPSEC_SECRETS), folder.label(IPSEC_SECRETS), folder.include
                )
        return config

    def _swanctl_secrets_file(self, secrets: Path) -> None:
        """A --cgw-secrets file: part of the tree already if swanctl.conf includes it."""
        if any(real.resolve() == secrets.resolve() for real in self.folder.files.values()):
            return
        self.folder.map(EXTRA_SECRETS, secrets)
        self.config.extra_creds.append(EXTRA_SECRETS)
        # read after swanctl.conf into the same tree, as one --load-all reads both
        parse_swanctl(text_of(secrets), str(secrets), self.folder.include, into=self.config.swanctl)


def _style_of(config: Path) -> str:
    """swanctl by the file's name or folder (a swanctl.conf may hold only includes), else
    by its braces."""
    if config.name == "swanctl.conf" or config.parent.name == "swanctl":
        return "swanctl"
    if config.name == "ipsec.conf":
        return "ipsec.conf"
    return "swanctl" if "{" in text_of(config) else "ipsec.conf"


def _holds_config(folder: Path) -> bool:
    return (folder / "ipsec.conf").is_file() or (folder / "swanctl").is_dir()


def _has_connections(ipsec_conf: Path) -> bool:
    return any(line.startswith("conn ") for line in text_of(ipsec_conf).splitlines())
