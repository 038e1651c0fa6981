"""A lab file read as YAML by ruamel.yaml: plain data plus the line of every key.

Everything a file can do wrong here is a ``Problem``, never a traceback: not
UTF-8, not YAML, a key written twice (YAML says keys are unique; PyYAML kept
the last one silently), a document that is not a mapping, empty, too large, or
whose aliases expand past a small bound (a "billion laughs" file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from driver.core.errors import Problem

MAX_BYTES = 1_000_000  # a lab file is a page or two; this is far past any real one
MAX_VALUES = 10_000  # values after aliases are expanded (the seed has ~100)
MAX_DEPTH = 32  # nesting (the model's is 5)
# YAML's own tags (!!str …) say what plain YAML says; any other (!foo, !!python/…)
# asks for an object a lab file never holds.
CORE = "tag:yaml.org,2002:"
CORE_TAGS = frozenset({"str", "int", "float", "bool", "null", "seq", "map"})


class SourceError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Document:
    data: dict  # plain dicts, lists and scalars
    lines: dict[str, int]  # 'vpn.tunnels[0].inside_cidr' -> 1-based line


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise SourceError(
            Problem(
                "",
                f"the file is {len(raw)} bytes; a lab file is at most {MAX_BYTES}",
                "is this the lab file? labs/seed.yml is about 2 KB",
            )
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            Problem(
                "",
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8",
                line,
            )
        ) from None


# Flow brackets, quoted strings and comments: enough of YAML's lexis to measure how
# deep ``[``/``{`` nest before the parser does (it takes seconds to refuse a few
# thousand levels, recursing).
_FLOW_TOKENS = re.compile(r"""[\[\]{}\n]|"(?:\\.|[^"\\])*"|'(?:''|[^'])*'|(?:^|(?<=\s))#[^\n]*""")


def _refuse_deep_flows(text: str) -> None:
    depth, line = 0, 1
    for token in _FLOW_TOKENS.finditer(text):
        kind = token.group()[0]
        if kind == "\n":
            line += 1
        elif kind in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(
                    Problem(
                        "",
                        f"brackets nest deeper than {MAX_DEPTH} levels",
                        "a lab file nests a few levels: is this the lab file?",
                        line,
                    )
                )
        elif kind in "]}":
            depth = max(depth - 1, 0)
        else:  # a quoted string or a comment: its newlines still count
            line += token.group().count("\n")


def parse(text: str) -> Document:
    _refuse_deep_flows(text)
    try:
        node = YAML(typ="rt", pure=True).load(text)
    except DuplicateKeyError as exc:
        first = exc.context_mark.line + 1 if exc.context_mark else None
        key = _duplicate_key(exc)
        raise SourceError(
            Problem(
                "",
                f"key {key} is written twice in one mapping"
                + (f" (the mapping that starts at line {first})" if first else ""),
                "keep one of them: YAML keys are unique, and which one wins is not defined",
                exc.problem_mark.line + 1 if exc.problem_mark else None,
            )
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(
            Problem(
                "",
                f"not valid YAML: {exc.problem or exc.context}",
                "fix the YAML syntax",
                mark.line + 1 if mark else None,
            )
        ) from None
    except (YAMLError, RecursionError) as exc:
        raise SourceError(Problem("", f"not valid YAML: {exc}", "fix the YAML syntax")) from None
    except (ValueError, IndexError) as exc:
        # ruamel.yaml resolves '._' as a float and '-_' as an int, then float() refuses
        # the one and its int constructor indexes past the end of the other
        raise SourceError(
            Problem(
                "",
                f"not valid YAML: a value that reads as a number is none ({exc})",
                "quote the value, e.g. '._'",
            )
        ) from None
    if node is None or (isinstance(node, str) and not node.strip()):
        raise SourceError(
            Problem("", "the lab file is empty", "start from labs/seed.yml and change what differs")
        )
    if not isinstance(node, CommentedMap):
        raise SourceError(
            Problem(
                "",
                f"the lab file must be a mapping of keys, not a {_kind(node)}",
                "see labs/seed.yml: name, aws, onprem, vpn, ...",
                1,
            )
        )
    walker = _Walker()
    data = walker.plain(node, "", 0)
    return Document(data, walker.lines)


class _Walker:
    """Plain data from ruamel's nodes, recording lines, with a budget on values."""

    def __init__(self):
        self.lines: dict[str, int] = {"": 1}
        self.values = 0

    def plain(self, node, path: str, depth: int):
        self.values += 1
        if self.values > MAX_VALUES or depth > MAX_DEPTH:
            what = "expands past" if self.values > MAX_VALUES else "nests deeper than"
            limit = f"{MAX_VALUES} values" if self.values > MAX_VALUES else f"{MAX_DEPTH} levels"
            top = path.split(".")[0].split("[")[0]
            raise SourceError(
                Problem(
                    top,
                    f"the document {what} {limit} (aliases that repeat each other?)",
                    "write the values out: a lab file needs no aliases",
                    self.lines.get(top),
                )
            )
        tag = getattr(getattr(node, "tag", None), "value", None)
        if tag and tag.removeprefix(CORE) not in CORE_TAGS:
            top = path.split(".")[0].split("[")[0]
            raise SourceError(
                Problem(
                    path,
                    f"{_shown(tag)} is a YAML tag: a lab file holds plain values, not tagged "
                    "objects",
                    "remove the tag (and quote the value if it is a string)",
                    self.lines.get(path, self.lines.get(top)),
                )
            )
        if isinstance(node, TaggedScalar):  # !!str 5 and its kind: the value as written
            return str(node.value)
        if isinstance(node, CommentedMap):
            out = {}
            for key, value in node.items():
                child = f"{path}.{key}" if path else str(key)
                position = node.lc.key(key) if key in node.lc.data else None
                if position:
                    self.lines[child] = position[0] + 1
                out[key] = self.plain(value, child, depth + 1)
            return out
        if isinstance(node, CommentedSeq):
            out = []
            for i, value in enumerate(node):
                child = f"{path}[{i}]"
                if i in node.lc.data:
                    self.lines[child] = node.lc.item(i)[0] + 1
                out.append(self.plain(value, child, depth + 1))
            return out
        return _scalar(node)


def _shown(tag: str) -> str:
    """A tag as it was written: ``!!python/…`` rather than its long form."""
    return "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag


def _scalar(value):
    """ruamel's scalar types (ScalarFloat, CommentedSeq's strings...) as plain Python."""
    for plain in (bool, int, float, str):
        if isinstance(value, plain):
            return plain(value)
    return value


def _kind(node) -> str:
    return "list" if isinstance(node, list) else type(node).__name__


def _duplicate_key(exc: DuplicateKeyError) -> str:
    text = str(exc.problem or "")
    start = text.find('key "')
    return text[start + 4 : text.find('"', start + 5) + 1] if start >= 0 else "a key"
