"""A customer's XML file (PAN-OS's running-config.xml, pfSense's config.xml) read by
expat as events, safely and in one place: a document type or an entity declaration
is refused — neither vendor writes one, and they are how an XML file makes its
reader expand or fetch what is not in it — and what expat or a handler refuses is
returned with its line, never raised."""

from __future__ import annotations

from collections.abc import Callable
from xml.parsers import expat

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
