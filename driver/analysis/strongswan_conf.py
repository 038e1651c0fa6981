"""Parsers for strongSwan's configuration files, keeping line numbers.

* ``ipsec.conf``: ``config setup`` / ``conn NAME`` sections of ``key=value``
  lines (``conn %default`` and ``also=`` resolved by ``effective_conns``);
* ``ipsec.secrets``: ``[ids] : PSK "secret"`` lines;
* ``swanctl.conf``: nested ``name { key = value }`` sections.

Duplicate keys are kept (the seed writes ``auto=start`` twice): lint reports
them; strongSwan's last value wins, and so does ``Conn.get``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from driver.errors import VpnlabError

# Settings that make a connection route-based: it needs VTI or XFRM interfaces
# (ipsec.conf's mark=, swanctl's mark_in/if_id_in, ...; AWS's sample's VTI updown).
ROUTE_BASED_KEYS = (
    "mark",
    "mark_in",
    "mark_out",
    "if_id_in",
    "if_id_out",
    "set_mark_in",
    "set_mark_out",
)


def is_swanctl(text: str) -> bool:
    """Is this configuration text swanctl.conf (sections in braces), not ipsec.conf?"""
    return "{" in text and "connections" in text


def makes_route_based(setting: Setting) -> bool:
    return setting.key in ROUTE_BASED_KEYS or (
        setting.key == "leftupdown" and "vti" in setting.value
    )


class ConfigSyntaxError(VpnlabError):
    def __init__(self, source: str, line: int, message: str):
        self.source, self.line = source, line
        super().__init__(f"{source}:{line}: {message}")


@dataclass
class Setting:
    key: str
    value: str
    line: int


@dataclass
class Conn:
    name: str
    line: int
    settings: list[Setting] = field(default_factory=list)

    def get(self, key: str, default: str | None = None) -> str | None:
        for setting in reversed(self.settings):
            if setting.key == key:
                return setting.value
        return default

    def line_of(self, key: str) -> int:
        for setting in reversed(self.settings):
            if setting.key == key:
                return setting.line
        return self.line


def parse_ipsec_conf(text: str, source: str = "ipsec.conf") -> list[Conn]:
    """Every section in order; ``config setup`` appears as a Conn named 'setup'."""
    sections: list[Conn] = []
    current: Conn | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw[0].isspace():
            words = line.split()
            if words[0] == "conn" and len(words) == 2:
                current = Conn(words[1], number)
            elif words[:2] == ["config", "setup"]:
                current = Conn("setup", number)
            elif words[0] in ("include", "ca"):
                current = None  # not followed: vpnlab runs one file
                continue
            else:
                raise ConfigSyntaxError(
                    source,
                    number,
                    f"expected 'conn NAME' or 'config setup', found {line.strip()!r}",
                )
            sections.append(current)
            continue
        if current is None:
            raise ConfigSyntaxError(source, number, "setting outside a section")
        if "=" not in line:
            raise ConfigSyntaxError(source, number, f"expected key=value, found {line.strip()!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        current.settings.append(Setting(key, value.strip('"'), number))
    return sections


def effective_conns(sections: list[Conn]) -> list[Conn]:
    """Real conns with ``conn %default`` and ``also=`` folded in (their own keys win)."""
    by_name = {s.name: s for s in sections}
    defaults = by_name.get("%default", Conn("%default", 0))

    def expand(conn: Conn, seen: tuple[str, ...]) -> list[Setting]:
        settings = []
        for s in conn.settings:
            if s.key == "also" and s.value in by_name and s.value not in seen:
                settings += expand(by_name[s.value], (*seen, s.value))
            elif s.key != "also":
                settings.append(s)
        return settings

    out = []
    for conn in sections:
        if conn.name in ("setup", "%default"):
            continue
        merged = Conn(conn.name, conn.line, list(defaults.settings) + expand(conn, (conn.name,)))
        out.append(merged)
    return out


@dataclass
class Secret:
    ids: list[str]
    kind: str
    secret: str
    line: int


def parse_ipsec_secrets(text: str, source: str = "ipsec.secrets") -> list[Secret]:
    secrets = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith('"') else raw.strip()
        if not line or line.startswith("include"):
            continue
        if ":" not in line:
            raise ConfigSyntaxError(source, number, "expected '[ids] : TYPE secret'")
        ids, rest = line.rsplit(" : ", 1) if " : " in line else line.split(":", 1)
        try:
            parts = shlex.split(rest.strip())
        except ValueError:  # an unclosed quote
            raise ConfigSyntaxError(source, number, "a quoted secret is not closed") from None
        if len(parts) != 2:
            raise ConfigSyntaxError(source, number, "expected 'PSK \"secret\"' after ':'")
        secrets.append(Secret(ids.split(), parts[0].upper(), parts[1], number))
    return secrets


@dataclass
class Section:
    name: str
    line: int
    settings: list[Setting] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def get(self, key: str, default: str | None = None) -> str | None:
        for setting in reversed(self.settings):
            if setting.key == key:
                return setting.value
        return default

    def child(self, name: str) -> Section | None:
        return next((c for c in self.children if c.name == name), None)


_TOKEN = re.compile(r"\s*(?:(\})|([^\s{}=#]+)\s*(\{)|([^\s{}=#]+)\s*=\s*([^#\n]*))")


def parse_swanctl(text: str, source: str = "swanctl.conf") -> Section:
    root = Section("", 0)
    stack = [root]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line.startswith("include "):
            continue  # include lines are not followed
        while line:
            match = _TOKEN.match(line)
            if not match:
                raise ConfigSyntaxError(source, number, f"cannot parse {line!r}")
            close, name, _, key, value = match.groups()
            if close:
                if len(stack) == 1:
                    raise ConfigSyntaxError(source, number, "'}' without an open section")
                stack.pop()
            elif name:
                section = Section(name, number)
                stack[-1].children.append(section)
                stack.append(section)
            else:
                stack[-1].settings.append(Setting(key, value.strip().strip('"'), number))
                line = ""
                continue
            line = line[match.end() :].strip()
    if len(stack) != 1:
        raise ConfigSyntaxError(
            source, stack[-1].line, f"section '{stack[-1].name}' is never closed"
        )
    return root
