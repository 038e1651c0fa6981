"""The example labs vpnlab ships (labs/ in a checkout, in the installed package
otherwise): listed, and copied where the user works (``vpnlab examples``)."""

from __future__ import annotations

from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.paths import EXAMPLES


def names() -> list[str]:
    return sorted(path.stem for path in EXAMPLES.glob("*.yml"))


def summary(name: str) -> str:
    """The example's header comment up to its first full stop or colon (outside
    parentheses)."""
    header = []
    for line in (EXAMPLES / f"{name}.yml").read_text().splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    text, depth = " ".join(header), 0
    for n, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char in ".:" and text[n + 1 : n + 2] in (" ", ""):
            return text[:n]
    return text


def write(chosen: list[str], folder: Path) -> list[Path]:
    """Copy the ``chosen`` examples into ``folder`` as NAME.yml; refuse, writing
    nothing, if one is unknown or its file exists."""
    unknown = [name for name in chosen if name not in names()]
    there = [folder / f"{name}.yml" for name in chosen if (folder / f"{name}.yml").exists()]
    problems = [f"no example named {name!r}" for name in unknown]
    problems += [f"{path} exists (vpnlab writes only new files)" for path in there]
    if problems:
        raise VpnlabError(
            "; ".join(problems) + f": nothing was written; the examples: {', '.join(names())}"
        )
    written = []
    for name in chosen:
        target = folder / f"{name}.yml"
        target.write_text((EXAMPLES / f"{name}.yml").read_text())
        target.chmod(0o644)  # a lab holds no key (lint refuses one in a shared file)
        written.append(target)
    return written
