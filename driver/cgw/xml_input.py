"""A customer's XML file (PAN-OS's running-config.xml, pfSense's and OPNsense's
config.xml) read by expat as events, safely and in one place: a document type or an
entity declaration is refused — none of them writes one, and they are how an XML
file makes its reader expand or fetch what is not in it — and what expat or a
handler refuses is returned with its line, never raised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from driver.cgw.tree import MAX_DEPTH

Start = Callable[[str, dict[str, str], int], None]  # tag, attributes, line
End = Callable[[int], None]  # line


def read_xml(
    text: str, vendor: str, start: Start, end: End, characters: Callable[[str], None]
) -> tuple[int, str] | None:
    """Feed ``text``'s elements to the handlers (which raise ValueError to refuse
    one); None when it was read whole, else (line, what) the vendor would not load."""
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise ValueError(f"a document type or entity declaration ({vendor} writes none)")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: start(tag, attrs, parser.CurrentLineNumber)
    parser.EndElementHandler = lambda _tag: end(parser.CurrentLineNumber)
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except (expat.ExpatError, ValueError) as exc:
        return getattr(
            exc, "lineno", parser.CurrentLineNumber
        ), f"not XML {vendor} would load: {exc}"
    return None


@dataclass
class Element:
    tag: str
    line: int
    source: str
    text: str = ""
    children: list[Element] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)  # OPNsense's uuid="…"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def all(self, *path: str) -> list[Element]:
        """Every element at ``path`` (the last tag may repeat)."""
        found = [self]
        for tag in path:
            found = [c for f in found for c in f.children if c.tag == tag]
        return found

    def find(self, *path: str) -> Element | None:
        found = self.all(*path)
        return found[0] if found else None

    def value(self, *path: str) -> str | None:
        """The text at ``path``, None where the element is absent or empty."""
        found = self.find(*path)
        if found is None:
            return None
        return found.text.strip() or None

    def has(self, *path: str) -> bool:
        """Whether ``path`` is present: pfSense's flags (``<disabled/>``) are."""
        return self.find(*path) is not None

    def where_of(self, *path: str) -> str:
        found = self.find(*path)
        return (found or self).where


def read_elements(text: str, vendor: str, root: Element) -> tuple[int, str] | None:
    """``text``'s elements under ``root``, each with its line; as ``read_xml``, None
    when it was read whole, else (line, what) the vendor would not load."""
    stack = [root]

    def start(tag: str, attrs: dict[str, str], line: int) -> None:
        if len(stack) > MAX_DEPTH:
            raise ValueError(f"elements nested deeper than {MAX_DEPTH}")
        element = Element(tag, line, root.source, attrs=dict(attrs))
        stack[-1].children.append(element)
        stack.append(element)

    def characters(data: str) -> None:
        stack[-1].text += data

    return read_xml(text, vendor, start, lambda _line: stack.pop(), characters)
