"""PAN-OS's XML form (a saved ``running-config.xml``, Panorama's export, ``show
config running`` in XML output format) as a configuration tree: every element is a node named by its
tag, an ``<entry name="X">`` by X, a ``<member>`` and an element's text by the text
(a leaf). A document type or an entity declaration is refused: PAN-OS writes none,
and they are how an XML file makes its reader expand or fetch what is not in it."""

from __future__ import annotations

from xml.parsers import expat

from driver.cgw.tree import MAX_DEPTH, Node


def parse_xml(text: str, source: str) -> tuple[Node, list[tuple[str, str]]]:
    root = Node("", 0, source)
    stack: list[tuple[Node, list[str], bool]] = [(root, [], False)]
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise ValueError("a document type or entity declaration (PAN-OS writes none)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) > MAX_DEPTH:
            raise ValueError(f"elements nested deeper than {MAX_DEPTH}")
        parent, chunks, _ = stack[-1]
        stack[-1] = (parent, chunks, True)  # it has elements: its text is layout
        if tag == "member":
            stack.append((parent, [], False))  # named by its text, at its end
            return
        name = attrs.get("name", tag) if tag == "entry" else tag
        stack.append((parent.add(name, parser.CurrentLineNumber, source), [], False))

    def characters(data: str) -> None:
        stack[-1][1].append(data)

    def end(_tag: str) -> None:
        node, chunks, has_elements = stack.pop()
        value = "".join(chunks).strip()
        if value and not has_elements:
            node.add(value, parser.CurrentLineNumber, source)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except (expat.ExpatError, ValueError) as exc:
        line = getattr(exc, "lineno", parser.CurrentLineNumber)
        return root, [(f"{source}:{line}", f"not XML PAN-OS would load: {exc}")]
    return root, []
