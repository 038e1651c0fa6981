"""A router's configuration schema, as far as a ``set`` command needs it to be read
right: which word is a container (the next word is inside it), which names an
entry (the next word is its name), which is a value's key (the next word, or a
``[ … ]`` list, is its value, and the words after it are its siblings), and which
is there or not (a flag). A router's CLI takes several values in one command (AWS's
own samples write ``set protocol ikev1 dpd interval 10 retry 3 enable yes``), which
only the schema can split. Each dialect writes its schema (PAN-OS's in
driver/cgw/panos/grammar.py) with these kinds; what it does not model is read
generically: its words a path, the last one its value."""

from __future__ import annotations

from dataclasses import dataclass

from driver.cgw.tree import Node


@dataclass(frozen=True)
class Entries:
    """A list of named entries (``<entry name=…>``): the next word is a name."""

    schema: dict


LEAF = "value"  # one value: set again, it is replaced
LIST = "members"  # a list of members (``[ a b ]``): set again, it grows
FLAG = "flag"  # a word that is there or not (``protocol any``), no value after it
GENERIC: dict = {}  # not modelled: read generically


def assignments(words: list[str], root: dict) -> list[tuple[list[str], list[str], str | None]]:
    """A set command's words (from the root: ``network …``) as the values it sets,
    each (its path, its values, LEAF | LIST | None for a node alone), by the schema.
    A word the current level does not have but a level above it has goes there (the
    statement under it is complete): ``proxy-id P protocol any local X``."""
    out: list[tuple[list[str], list[str], str | None]] = []
    levels: list[tuple[list[str], object]] = [([], root)]
    i = 0
    while i < len(words):
        path, schema = levels[-1]
        word = words[i]
        if isinstance(schema, Entries):
            names, i = _values(words, i)  # an entry, or several: ike-gateway [ g1 g2 ]
            out += [(path + [name], [], None) for name in names]
            levels.append((path + names[-1:], schema.schema))
            continue
        owner = next(
            (n for n in range(len(levels) - 1, -1, -1)
             if isinstance(levels[n][1], dict) and word in levels[n][1]),
            None,
        )  # fmt: skip
        if owner is None or levels[owner][1] is GENERIC:  # not modelled: a path, a value
            out.append(_generic(path, words[i:]))
            return out
        del levels[owner + 1 :]
        path, schema = levels[-1]
        kind = schema[word]
        if kind in (LEAF, LIST):
            values, i = _values(words, i + 1)
            out.append((path + [word], values, kind))
        elif kind == FLAG:
            out.append((path + [word], [], None))
            i += 1
        else:
            levels.append((path + [word], kind))
            i += 1
    deepest = levels[-1][0]  # a container the command ends in (dead-peer-detection) is set
    if not any(path[: len(deepest)] == deepest for path, _, _ in out):
        out.append((deepest, [], None))
    return out


def _values(words: list[str], i: int) -> tuple[list[str], int]:
    if i < len(words) and words[i] == "[":
        end = words.index("]", i)  # the caller checked the brackets are balanced
        return words[i + 1 : end], end + 1
    return words[i : i + 1], i + 1


def _generic(path: list[str], rest: list[str]) -> tuple[list[str], list[str], str | None]:
    if "[" in rest:
        return path + rest[: rest.index("[")], rest[rest.index("[") + 1 : -1], LIST
    if len(rest) > 1:
        return path + rest[:-1], rest[-1:], LEAF
    return path + rest, [], None


def ends_in_entry(path: list[str], root: dict) -> bool:
    """Does ``path`` end in an entry's name (``… gateway GW``)?"""
    schema: object = root
    for n, word in enumerate(path):
        if isinstance(schema, Entries):
            if n == len(path) - 1:
                return True
            schema = schema.schema
        elif isinstance(schema, dict) and isinstance(schema.get(word), (dict, Entries)):
            schema = schema[word]
        else:
            return False
    return False


def apply(
    root: Node, path: list[str], values: list[str], kind, at: tuple[int, str], choices=frozenset()
) -> None:
    """One assignment into the tree, at (line, file): a value replaces the one set
    before, a list grows; under a choice (``choices``: lifetime) the other keys go."""
    number, source = at
    node = root
    for word in path:
        node = node.add(word, number, source)
    if kind == LEAF:  # one value: the one set last
        for name in [n for n, child in node.children.items() if not child.children]:
            del node.children[name]
    parent = root.at(*path[:-2]) if len(path) > 1 else None
    if parent is not None and path[-2] in choices:  # lifetime hours: not seconds too
        chosen = parent.children[path[-2]]
        for name in [n for n in chosen.children if n != path[-1]]:
            del chosen.children[name]
    for value in values:
        node.add(value, number, source)


def words_of(tokens: list[str]) -> list[str]:
    """A command's words as the shell split them, with ``[`` and ``]`` apart even where
    they touch a word (``[sha256``, ``sha1]``, as some tools print lists); a quoted
    word keeps its spaces."""
    out = []
    for token in tokens:
        head = token.startswith("[") and token != "["
        tail = token.endswith("]") and token != "]" and token != "[]"
        core = token[1 if head else 0 : -1 if tail else None]
        out += ["["] * head + ([core] if core else []) + ["]"] * tail
    return out


def balanced(words: list[str]) -> bool:
    """Each ``[`` closed by a ``]`` after it, none nested."""
    depth = 0
    for word in words:
        depth += {"[": 1, "]": -1}.get(word, 0)
        if depth not in (0, 1):
            return False
    return depth == 0
