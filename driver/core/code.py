"""Which vpnlab code a long-lived process runs: the lab's emulator and a kept guest's
agent live from one apply to the destroy, and keep the code they started with. After
an update of vpnlab, their answers may no longer fit the new code's questions, so each
records this fingerprint when it starts and is compared with it."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # driver/


def fingerprint(root: Path) -> str:
    """A digest of the modules and templates under ``root`` (names and contents; their
    bytecode caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """This process's: vpnlab's package as the process first looks (a long-lived one
    looks when it starts). ~15 ms."""
    return fingerprint(PACKAGE)
