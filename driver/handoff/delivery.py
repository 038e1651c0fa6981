"""Writing the hand-off: the sheet as Markdown or a workbook, and the keys in a
file of their own that only its owner can read (never in the sheet)."""

from __future__ import annotations

import os
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.output_files import write_text
from driver.handoff.connection import Connection
from driver.handoff.markdown import markdown
from driver.handoff.sheet import sheet
from driver.handoff.words import say
from driver.handoff.workbook import workbook


def write_sheet(connection: Connection, lab_name: str, lang: str, output: Path | None) -> str:
    """The sheet's Markdown (``output`` None), or the file written: a workbook when
    ``output`` ends in .xlsx, Markdown otherwise."""
    document = sheet(connection, lab_name, lang)
    if output is None:
        return markdown(document)
    if output.suffix.lower() == ".xlsx":
        return str(workbook(document, output))
    return str(write_text(output, markdown(document), "sheet"))


def refuse_keys_file(connection: Connection, path: Path, lab_name: str) -> None:
    """VpnlabError (before anything is written) unless the keys can go to ``path``."""
    if any(key is None for key in connection.keys) and connection.origin[0] == "v.origin_lab":
        raise VpnlabError(
            f"lab '{lab_name}' writes no keys: AWS generates them when the VPN connection is "
            "created; --target local|aws reads them from the applied connection"
        )
    if any(key is None for key in connection.keys):
        raise VpnlabError(
            "the VPN connection's record holds no key for a tunnel (AWS keeps it elsewhere, "
            "e.g. in Secrets Manager): no keys file to write; nothing was written"
        )
    if path.exists():
        raise VpnlabError(f"{path} exists: --keys-file writes only a new file (nothing written)")


def keys_file(connection: Connection, path: Path, lab_name: str) -> Path:
    """Each tunnel's key, one per line beside its AWS outside address, in a new file
    created readable and writable by its owner only (0600 from the start: never a
    moment when another user could open it)."""
    refuse_keys_file(connection, path, lab_name)
    origin, fields = connection.origin
    lines = [
        f"# pre-shared keys of lab {lab_name}: {say('en', origin, **fields)}",
        "# deliver separately from the parameter sheet; delete after use",
    ]
    for n, (key, address) in enumerate(
        zip(connection.keys, connection.outside_addresses, strict=True), start=1
    ):
        lines.append(f"tunnel{n} {address or 'AWS-outside-address-not-yet-assigned'} {key}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path
