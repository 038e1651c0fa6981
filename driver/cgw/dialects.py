"""The routers vpnlab reads, lints and runs as twins: one Dialect each
(driver/cgw/router.py), in the order detection tries them.

Each dialect's module is imported the first time it is asked for: a check of a lab
with no customer file needs none of them (their parsers and translations are ~1.5 s
of imports in the emulated guest, ~0.15 s on the host)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from driver.cgw.router import Dialect

# name: (its title, its package under driver/cgw). An ASA's file has IOS's crypto
# map lines too: its tunnel groups decide first; an OPNsense's legacy tunnels are
# pfSense's <phase1>: its root decides first.
_DIALECTS = {
    "fortigate": ("FortiGate", "fortigate"),
    "cisco-asa": ("Cisco ASA", "cisco_asa"),
    "cisco-ios": ("Cisco IOS router", "cisco_ios"),
    "panos": ("Palo Alto firewall", "panos"),
    "junos": ("Juniper SRX", "junos"),
    "yamaha": ("Yamaha RTX", "yamaha"),
    "vyos": ("VyOS", "vyos"),
    "opnsense": ("OPNsense", "opnsense"),
    "pfsense": ("pfSense", "pfsense"),
    "mikrotik": ("MikroTik RouterOS", "mikrotik"),
}
TITLES = {name: title for name, (title, _) in _DIALECTS.items()}
PACKAGES = tuple(package for _, package in _DIALECTS.values())


class _Dialects(Mapping[str, Dialect]):
    """The dialects by name; ``in`` and iteration import nothing."""

    def __init__(self) -> None:
        self._loaded: dict[str, Dialect] = {}

    def __getitem__(self, name: str) -> Dialect:
        if name not in self._loaded:
            package = _DIALECTS[name][1]  # a KeyError for a name that is none
            module = importlib.import_module(f"driver.cgw.{package}.dialect")
            self._loaded[name] = module.DIALECT
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:  # Mapping's would import it
        return name in _DIALECTS

    def __iter__(self) -> Iterator[str]:
        return iter(_DIALECTS)

    def __len__(self) -> int:
        return len(_DIALECTS)


ROUTERS: Mapping[str, Dialect] = _Dialects()
