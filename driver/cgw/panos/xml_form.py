"""PAN-OS's XML form (a saved ``running-config.xml``, Panorama's export, ``show
config running`` in XML output format) as a configuration tree: every element is a node named by its
tag, an ``<entry name="X">`` by X, a ``<member>`` and an element's text by the text
(a leaf). A document type or an entity declaration is refused (driver/cgw/xml_input.py)."""

from __future__ import annotations

from driver.cgw.tree import MAX_DEPTH, Node
from driver.cgw.xml_input import read_xml


def parse_xml(text: str, source: str) -> tuple[Node, list[tuple[str, str]]]:
    root = Node("", 0, source)
    stack: list[tuple[Node, list[str], bool]] = [(root, [], False)]

    def start(tag: str, attrs: dict[str, str], line: int) -> None:
        if len(stack) > MAX_DEPTH:
            raise ValueError(f"elements nested deeper than {MAX_DEPTH}")
        parent, chunks, _ = stack[-1]
        stack[-1] = (parent, chunks, True)  # it has elements: its text is layout
        if tag == "member":
            stack.append((parent, [], False))  # named by its text, at its end
            return
        name = attrs.get("name", tag) if tag == "entry" else tag
        stack.append((parent.add(name, line, source), [], False))

    def characters(data: str) -> None:
        stack[-1][1].append(data)

    def end(line: int) -> None:
        node, chunks, has_elements = stack.pop()
        value = "".join(chunks).strip()
        if value and not has_elements:
            node.add(value, line, source)

    refused = read_xml(text, "PAN-OS", start, end, characters)
    return root, [(f"{source}:{refused[0]}", refused[1])] if refused else []
