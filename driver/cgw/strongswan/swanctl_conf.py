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

import bisect
import copy
import re
from dataclasses import dataclass, field

from driver.cgw.settings import ConfigSyntaxError, Includer, Secret, Setting, Settings

_NAME = r'[^#{}:.,="\r\n\t ]+'
_TOKEN = re.compile(
    rf"""(?P<space>[\t\r ]+)|(?P<comment>\#[^\n]*)|(?P<newline>\n)
    |(?P<include>include[\t ]+(?=[^=\s]))|(?P<name>{_NAME})|(?P<punct>[{{}}:,=.])|(?P<quote>")""",
    re.X,
)
_VALUE_WORD = re.compile(r'[^#}"\r\n\t ]+')
_INCLUDE_WORD = re.compile(r'(?:\\.|[^"\\#}\r\n\t ])+')


@dataclass
class Section(Settings):
    name: str
    line: int
    source: str = ""
    settings: list[Setting] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # dotted paths from the root
    inherited: bool = False  # the references' settings are folded in

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
    text: str,
    source: str = "swanctl.conf",
    include: Includer | None = None,
    into: Section | None = None,
) -> Section:
    """The file's tree; ``into`` an existing one, as a file read after it merges."""
    root = into if into is not None else Section("", 0, source)
    _Parser(include).parse(text, source, [root])
    resolve_references(root)
    return root


class _Parser:
    def __init__(self, include: Includer | None):
        self.include = include
        self.depth = 0

    def parse(self, text: str, source: str, stack: list[Section]) -> None:
        """Parse one file into the open sections ``stack`` (its own braces must balance).

        A small state machine over the tokens, so a token the grammar does not
        allow fails where strongSwan's LALR parser fails: at that token.
        """
        base = len(stack)
        newlines = [i for i, c in enumerate(text) if c == "\n"]

        def line_at(pos: int) -> int:
            return bisect.bisect_left(newlines, pos) + 1

        def fail(pos: int, message: str) -> ConfigSyntaxError:
            return ConfigSyntaxError(source, line_at(pos), message)

        state, name, at, references = "start", "", 0, []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if not match:
                raise fail(pos, f"syntax error near {text[pos : pos + 20]!r}")
            kind, token, start = match.lastgroup, match.group(), pos
            pos = match.end()
            if kind in ("space", "comment", "newline"):
                continue
            if kind == "quote":
                raise fail(start, "unexpected string detected")
            if kind == "include" and state == "start":
                pattern, pos = _include_pattern(text, pos, source, line_at(start))
                self._include(pattern, source, line_at(start), stack)
                continue
            word = token if kind in ("name", "include") else None
            if state == "start":
                if word:
                    state, name, at, references = "named", word.strip(), line_at(start), []
                elif token == "}":
                    if len(stack) == base:
                        raise fail(start, "syntax error, unexpected '}': no section is open")
                    stack.pop()
                else:
                    raise fail(start, f"syntax error, unexpected {token!r}")
            elif state == "named":
                if token == "{":
                    stack.append(stack[-1].subsection(name, at, source))
                    state = "start"
                elif token == "=":
                    value, pos = _value(text, pos, source, line_at(start))
                    stack[-1].settings.append(Setting(name, value, at, source))
                    state = "start"
                elif token == ":":
                    state = "reference"
                else:
                    raise fail(
                        start,
                        f"syntax error, unexpected {token!r} after {name!r}: expecting "
                        "'{', '=' or ':'",
                    )
            elif state in ("reference", "reference part"):
                if not word:
                    raise fail(start, f"syntax error, unexpected {token!r}: expecting a name")
                if state == "reference":
                    references.append(word)
                else:  # a dotted path: templates.base
                    references[-1] += "." + word
                state = "references"
            elif token == ",":  # state "references"
                state = "reference"
            elif token == ".":
                state = "reference part"
            elif token == "{":
                section = stack[-1].subsection(name, at, source)
                section.references += references
                stack.append(section)
                state = "start"
            else:
                raise fail(start, f"syntax error, unexpected {token!r}: expecting ',' or '{{'")
        if state != "start":
            raise ConfigSyntaxError(
                source, at, f"syntax error, unexpected end of file after {name!r}"
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
        for name, text in self.include(pattern, source, line):
            self.parse(text, name, stack)
        self.depth -= 1


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
    """A quoted string (it may span lines); unterminated, it is reported where
    strongSwan's lexer notices it: at the end of the file."""
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
    raise ConfigSyntaxError(
        source, text.count("\n") + 1, f"unterminated string detected (opened on line {line})"
    )


def _include_pattern(text: str, pos: int, source: str, line: int) -> tuple[str, int]:
    if pos < len(text) and text[pos] == '"':
        return _string(text, pos + 1, source, line)
    match = _INCLUDE_WORD.match(text, pos)
    pattern = re.sub(r"\\(.)", r"\1", match.group()) if match else ""
    return pattern, (match.end() if match else pos)


def resolve_references(root: Section) -> None:
    """Fold referenced sections in (``b : connections.a { }``): a section's own
    settings win, then its references in the order written (settings.c)."""

    def find(path: str) -> Section | None:
        section: Section | None = root
        for name in path.split("."):
            section = section.child(name) if section else None
        return section

    def walk(section: Section) -> None:
        for child in section.children:
            walk(child)
        if section.references and not section.inherited:
            section.inherited = True
            for path in reversed(section.references):
                base = find(path)
                if base is not None and base is not section:
                    walk(base)
                    _inherit(section, base)

    walk(root)


def _inherit(section: Section, base: Section) -> None:
    section.settings[:0] = base.settings
    for child in base.children:
        own = section.child(child.name)
        if own is None:
            section.children.append(copy.deepcopy(child))
        else:
            _inherit(own, child)


def shared_secrets(root: Section) -> list[Secret]:
    """swanctl's ``secrets { ike<suffix> { id<suffix> = …; secret = … } }``: no id is any peer."""
    secrets = root.child("secrets")
    out = []
    for section in secrets.children if secrets else []:
        if not section.name.startswith("ike"):
            continue
        ids = [s.value for s in section.settings if s.key.startswith("id")]
        secret = section.setting("secret")
        out.append(
            Secret(
                ids,
                "PSK",
                secret.value if secret else "",
                secret.line if secret else section.line,
                secret.source if secret else section.source,
            )
        )
    return out
