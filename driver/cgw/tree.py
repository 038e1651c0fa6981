"""A configuration as a tree of named nodes, each with the file and line it was
written at: the shape of a router's hierarchical configuration (PAN-OS's XML and
brace forms, its set commands), whatever form it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field


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


def named(root: Node, name: str) -> list[Node]:
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        if node.name == name and node.children:
            found.append(node)
        else:
            todo.extend(reversed(list(node.children.values())))
    return found


def merge(into: Node, other: Node) -> None:
    for child in other.children.values():
        merged = into.add(child.name, child.line, child.source)
        merge(merged, child)
