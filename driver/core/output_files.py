"""Writing a file vpnlab was asked to write (a sheet, a report, a lab): refused
before anything runs when it cannot be written, so a long run never ends in a
traceback about a folder that does not exist."""

from __future__ import annotations

import os
from pathlib import Path

from driver.core.errors import VpnlabError


def refuse_unwritable(path: Path, what: str) -> None:
    """VpnlabError (nothing written) unless ``path`` can be written as ``what``."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise VpnlabError(f"{path} is a directory: the {what} is a file; nothing was written")
    if not folder.is_dir():
        raise VpnlabError(f"{folder} is no directory: cannot write the {what} {path}")
    if not os.access(folder, os.W_OK):
        raise VpnlabError(f"{folder} is not writable: cannot write the {what} {path}")


def write_text(path: Path, text: str, what: str) -> Path:
    """``path`` written, or VpnlabError saying why not (a full disk, a lost folder)."""
    try:
        path.write_text(text)
    except OSError as exc:
        raise VpnlabError(f"cannot write the {what} {path}: {exc.strerror}") from None
    return path
