"""A pfSense ``config.xml`` (Diagnostics > Backup & Restore, or ``/conf/config.xml``)
as elements with their lines: ``<phase1>`` and ``<phase2>`` repeat, so each element
keeps its children in order, a list, not a tree keyed by name. A document type or
an entity declaration is refused (driver/cgw/xml_input.py). OPNsense's ``<opnsense>`` is
said, not read: its IPsec renders differently (legacy phase 1/phase 2, or the
Connections model)."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.tree import MAX_DEPTH
from driver.cgw.xml_input import read_xml


@dataclass
class Element:
    tag: str
    line: int
    source: str
    text: str = ""
    children: list[Element] = field(default_factory=list)

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


@dataclass
class PfConf:
    root: Element
    product: str  # "pfSense" | "OPNsense" | "" (not a config.xml)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)

    @property
    def source(self) -> str:
        return self.root.source


ENCRYPTED = "---- BEGIN config.xml ----"  # an encrypted backup's first line


def parse(text: str, source: str) -> PfConf:
    root = Element("", 0, source)
    if text.lstrip().startswith(ENCRYPTED):
        return PfConf(root, "", [(f"{source}:1", "an encrypted backup: give vpnlab the backup "
                                  "made without 'Encrypt this configuration file'")])  # fmt: skip
    stack = [root]

    def start(tag: str, _attrs: dict[str, str], line: int) -> None:
        if len(stack) > MAX_DEPTH:
            raise ValueError(f"elements nested deeper than {MAX_DEPTH}")
        element = Element(tag, line, source)
        stack[-1].children.append(element)
        stack.append(element)

    def characters(data: str) -> None:
        stack[-1].text += data

    refused = read_xml(text, "pfSense", start, lambda _line: stack.pop(), characters)
    if refused:
        return PfConf(root, "", [(f"{source}:{refused[0]}", refused[1])])
    return _what_it_is(root.children[0] if root.children else Element("", 1, source))


def _what_it_is(top: Element) -> PfConf:
    """pfSense's whole configuration, or what else the file is, said."""
    said = {
        "opnsense": "an OPNsense config.xml: vpnlab reads pfSense's (OPNsense's IPsec renders "
        "differently)",
        **{area: f"a backup of one area (<{area}>): give vpnlab the whole config.xml (Backup "
           "area: All)" for area in ("ipsec", "interfaces", "staticroutes", "gateways")},
    }  # fmt: skip
    if top.tag in said:
        return PfConf(
            top, "OPNsense" if top.tag == "opnsense" else "", [(top.where, said[top.tag])]
        )
    if top.tag != "pfsense":
        return PfConf(top, "", [(top.where, f"<{top.tag}> is no pfSense config.xml (whose root "
                                 "is <pfsense>)")])  # fmt: skip
    conf = PfConf(top, "pfSense")
    conf.problems += [
        (p.where, f"phase 1 {p.value('ikeid')} has its algorithms in the form before pfSense "
         "2.4.4 (<encryption-algorithm> directly under <phase1>), which only pfSense's upgrade "
         "reads: restore the file on a current pfSense and back it up again")
        for p in top.all("ipsec", "phase1")
        if p.find("encryption-algorithm") is not None and p.find("encryption") is None
    ]  # fmt: skip
    return conf
