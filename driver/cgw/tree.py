"""A configuration as a tree of named nodes, each with the file and line it was
written at: the shape of a router's hierarchical configuration (PAN-OS's XML and
brace forms, its set commands), whatever form it was read from.

The brace form (``name {`` opens a node, ``}`` closes it, ``key value;`` and
``key [ v1 v2 ];`` set values, ``#`` comments a line) is read here once: PAN-OS's
``show config running`` prints it by default, and Junos's hierarchical
configuration is the same grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 64  # a router's configuration nests ~12 deep: deeper is no configuration
_TOKEN = re.compile(r'"[^"]*"|[{};\[\]]|[^\s{};\[\]"]+')


@dataclass
class Node:
    name: str
    line: int
    source: str
    children: dict[str, Node] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def at(self, *path: str) -> Node | None:
        node: Node | None = self
        for word in path:
            node = node.children.get(word) if node else None
        return node

    def entries(self, *path: str) -> list[Node]:
        """The entries (children) under ``path``, in the order written."""
        node = self.at(*path)
        return list(node.children.values()) if node else []

    def values(self, *path: str) -> list[str]:
        """The leaves under ``path``: a list's members, or the one value."""
        return [n.name for n in self.entries(*path) if not n.children]

    def value(self, *path: str) -> str | None:
        """The value under ``path`` (the last one set)."""
        found = self.values(*path)
        return found[-1] if found else None

    def where_of(self, *path: str) -> str:
        """Where ``path``'s value was written, else its nearest ancestor that was."""
        node, where = self, self.where
        for word in path:
            node = node.children.get(word)
            if node is None:
                break
            where = node.where
        if node is not None and node.children:
            where = list(node.children.values())[-1].where
        return where

    def add(self, name: str, line: int, source: str) -> Node:
        child = self.children.get(name)
        if child is None:
            child = self.children[name] = Node(name, line, source)
        elif not child.children:  # a value set again is the latest: last in order
            self.children[name] = self.children.pop(name)
            child.line = line
        return child


def named(root: Node, name: str, skip: frozenset[str] = frozenset()) -> list[Node]:
    """Every node called ``name`` (with children), not looking inside ``skip``."""
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        if node.name == name and node.children:
            found.append(node)
        elif node.name not in skip:
            todo.extend(reversed(list(node.children.values())))
    return found


def merge(into: Node, other: Node) -> None:
    todo = [(into, other)]
    while todo:
        target, source = todo.pop()
        for child in source.children.values():
            todo.append((target.add(child.name, child.line, child.source), child))


def parse_braces(
    text: str, source: str, inactive: str | None = None, comments: bool = False
) -> tuple[Node, list[tuple[str, str]]]:
    """The brace form as a tree, and what its reader would not load ("file:line",
    what). ``inactive``: the word that marks a statement or block as not in effect
    (Junos's ``inactive:``), left out of the tree; ``comments``: a ``# …`` after a
    statement and a ``/* … */`` outside quotes are comments (Junos prints both)."""
    root = Node("", 0, source)
    stack, words, listed, problems = [root], [], None, []
    quoted = commented = False  # inside a quoted value, or a /* */ comment, spanning lines
    skip = False  # the statement being read is inactive
    for number, line in enumerate(text.splitlines(), start=1):
        if quoted:
            if '"' not in line:
                continue
            line, quoted = line[line.index('"') + 1 :], False
        if comments:
            line, commented = without_comments(line, commented)
        if line.lstrip().startswith("#"):
            continue
        if line.count('"') % 2:  # a quoted value going on past the line
            line, quoted = line[: line.rindex('"')], True
        for token in _TOKEN.findall(line):
            if comments and token.startswith("#"):
                break  # `## SECRET-DATA` and the like: a comment to the end of the line
            if inactive and token == inactive:
                skip = True
                continue
            if token in ("replace:", "protect:"):
                continue
            if token == "{" and words:
                if len(stack) + len(words) > MAX_DEPTH:
                    problems.append((f"{source}:{number}", f"nested deeper than {MAX_DEPTH}"))
                    return root, problems
                node = stack[-1] if not skip else Node("", number, source)  # not in effect
                for word in words:
                    node = node.add(word, number, source)
                stack.append(node)
                words, skip = [], False
            elif token == "}" and len(stack) > 1:
                stack.pop()
            elif token == "[":
                listed = []
            elif token == "]" and listed is not None:
                words, listed = words + ["["] + listed, None
            elif token == ";":
                if len(stack) + len(words) > MAX_DEPTH:
                    problems.append((f"{source}:{number}", f"nested deeper than {MAX_DEPTH}"))
                    return root, problems
                if not skip:
                    _statement(stack[-1], words, number, source)
                words, skip = [], False
            elif listed is not None:
                listed.append(token.strip('"'))
            elif token not in "{}":
                words.append(token.strip('"'))
    if len(stack) > 1:
        problems.append(
            (f"{source}:{stack[-1].line}", f"'{stack[-1].name} {{' is never closed with '}}'")
        )
    return root, problems


def without_comments(line: str, commented: bool) -> tuple[str, bool]:
    """The line without its ``/* … */`` parts outside quotes; whether a comment goes
    on past it."""
    out, quoted, i = [], False, 0
    while i < len(line):
        pair = line[i : i + 2]
        if commented:
            if pair == "*/":
                commented, i = False, i + 2
                continue
        elif pair == "/*" and not quoted:
            commented, i = True, i + 2
            continue
        else:
            quoted ^= line[i] == '"'
            out.append(line[i])
        i += 1
    return "".join(out), commented


def _statement(node: Node, words: list[str], number: int, source: str) -> None:
    """``key value;``, ``key [ a b ];`` or ``name;`` under ``node``."""
    if "[" in words:
        path, values = words[: words.index("[")], words[words.index("[") + 1 :]
    else:
        path, values = words[:-1], words[-1:]
    for word in path:
        node = node.add(word, number, source)
    for value in values:
        node.add(value, number, source)
