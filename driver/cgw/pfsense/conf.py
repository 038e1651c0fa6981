"""A pfSense ``config.xml`` (Diagnostics > Backup & Restore, or ``/conf/config.xml``)
as elements with their lines: ``<phase1>`` and ``<phase2>`` repeat, so each element
keeps its children in order, a list, not a tree keyed by name. A document type or
an entity declaration is refused (driver/cgw/xml_input.py). OPNsense's ``<opnsense>`` is
said, not read as pfSense's: its own dialect reads it (driver/cgw/opnsense/)."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.xml_input import Element, read_elements


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
    refused = read_elements(text, "pfSense", root)
    if refused:
        return PfConf(root, "", [(f"{source}:{refused[0]}", refused[1])])
    return _what_it_is(root.children[0] if root.children else Element("", 1, source))


def _what_it_is(top: Element) -> PfConf:
    """pfSense's whole configuration, or what else the file is, said."""
    said = {
        "opnsense": "an OPNsense config.xml: read it as OPNsense's (--cgw-daemon opnsense); "
        "its IPsec renders differently from pfSense's",
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
