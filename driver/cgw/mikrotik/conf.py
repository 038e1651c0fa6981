"""A MikroTik RouterOS configuration as ``/export`` prints it (v6 and v7), read as
RouterOS's console reads a script of it.

The grammar (RouterOS manual, "Scripting" and "Configuration export"; seen in the
public exports the tests hold): a menu path on its own line (``/ip ipsec peer``)
sets where the commands after it run; a path may also lead a command on its line
(``/ip ipsec peer add …``, ``/export terse``; v7 also writes ``/ip/ipsec/peer/add``).
A command is ``add key=value …`` or ``set <which> key=value …``, where ``<which>``
is ``[ find default=yes ]`` (a default item: profile, proposal), ``[ find
name=X ]``, a number (``set 0``: the default policy template) or a name (``set
default as=65000``). A line ending in ``\\`` continues on the next, after its
indentation, with nothing between (a wrap may fall inside a word or a quoted
value). Values are bare or ``"quoted"`` with ``\\"``, ``\\\\``, ``\\_`` (a space)
and the other escapes; ``#`` begins a comment outside quotes; a verbose export's
``!key`` is a property left unset. v7 shortens dotted keys: ``local.address=A
.role=ebgp`` is ``local.role=ebgp``. The export's header names the release
(``# … by RouterOS 7.16.2``), whose defaults judge the file (defaults.py).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

VERBS = ("add", "set", "remove", "print", "export", "enable", "disable")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "_": " ", "a": "\a", "b": "\b", "f": "\f",
            "v": "\v"}  # fmt: skip
_RELEASE = re.compile(r"^#.*\bby RouterOS (\d+)\.(\d+)")


@dataclass
class Item:
    """One ``add`` or ``set`` command of a menu, each value with its line."""

    path: str  # "/ip ipsec peer"
    verb: str  # add | set
    which: str | None  # set's item: "default", a name, a number; None for add
    values: dict[str, str]
    line: int
    source: str

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    @property
    def name(self) -> str | None:
        return self.values.get("name") or (self.which if self.verb == "set" else None)

    @property
    def disabled(self) -> bool:
        return self.values.get("disabled") in ("yes", "true")

    @property
    def text(self) -> str:
        """The command, its secret (an identity's, a peer's before 6.44) masked."""
        said = " ".join(f"{k}={'*****' if k == 'secret' else v}" for k, v in self.values.items())
        return f"{self.path} {self.verb} {said}".strip()


@dataclass
class RosConf:
    items: list[Item]
    source: str
    release: tuple[int, int] | None = None  # from the export's header
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)

    def menu(self, path: str) -> list[Item]:
        return [i for i in self.items if i.path == path]

    def default(self, path: str) -> Item | None:
        """The menu's default item as the export sets it (``[ find default=yes ]``)."""
        return next((i for i in self.menu(path) if i.which == "default"), None)

    def named(self, path: str) -> dict[str, Item]:
        """The menu's items by name; the default item under ``default`` (the name
        RouterOS gives it) unless the export renames it."""
        out: dict[str, Item] = {}
        for item in self.menu(path):
            name = item.name
            if name:
                out.setdefault(name, item)
        return out


def parse(text: str, source: str) -> RosConf:
    conf = RosConf([], source)
    path = ""
    for number, line in _logical_lines(text):
        stripped = line.strip()
        if not conf.items and conf.release is None and (found := _RELEASE.match(stripped)):
            conf.release = (int(found[1]), int(found[2]))
        words = _words(stripped, conf, f"{source}:{number}")
        if not words or words[0].startswith(":"):
            continue  # a comment, or a script's own command (:local, :foreach)
        start, here = _path(words, path)
        if start == len(words):
            path = here  # a menu on its own line
            continue
        verb = words[start]
        if verb in ("disable", "enable") and start + 1 < len(words):
            _switch(conf.menu(here), words[start + 1], verb == "disable")
            continue
        if verb not in ("add", "set"):
            continue
        rest = words[start + 1 :]
        which, selector = None, None
        if verb == "set" and rest and (rest[0].startswith("[") or "=" not in rest[0]):
            which, selector, rest = _which(rest)
        values = _values(rest)
        targets = [i for i in conf.menu(here) if _selects(selector, i)] if selector else []
        for target in targets:  # set on an item the file made: its values change
            target.values.update(values)
        if not targets:
            conf.items.append(Item(here, verb, which, values, number, source))
    return conf


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Physical lines joined where one ends in ``\\``, each with its first line's number."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending and raw.lstrip().startswith("#"):
            out.append((number, raw))  # a backslash does not continue a comment
            continue
        if not pending:
            first = number
            pending.append(raw)
        else:
            pending.append(raw.lstrip())
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            pending[-1] = pending[-1][:-1]
            continue
        out.append((first, "".join(pending)))
        pending = []
    if pending:
        out.append((first, "".join(pending)))
    return out


def _words(line: str, conf: RosConf, where: str) -> list[str]:
    """A line's words, quotes and escapes resolved, a comment dropped; ``[ find … ]``
    kept as one word."""
    words: list[str] = []
    word, quoted, bracket, i = "", False, 0, 0
    started = False
    in_bracket_quote = False
    while i < len(line):
        c = line[i]
        if bracket > 0:  # [ find name="a b" ]: kept as written, for _which to read
            if c == '"' and line[i - 1] != "\\":
                in_bracket_quote = not in_bracket_quote
            elif c == "[" and not in_bracket_quote:
                bracket += 1
            elif c == "]" and not in_bracket_quote:
                bracket -= 1
            word += c
        elif quoted:
            if c == "\\" and i + 1 < len(line):
                nxt = line[i + 1]
                word += _ESCAPES.get(nxt, nxt)
                i += 2
                continue
            if c == '"':
                quoted = False
            else:
                word += c
        elif c == '"':
            quoted, started = True, True
        elif c == "[":
            bracket += 1
            word += c
            started = True
        elif c == "]":
            conf.problems.append((where, "a ']' without its '[': RouterOS refuses the line"))
            return []
        elif c == "#" and not started and not word and bracket == 0:
            break  # a comment
        elif c.isspace() and bracket == 0:
            if started or word:
                words.append(word)
            word, started = "", False
        else:
            word += c
            started = True
        i += 1
    if quoted or bracket:
        what = "a quoted value is never closed" if quoted else "a '[' is never closed"
        conf.problems.append((where, f"{what}: RouterOS refuses the line"))
        return []
    if started or word:
        words.append(word)
    return words


def _path(words: list[str], current: str) -> tuple[int, str]:
    """Where the command begins in ``words``, and the menu it runs in."""
    if not words[0].startswith("/"):
        if words[0] in VERBS:
            return 0, current
        # a path without its slash, as scripts write it ("ip ipsec peer add …")
        for n, word in enumerate(words):
            if word in VERBS:
                return n, "/" + " ".join(words[:n])
        return 0, current
    parts = [p for p in words[0].split("/") if p]
    if parts and parts[-1] in VERBS:  # /ip/ipsec/peer/add …
        return 0, _with_verb(words, parts)
    n = 1
    while n < len(words) and words[n] not in VERBS and "=" not in words[n]:
        parts.append(words[n])
        n += 1
    return n, "/" + " ".join(parts)


def _with_verb(words: list[str], parts: list[str]) -> str:
    words[0] = parts[-1]
    return "/" + " ".join(parts[:-1])


def _which(rest: list[str]) -> tuple[str, dict[str, str] | None, list[str]]:
    """``set``'s item: ``[ find default=yes ]`` (a default item: "default"), ``[ find
    k=v … ]`` or a name (a selector of items), or a number (``set 0``: none)."""
    first = rest[0]
    if first.startswith("["):
        found = _find(first)
        if found.get("default") in ("yes", "true"):
            return "default", None, rest[1:]
        name = found.get("name") or found.get("default-name")
        return name or first, found or None, rest[1:]
    if first.isdecimal() or first.startswith("*"):
        return first, None, rest[1:]
    return first, {"name": first}, rest[1:]


def _find(expression: str) -> dict[str, str]:
    """``[ find name="my peer" peer=x ]`` as {name: "my peer", peer: "x"}."""
    try:
        words = shlex.split(expression.strip("[] "))
    except ValueError:
        return {}
    return dict(w.split("=", 1) for w in words if "=" in w)


def _selects(selector: dict[str, str], item: Item) -> bool:
    return all(item.get(k) == v for k, v in selector.items())


def _switch(items: list[Item], which: str, off: bool) -> None:
    """``disable [ find peer="X" ]`` (or ``disable NAME``): the items it matches."""
    selector = _find(which) if which.startswith("[") else {"name": which}
    for item in items:
        if selector and _selects(selector, item):
            item.values["disabled"] = "yes" if off else "no"


def _values(words: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    prefix = ""
    for word in words:
        if word.startswith("!") or "=" not in word:
            continue  # a verbose export's unset property, or a bare flag
        key, value = word.split("=", 1)
        if key.startswith(".") and prefix:  # v7: .role=ebgp after local.address=…
            key = prefix + key
        elif "." in key:
            prefix = key.split(".", 1)[0]
        out[key] = value
    return out
