"""What the router dialects' tests share: a fixture with a few edits, lint of a
text as the customer's file, and lint's findings by rule."""

import secrets
from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace


def edited(path: Path, *changes: tuple[str, str]) -> str:
    """``path``'s text with each (old, new) replaced; an ``old`` it lacks fails."""
    text = path.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


def by_rule(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


def linted(tmp_path: Path, lab, text: str, name: str = "config.txt") -> list:
    """Lint's findings for ``text`` as the customer's file ``name``."""
    path = tmp_path / name
    path.write_text(text)
    return lint_customer(lab, path, None)


def charon_loads(tmp_path: Path, twin) -> set[str]:
    """The connections a real charon loaded from a twin's files, in a namespace of its
    own: strongSwan's own parser is the judge of what a twin writes. Fails on any
    connection charon refused."""
    ns = Namespace(f"t{secrets.token_hex(3)}", "server").create()
    charon = Charon(ns, tmp_path / ns.name, dict(twin.files), "swanctl", twin.executables)
    try:
        charon.start()
        with charon.session() as session:
            conns = {k.decode() if isinstance(k, bytes) else k
                     for item in session.list_conns() for k in item}  # fmt: skip
        assert charon.refused() == []
        return conns
    finally:
        charon.stop()
        ns.delete()
