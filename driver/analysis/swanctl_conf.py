"""``swanctl.conf`` read as strongSwan's settings parser reads it.

The grammar is libstrongswan's (``src/libstrongswan/settings/settings_lexer.l``
and ``settings_parser.y`` at 5.9.8):

* ``name {`` opens a section, ``name : template, other {`` one with references,
  ``}`` closes it; sections may open and close on one line;
* ``key = value``: the value runs to the end of the line, to a ``#`` or to a
  ``}``; its words are joined by one space (``auth = psk; id = x`` is the
  value ``psk; id = x``, which charon then refuses); ``"…"`` quotes;
* ``include PATTERN`` anywhere, relative to the including file, globbed and
  sorted: the included settings land in the section the line is in;
* a section named twice (the conf.d layout) is one section: its settings are
  added and the last value of a key wins.

Every setting keeps the file and line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from driver.analysis.strongswan_conf import ConfigSyntaxError, Includer, Setting

_NAME = r'[^#{}:.,="\r\n\t ]+'
_TOKEN = re.compile(
    rf"""(?P<space>[\t\r ]+)|(?P<comment>\#[^\n]*)|(?P<newline>\n)
    |(?P<include>include[\t ]+(?=[^=\s]))|(?P<name>{_NAME})|(?P<punct>[{{}}:,=.])|(?P<quote>")""",
    re.X,
)
_VALUE_WORD = re.compile(r'[^#}"\r\n\t ]+')


@dataclass
class Section:
    name: str
    line: int
    source: str = ""
    settings: list[Setting] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def get(self, key: str, default: str | None = None) -> str | None:
        for setting in reversed(self.settings):
            if setting.key == key:
                return setting.value
        return default

    def setting(self, key: str) -> Setting | None:
        return next((s for s in reversed(self.settings) if s.key == key), None)

    def child(self, name: str) -> Section | None:
        return next((c for c in self.children if c.name == name), None)

    def subsection(self, name: str, line: int, source: str) -> Section:
        """The child named ``name``, created at its first appearance (sections merge)."""
        existing = self.child(name)
        if existing is None:
            existing = Section(name, line, source)
            self.children.append(existing)
        return existing


def parse_swanctl(
    text: str, source: str = "swanctl.conf", include: Includer | None = None
) -> Section:
    root = Section("", 0, source)
    _Parser(include).parse(text, source, [root])
    return root


class _Parser:
    def __init__(self, include: Includer | None):
        self.include = include
        self.depth = 0

    def parse(self, text: str, source: str, stack: list[Section]) -> None:
        """Parse one file into the open sections ``stack`` (its own braces must balance)."""
        base = len(stack)
        line, pos = 1, 0
        pending: list[tuple[str, int]] = []  # names before '{' or '='
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if not match:
                raise ConfigSyntaxError(source, line, f"syntax error near {text[pos : pos + 20]!r}")
            kind, token = match.lastgroup, match.group()
            pos = match.end()
            if kind in ("space", "comment"):
                continue
            if kind == "newline":
                line += 1
                continue
            if kind == "quote":
                raise ConfigSyntaxError(source, line, "unexpected string detected")
            if kind == "include":
                pattern, pos, line = _include_pattern(text, pos, line, source)
                self._include(pattern, source, line, stack)
                continue
            if kind == "name":
                pending.append((token, line))
                continue
            if token == "{":
                name, at = _section_name(pending, source, line)
                references = [n for n, _ in pending[2:] if n != ","] if len(pending) > 1 else []
                section = stack[-1].subsection(name, at, source)
                section.references += references
                stack.append(section)
                pending = []
            elif token == "}":
                if pending:
                    raise ConfigSyntaxError(
                        source, line, f"syntax error, unexpected '}}' after {pending[-1][0]!r}"
                    )
                if len(stack) == base:
                    raise ConfigSyntaxError(
                        source, line, "syntax error, unexpected '}': no section is open"
                    )
                stack.pop()
            elif token == "=":
                if len(pending) != 1:
                    raise ConfigSyntaxError(
                        source, line, "syntax error: expected one key name before '='"
                    )
                key, at = pending[0]
                value, pos = _value(text, pos, source, line)
                stack[-1].settings.append(Setting(key, value, at, source))
                pending = []
            elif token in (":", ","):
                if not pending:
                    raise ConfigSyntaxError(source, line, f"syntax error, unexpected {token!r}")
                pending.append((token, line))
            else:  # '.': dotted keys belong to strongswan.conf's command line, not here
                raise ConfigSyntaxError(source, line, "syntax error, unexpected '.'")
        if pending:
            raise ConfigSyntaxError(
                source,
                pending[-1][1],
                f"syntax error: {pending[-1][0]!r} is neither a section nor a setting",
            )
        if len(stack) > base:
            raise ConfigSyntaxError(
                source,
                stack[-1].line,
                f"syntax error, unexpected end of file: section '{stack[-1].name}' is never closed",
            )

    def _include(self, pattern: str, source: str, line: int, stack: list[Section]) -> None:
        if self.include is None:
            return
        self.depth += 1
        if self.depth > 10:  # strongSwan's MAX_INCLUSION_DEPTH
            raise ConfigSyntaxError(source, line, "includes nested more than 10 deep")
        for name, text in self.include(pattern, source):
            self.parse(text, name, stack)
        self.depth -= 1


def _section_name(pending: list[tuple[str, int]], source: str, line: int) -> tuple[str, int]:
    if not pending:
        raise ConfigSyntaxError(
            source, line, "syntax error, unexpected '{': a section needs a name"
        )
    name, at = pending[0]
    if len(pending) > 1 and pending[1][0] != ":":
        raise ConfigSyntaxError(
            source, line, f"syntax error: {' '.join(n for n, _ in pending)!r} before '{{'"
        )
    return name, at


def _value(text: str, pos: int, source: str, line: int) -> tuple[str, int]:
    """A value: words and quoted strings up to a newline, '#' or '}' (left unread)."""
    words = []
    while pos < len(text):
        char = text[pos]
        if char in "\t\r ":
            pos += 1
        elif char in "#}\n":
            break
        elif char == '"':
            string, pos = _string(text, pos + 1, source, line)
            words.append(string)
        else:
            match = _VALUE_WORD.match(text, pos)
            words.append(match.group())
            pos = match.end()
    return " ".join(words), pos


def _string(text: str, pos: int, source: str, line: int) -> tuple[str, int]:
    out = []
    while pos < len(text):
        char = text[pos]
        if char == '"':
            return "".join(out), pos + 1
        if char == "\\" and pos + 1 < len(text):
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(text[pos + 1], text[pos + 1]))
            pos += 2
            continue
        out.append(char)
        pos += 1
    raise ConfigSyntaxError(source, line, "unterminated string detected")


def _include_pattern(text: str, pos: int, line: int, source: str) -> tuple[str, int, int]:
    if pos < len(text) and text[pos] == '"':
        pattern, pos = _string(text, pos + 1, source, line)
        return pattern, pos, line
    match = re.compile(r'(?:\\.|[^"\\#}\r\n\t ])+').match(text, pos)
    pattern = re.sub(r"\\(.)", r"\1", match.group()) if match else ""
    return pattern, (match.end() if match else pos), line
