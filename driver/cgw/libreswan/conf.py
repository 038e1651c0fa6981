"""Libreswan's ipsec.conf and ipsec.secrets, read as Libreswan 4.x reads them,
keeping line numbers (tests/cgw/libreswan/ holds the reading to Libreswan's own
``readwriteconf`` over every fixture).

Where Libreswan differs from strongSwan's starter (driver/cgw/strongswan/ipsec_conf.py),
as its own parser does:

* ``include`` is a statement of its own: the section it interrupts has ended,
  and an indented line after it is a syntax error;
* a conn that sets a key twice is not loaded ("duplicate key 'auto' in conn
  Tunnel1"), nor one whose ``also=`` names no conn; the others are;
* a conn written twice is two conns, and pluto keeps the later;
* in ipsec.secrets the ``:`` may touch the last identity
  (``203.0.113.10 198.51.100.1: PSK "..."``, AWS's old Openswan sample).

Keys and values are not judged here: Libreswan's own parser is the judge
(driver/cgw/libreswan/tools.py).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from driver.cgw.settings import (
    ConfigSyntaxError,
    Conn,
    Includer,
    Secret,
    Setting,
    without_comment,
)

MAX_DEPTH = 10  # includes nested deeper are refused (as strongSwan's; Libreswan's is similar)


@dataclass
class LibreswanConf:
    sections: list[Conn] = field(default_factory=list)  # as written, 'setup' and %default too
    conns: list[Conn] = field(default_factory=list)  # loaded: %default and also= folded in
    refused: dict[str, str] = field(default_factory=dict)  # conn -> Libreswan's reason


def parse_ipsec_conf(text: str, source: str, include: Includer | None = None) -> LibreswanConf:
    sections: list[Conn] = []
    _parse(text, source, include, sections, 0)
    conns, refused = _effective(sections)
    return LibreswanConf(sections, conns, refused)


def _parse(
    text: str, source: str, include: Includer | None, sections: list[Conn], depth: int
) -> None:
    current: Conn | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = without_comment(raw).rstrip()
        if not line.strip():
            continue
        words = line.split()
        if not raw[0].isspace():
            current = None
            if words[0] == "include" and len(words) == 2:
                if depth >= MAX_DEPTH:
                    raise ConfigSyntaxError(source, number, "includes nested too deep")
                for name, included in include(words[1], source, number) if include else []:
                    _parse(included, name, include, sections, depth + 1)
            elif words[0] == "version":
                pass
            elif words == ["config", "setup"]:
                current = Conn("setup", number, source)
                sections.append(current)
            elif words[0] == "conn" and len(words) == 2:
                current = Conn(words[1], number, source)
                sections.append(current)
            else:
                raise ConfigSyntaxError(source, number, f"syntax error [{words[-1]}]")
            continue
        if current is None or "=" not in line:
            raise ConfigSyntaxError(source, number, f"syntax error [{words[0]}]")
        key, value = (part.strip() for part in line.split("=", 1))
        current.settings.append(Setting(key, _unquoted(value), number, source))


def _effective(sections: list[Conn]) -> tuple[list[Conn], dict[str, str]]:
    """The conns Libreswan loads, %default and also= folded in (a conn's own keys win
    over what also= brings, which wins over %default), and the ones it refuses."""
    by_name: dict[str, Conn] = {}
    for s in sections:
        by_name.setdefault(s.name, s)
    defaults = [s for c in sections if c.name == "%default" for s in c.settings]
    conns: dict[str, Conn] = {}  # a conn written twice: the later replaces it (pluto)
    refused = {}
    for conn in sections:
        if conn.name in ("setup", "%default"):
            continue
        conns.pop(conn.name, None)
        try:
            settings = defaults + _expand(conn, by_name)
            conns[conn.name] = Conn(conn.name, conn.line, conn.source, settings)
        except ValueError as exc:
            refused[conn.name] = str(exc)
    return list(conns.values()), refused


def _expand(conn: Conn, by_name: dict[str, Conn], seen: tuple[str, ...] = ()) -> list[Setting]:
    keys = [s.key for s in conn.settings if s.key != "also"]
    twice = next((k for k in keys if keys.count(k) > 1), None)
    if twice:
        raise ValueError(f"duplicate key '{twice}' in conn {conn.name}")
    inherited: list[Setting] = []
    for s in conn.settings:
        if s.key != "also":
            continue
        if s.value not in by_name:
            raise ValueError(f"cannot find conn '{s.value}' needed by conn '{conn.name}'")
        if s.value in seen or s.value == conn.name:
            raise ValueError(f"conn '{conn.name}' includes itself through also={s.value}")
        inherited += _expand(by_name[s.value], by_name, (*seen, conn.name))
    return inherited + [s for s in conn.settings if s.key != "also"]


def parse_ipsec_secrets(
    text: str, source: str, include: Includer | None = None, depth: int = 0
) -> list[Secret]:
    """``[ids] : PSK "secret"`` records (no ids: any peer); other kinds (RSA, XAUTH)
    are kept by kind with no secret read."""
    secrets: list[Secret] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        number += 1
        line = without_comment(lines[number - 1]).strip()
        if not line:
            continue
        words = line.split()
        if words[0] == "include" and len(words) == 2:
            if depth >= MAX_DEPTH:
                raise ConfigSyntaxError(source, number, "includes nested too deep")
            for name, included in include(words[1], source, number) if include else []:
                secrets += parse_ipsec_secrets(included, name, include, depth + 1)
            continue
        colon = _COLON.search(line)
        if not colon:
            raise ConfigSyntaxError(source, number, "missing ':' after the identities")
        ids, rest = line[: colon.start(1)], line[colon.end(1) :]
        try:
            parts = shlex.split(rest, posix=True)
            id_list = shlex.split(ids)
        except ValueError:  # an unclosed quote
            raise ConfigSyntaxError(source, number, "a quoted string is not closed") from None
        kind = parts[0].upper() if parts else ""
        if kind == "PSK" and len(parts) == 2:
            secrets.append(Secret(id_list, kind, parts[1], number, source))
        elif kind == "PSK":
            raise ConfigSyntaxError(source, number, "expected 'PSK \"secret\"' after ':'")
        else:
            secrets.append(Secret(id_list, kind, "", number, source))
            if "{" in rest and "}" not in rest:  # an RSA key block: to its closing brace
                while number < len(lines) and "}" not in lines[number]:
                    number += 1
                number += 1
    return secrets


# The ':' that ends the identities, alone or touching the last one: the first one
# followed by a space (not an IPv6 address's) before any quote.
_COLON = re.compile(r'^[^"]*?(:)(?=\s|$)')


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
