"""FortiOS's CLI configuration, read by its grammar: ``config <path>`` opens a
table, ``edit <name>`` an entry of it, ``set <key> <value …>`` sets a key,
``unset <key>`` returns it to its default, ``next`` saves the entry, ``end`` saves
the table (and an entry left open in it); a ``config`` inside an entry opens a
sub-table (``config router bgp`` → ``config neighbor`` → ``edit 169.254.255.1``).
Values may be quoted with double quotes. FortiOS's own files comment with ``#``;
AWS's sample configuration (pasted as it is) with ``!``: both are skipped.

What FortiOS would not take is a problem with its line: an entry or a table left
unterminated when pasted (FortiOS saves an entry on ``next`` or ``end``; a table
left open swallows the lines after it: a ``config`` there is read as its
sub-table, so only top-level tables count), a ``next`` or ``end`` with nothing
open, a ``set`` outside any entry or table.
(FortiOS CLI Reference, "CLI configuration commands": config, edit, set, unset,
next, end.)
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from driver.cgw.settings import Conn, Setting

TOP = ""  # the name of a table's own settings (``config router bgp`` / ``set as …``)


@dataclass
class FortiConf:
    tables: dict[str, list[Conn]] = field(default_factory=dict)  # path -> entries
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)

    def entries(self, path: str) -> list[Conn]:
        return [e for e in self.tables.get(path, []) if e.name != TOP]

    def table(self, path: str) -> Conn | None:
        """A table's own settings (``set`` right under ``config``), if any."""
        return next((e for e in self.tables.get(path, []) if e.name == TOP), None)


@dataclass
class _Open:
    path: str
    line: int
    entry: Conn | None = None  # the entry being edited in this table


def parse(text: str, source: str) -> FortiConf:
    conf = FortiConf()
    stack: list[_Open] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = _words(raw)
        if not words:
            continue
        verb, args = words[0].lower(), words[1:]
        where = f"{source}:{number}"
        if verb == "config" and args:
            # a sub-table (of the table, or of its open entry) is named under its parent:
            # "router bgp/neighbor"
            path = " ".join(args) if not stack else f"{stack[-1].path}/{' '.join(args)}"
            stack.append(_Open(path, number))
        elif verb == "edit" and args and stack:
            top = stack[-1]
            if top.entry is not None:
                _save(conf, top)  # FortiOS saves the open entry before the next one
            top.entry = Conn(args[0], number, source)
        elif verb == "next" and stack and stack[-1].entry is not None:
            _save(conf, stack[-1])
        elif verb == "end" and stack:
            top = stack.pop()
            if top.entry is not None:
                _save(conf, top)
        elif verb in ("next", "end"):
            conf.problems.append((where, f"'{verb}' with no open entry or table"))
        elif verb in ("set", "unset") and args and stack:
            top = stack[-1]
            target = top.entry if top.entry is not None else _table(conf, top, source)
            value = " ".join(args[1:]) if verb == "set" else ""
            target.settings.append(Setting(args[0], value, number, source))
        elif verb in ("set", "unset", "edit"):
            conf.problems.append((where, f"'{verb}' outside any config table"))
        # other commands (show, get, execute) change nothing saved
    for left in stack:  # the outermost first: the one the others are read inside
        if left.entry is not None:
            conf.problems.append(
                (
                    f"{source}:{left.entry.line}",
                    f"entry '{left.entry.name}' of config {left.path} is never closed with "
                    "'next' or 'end': FortiOS saves an entry only then",
                )
            )
        conf.problems.append(
            (
                f"{source}:{left.line}",
                f"config {left.path} is never closed with 'end': every line after it is "
                "read inside it, where FortiOS takes no other table's commands",
            )
        )
    return conf


def _save(conf: FortiConf, table: _Open) -> None:
    entry, table.entry = table.entry, None
    entries = conf.tables.setdefault(table.path, [])
    same = next((e for e in entries if e.name == entry.name), None)
    if same is not None:  # editing an entry again changes it (FortiOS: edit existing)
        same.settings += entry.settings
    else:
        entries.append(entry)


def _table(conf: FortiConf, table: _Open, source: str) -> Conn:
    entries = conf.tables.setdefault(table.path, [])
    own = next((e for e in entries if e.name == TOP), None)
    if own is None:
        own = Conn(TOP, table.line, source)
        entries.append(own)
    return own


def _words(line: str) -> list[str]:
    """The line's words, quotes undone; a comment line (# or !) has none, and a
    trailing ' ! …' (AWS's sample's remarks) is not FortiOS's."""
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "!")):
        return []
    try:
        words = shlex.split(stripped, comments=False, posix=True)
    except ValueError:  # an unbalanced quote: take the words as they are
        words = stripped.split()
    if "!" in words:
        words = words[: words.index("!")]
    return words
