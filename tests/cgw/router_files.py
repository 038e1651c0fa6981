"""What the router dialects' tests share: a fixture with a few edits, lint of a
text as the customer's file, and lint's findings by rule."""

from pathlib import Path

from driver.analysis.cgw_lint import lint_customer


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
