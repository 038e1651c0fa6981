"""Libreswan's own tools as the judges of its syntax, run on the customer's files
(never as a daemon: nothing here needs root or a kernel).

* ``readwriteconf`` is Libreswan's configuration parser: what it refuses (a
  syntax error, an unknown keyword, a value it does not take, a key set twice,
  an ``also=`` to nowhere) is refused in its own words, and what it loads is
  each conn's settings as pluto would get them.
* ``algparse`` is its proposal parser: ``ike=`` and ``esp=``/``phase2alg=`` as
  Libreswan expands them (``AES_CBC_256-HMAC_SHA2_256-MODP2048``), or its words
  for what it does not support (``IKE DH algorithm 'modp1024' is not supported``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from driver.cgw.libreswan.files import IPSEC_CONF, LibreswanConfig
from driver.cgw.libreswan.install import tool

TIMEOUT = 10  # seconds: a parser over a few files
NOBODY = 65534  # the user (and group) Libreswan's parsers run as under root
SECRETS = ("/etc/ipsec.secrets", ".secrets")  # what readwriteconf never reads


@dataclass
class Parsed:
    """What readwriteconf made of the files."""

    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, its words)
    conns: dict[str, dict[str, str]] = field(default_factory=dict)  # conn -> key -> value
    loaded: bool = True  # False: the whole file was refused


def readwriteconf(config: LibreswanConfig) -> Parsed:
    """Libreswan's parse of the files, staged at their server paths (not the secrets:
    it reads none) in a folder only the unprivileged user it runs as can read."""
    with tempfile.TemporaryDirectory(prefix="vpnlab-libreswan-") as root:
        for path, real in config.folder.files.items():
            if not path.endswith(SECRETS):
                staged = Path(root) / path.lstrip("/")
                staged.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(real, staged)
        if os.geteuid() == 0:  # theirs alone, whatever the umask made of the copies
            for staged in (Path(root), *Path(root).rglob("*")):
                os.chown(staged, NOBODY, NOBODY)
        argv = [str(tool("readwriteconf")), "--rootdir", root, "--config", root + IPSEC_CONF]
        proc = _unprivileged(argv)
        labels = {root + path: config.folder.label(path) for path in config.folder.files}
    return _parsed(proc.stdout, proc.stderr, labels)


def _unprivileged(argv: list[str]) -> subprocess.CompletedProcess:
    """A parser of the other company's text, run as nobody when vpnlab runs as root: an
    include that climbs out of the staged folder (``include /../../etc/shadow``) must
    not read what only root may."""
    if os.geteuid() == 0:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                "--no-new-privs", "--", *argv]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)


def _parsed(stdout: str, stderr: str, labels: dict[str, str]) -> Parsed:
    parsed = Parsed()
    for line in stderr.splitlines():
        where = _ERROR.match(line) or _CANNOT.search(line)
        if where:  # a value a keyword does not take, a syntax error: the file is refused
            parsed.loaded = False
            parsed.errors.append((f"{labels.get(where[1], where[1])}:{where[2]}", where[3]))
    _, ignoring, refused = stderr.partition('", ignoring: ')
    if ignoring:  # the conns refused, one reason a line
        for line in refused.splitlines():
            if line.strip():
                parsed.errors.append(("", _PROCESSING.sub("", line.strip())))
    current: dict[str, str] | None = None
    for line in stdout.splitlines():
        if line.startswith("conn "):  # a conn written twice: the later replaces it in pluto
            current = parsed.conns[line.split(None, 1)[1]] = {}
        elif line.startswith("\t") and current is not None and "=" in line:
            key, value = line.strip().split("=", 1)
            if value or key not in current:  # defaults print first, empty
                current[key] = value
        elif not line.startswith("\t"):
            current = None
    return parsed


_ERROR = re.compile(r"^ERROR: (.+?): (\d+): (.+)$")
_CANNOT = re.compile(r"cannot be loaded: (.+?):(\d+): (.+)$")
_PROCESSING = re.compile(r" while processing def .*$")


@dataclass(frozen=True)
class Proposals:
    expanded: tuple[str, ...]  # Libreswan's names: AES_CBC_256-HMAC_SHA2_256-MODP2048
    errors: tuple[str, ...]  # its words for what it refuses


def algparse(protocol: str, proposals: str, ikev1: bool, pfs: bool = True) -> Proposals:
    """``ike`` or ``esp`` proposals as Libreswan expands them for that IKE version."""
    argv = [str(tool("algparse")), "-v1" if ikev1 else "-v2"]
    argv += ["-pfs"] if protocol == "esp" and pfs else []
    proc = _unprivileged([*argv, f"{protocol}={proposals}"])
    lines = [line.strip() for line in (proc.stdout + proc.stderr).splitlines()[1:]]
    errors = tuple(line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR"))
    expanded = tuple(line for line in lines if line and not line.startswith(("ERROR", "algparse")))
    return Proposals(() if errors else expanded, errors)
