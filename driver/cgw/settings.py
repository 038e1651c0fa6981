"""What every implementation's configuration reader makes: settings that keep
their file and line, sections of them, secrets, and the syntax error that names
its place (driver/cgw/strongswan/, driver/cgw/libreswan/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from driver.core.errors import VpnlabError

# (pattern, the including file, its line) -> [(file, text)] in the daemon's order
Includer = Callable[[str, str, int], list[tuple[str, str]]]


class ConfigSyntaxError(VpnlabError):
    def __init__(self, source: str, line: int, message: str):
        self.source, self.line = source, line
        super().__init__(f"{source}:{line}: {message}")


@dataclass
class Setting:
    key: str
    value: str
    line: int
    source: str = ""

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


class Settings:
    """Lookups over a section's ``settings``: a key's last value (strongSwan's rule;
    Libreswan refuses a conn that sets a key twice, driver/cgw/libreswan/conf.py)."""

    settings: list[Setting]

    def setting(self, key: str) -> Setting | None:
        return next((s for s in reversed(self.settings) if s.key == key), None)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The key's value; ``key=`` with nothing after it unsets an inherited one."""
        found = self.setting(key)
        return found.value if found and found.value != "" else default


@dataclass
class Conn(Settings):
    name: str
    line: int
    source: str = ""
    settings: list[Setting] = field(default_factory=list)


@dataclass
class Secret:
    ids: list[str]  # empty: any peer (as %any)
    kind: str
    secret: str
    line: int
    source: str = ""


def one_per_peer(keys) -> list[Secret]:
    """The first key of each peer, from (peer, key or None) pairs: a router's tunnels
    (a policy or child each) share their peer's key."""
    out: dict[str | None, Secret] = {}
    for peer, key in keys:
        if key is not None:
            out.setdefault(peer, key)
    return list(out.values())


def without_comment(line: str) -> str:
    """The line up to a ``#`` that is not inside double quotes."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return line[:i]
    return line
