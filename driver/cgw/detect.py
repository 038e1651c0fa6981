"""Which implementation a customer's files are written for: strongSwan, Libreswan,
or a router (driver/cgw/dialects.py: a line only its dialect has, such as FortiOS's
``config vpn ipsec phase1-interface``, is decisive).

Both read ``/etc/ipsec.conf`` and ``/etc/ipsec.secrets`` in the format they
inherited from FreeS/WAN, so the file's name says little: the keys and values
only one of them has say it (``phase2alg=``, ``ikev2=insist``, ``ike=...;modp2048``
are Libreswan's; ``keyexchange=ikev2``, ``charondebug=``, a proposal ending in
``!`` are strongSwan's; a ``swanctl.conf`` is strongSwan's). The one with more
signs wins; with none, strongSwan (the VPN server vpnlab renders). Each sign is
kept with its file and line, for the user who wants to know why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from driver.cgw.dialects import ROUTERS, TITLES
from driver.cgw.folder import MAX_BYTES, MAX_FILES, CustomerConfigError, text_of
from driver.cgw.libreswan.keywords import LIBRESWAN_KEYS

IMPLEMENTATIONS = {"strongswan": "strongSwan", "libreswan": "Libreswan"} | TITLES
RUNNABLE = tuple(IMPLEMENTATIONS)  # what `vpnlab check` runs (a router: its twin)
# Keys and values only strongSwan has (strongSwan's ipsec.conf(5); Libreswan 4.10's
# readwriteconf refuses each).
STRONGSWAN_KEYS = frozenset(
    [
        "charondebug",
        "installpolicy",
        "leftfirewall",
        "lefthostaccess",
        "rightfirewall",
        "closeaction",
        "inactivity",
        "leftauth2",
        "rightauth2",
        "eap_identity",
        "aaa_identity",
        "mediation",
        "leftallowany",
        "rightallowany",
        "keyexchange=ikev1",
        "keyexchange=ikev2",
    ]
)
PROPOSALS = ("ike", "esp", "phase2alg")
_SETTING = re.compile(r"^\s+([\w-]+)\s*=\s*\"?([^\"#]*)")
_SECRET_COLON = re.compile(r"^[^\s\"#:]+(?:\s+[^\s\"#:]+)*:\s+PSK\b")


@dataclass(frozen=True)
class Detection:
    implementation: str  # a key of IMPLEMENTATIONS
    signs: tuple[str, ...]  # "file:line (key=value)", the reasons

    @property
    def title(self) -> str:
        return IMPLEMENTATIONS[self.implementation]


def detect(config: Path, secrets: Path | None = None) -> Detection:
    files = _files(config) + ([secrets] if secrets else [])
    if any(f.name == "swanctl.conf" or f.parent.name == "swanctl" for f in files):
        return Detection("strongswan", (f"{_swanctl(files)} (swanctl)",))
    signs: dict[str, list[str]] = {name: [] for name in IMPLEMENTATIONS}
    for path in files:
        try:
            text = text_of(path)
        except CustomerConfigError:  # not a regular file, too large: the reader says so
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for name, dialect in ROUTERS.items():
                # the sign's own words, not the line: a line with a key
                # (crypto isakmp key K …, ip ipsec identity add … secret=K) keeps it
                if found := dialect.sign.match(line):
                    signs[name].append(f"{path}:{number} ({found[0].strip()})")
            for implementation, sign in _signs(line):
                signs[implementation].append(f"{path}:{number} ({sign})")
    for name in ROUTERS:  # a router's own syntax is decisive: ipsec.conf has none
        if signs[name]:
            return Detection(name, tuple(signs[name]))
    libreswan = len(signs["libreswan"]) > len(signs["strongswan"])
    chosen = "libreswan" if libreswan else "strongswan"
    return Detection(chosen, tuple(signs[chosen]))


def _signs(line: str) -> list[tuple[str, str]]:
    if _SECRET_COLON.match(line):  # '1.2.3.4 5.6.7.8: PSK' (AWS's old Openswan sample)
        return [("libreswan", "':' touching the identity in a secrets line")]
    match = _SETTING.match(line)
    if not match:
        return []
    key, value = match[1], match[2].strip()
    found = []
    for implementation, keys in (("libreswan", LIBRESWAN_KEYS), ("strongswan", STRONGSWAN_KEYS)):
        if key in keys or f"{key}={value}" in keys:
            found.append((implementation, f"{key}={value}"))
    if key in PROPOSALS and ";" in value:
        found.append(("libreswan", f"{key}={value}: ';' before the DH group"))
    if key in PROPOSALS and value.endswith("!"):
        found.append(("strongswan", f"{key}={value}: '!' for strict proposals"))
    first: dict[str, str] = {}
    for implementation, sign in found:
        first.setdefault(implementation, sign)  # a line is one sign for each, at most
    return list(first.items())


def _files(config: Path) -> list[Path]:
    """The files to look at: the one given, or the configuration files of a folder
    (none when there is nothing to read: the reader then says why)."""
    if not config.is_dir():
        return [config] if config.is_file() else []
    found = []
    for path in sorted(config.rglob("*")):
        if len(found) >= MAX_FILES:
            break
        if (
            path.is_file()
            and not path.is_symlink()
            and path.stat().st_size <= MAX_BYTES
            and (path.suffix in (".conf", ".secrets") or path.name == "ipsec.secrets")
        ):
            found.append(path)
    return found


def _swanctl(files: list[Path]) -> Path:
    return next(f for f in files if f.name == "swanctl.conf" or f.parent.name == "swanctl")


def implementation(config: Path, secrets: Path | None, daemon: str | None) -> str:
    """The implementation that plays the customer: ``--cgw-daemon``'s, else detected."""
    return daemon or detect(config, secrets).implementation
