"""An OPNsense ``config.xml`` (System > Configuration > Backups, or
``/conf/config.xml``) as elements with their lines and attributes (an MVC item's
``uuid``), read safely (driver/cgw/xml_input.py). Its IPsec is the Connections
model, ``<OPNsense><Swanctl>`` (OPNsense 23.1 and later), whose items point to their
connection by uuid; the legacy tunnels (``<ipsec><phase1>``, the os-ipsec-legacy
plugin since 25.7) are said, not read. A pfSense file, an encrypted backup and a
backup of one area are said as such."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.xml_input import Element, read_elements

ENCRYPTED = "---- BEGIN config.xml ----"  # an encrypted backup's first line


@dataclass
class OpnConf:
    root: Element  # <opnsense>
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)

    @property
    def source(self) -> str:
        return self.root.source

    @property
    def swanctl(self) -> Element | None:
        """The Connections model (OPNsense mounts it at //OPNsense/Swanctl)."""
        return self.root.find("OPNsense", "Swanctl")

    def items(self, *path: str) -> list[Element]:
        """The Connections model's items at ``path`` (``Connections``, ``Connection``)."""
        return self.swanctl.all(*path) if self.swanctl is not None else []


def parse(text: str, source: str) -> OpnConf:
    root = Element("", 0, source)
    if text.lstrip().startswith(ENCRYPTED):
        return OpnConf(root, [(f"{source}:1", "an encrypted backup: give vpnlab the backup "
                               "made without 'Encrypt this configuration file'")])  # fmt: skip
    refused = read_elements(text, "OPNsense", root)
    if refused:
        return OpnConf(root, [(f"{source}:{refused[0]}", refused[1])])
    top = root.children[0] if root.children else Element("", 1, source)
    if top.tag == "pfsense":
        return OpnConf(top, [(top.where, "a pfSense config.xml: read it as pfSense's "
                              "(--cgw-daemon pfsense)")])  # fmt: skip
    if top.tag != "opnsense":
        return OpnConf(top, [(top.where, f"<{top.tag}> is no OPNsense config.xml (whose root "
                              "is <opnsense>): give vpnlab the whole backup")])  # fmt: skip
    return OpnConf(top)


def field_value(element: Element, tag: str, default: str | None) -> str | None:
    """A field as OPNsense writes it: absent, the model's default (a config.xml saved
    before the field existed); present but empty, nothing (getConfig leaves it out, so
    strongSwan's own default applies: None)."""
    found = element.find(tag)
    if found is None:
        return default
    return found.text.strip() or None


def flag(element: Element | None, tag: str, default: str, empty: str = "0") -> bool:
    """A BooleanField: 1 on, 0 off; absent, its model's default; present but empty,
    ``empty`` (an item's ``<enabled/>`` is off: getConfig skips it)."""
    if element is None:
        return default == "1"
    found = element.find(tag)
    if found is None:
        return default == "1"
    return (found.text.strip() or empty) == "1"
