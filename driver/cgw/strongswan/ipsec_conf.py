"""Parsers for strongSwan's configuration files, keeping line numbers.

* ``ipsec.conf``: ``config setup`` / ``conn NAME`` sections of ``key=value``
  lines (``conn %default`` and ``also=`` resolved by ``effective_conns``);
* ``ipsec.secrets``: ``[ids] : PSK "secret"`` lines;
* ``swanctl.conf``: driver/cgw/strongswan/swanctl_conf.py.

``include`` lines are followed through an ``Includer`` (driver/cgw/strongswan/files.py
resolves them in the customer's directory); every setting keeps its file and line.

Duplicate keys are kept (the seed writes ``auto=start`` twice): lint reports
them; strongSwan's last value wins, and so does ``Conn.get``.
"""

from __future__ import annotations

import re
import shlex

from driver.cgw.settings import (
    ConfigSyntaxError,
    Conn,
    Includer,
    Secret,
    Setting,
    without_comment,
)

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


def makes_route_based(setting: Setting) -> bool:
    return setting.key in ROUTE_BASED_KEYS or (
        setting.key == "leftupdown" and "vti" in setting.value
    )


def parse_ipsec_conf(
    text: str, source: str = "ipsec.conf", include: Includer | None = None
) -> list[Conn]:
    """Every section in order; ``config setup`` appears as a Conn named 'setup'.

    As starter's parser (src/starter/parser/ at 5.9.8): ``include`` lines (globbed,
    relative to this file, also inside a conn) are read in place; a conn written
    twice is one; ``#`` starts a comment outside quotes; ``version 2`` is ignored.
    """
    sections: dict[str, Conn] = {}
    _StarterParser(include, sections).parse(text, source, 0, None)
    return list(sections.values())


class _StarterParser:
    def __init__(self, include: Includer | None, sections: dict[str, Conn]):
        self.include, self.sections = include, sections

    def parse(self, text: str, source: str, depth: int, current: Conn | None) -> Conn | None:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = without_comment(raw).rstrip()
            if not line.strip():
                continue
            words = line.split()
            if words[0] == "include" and len(words) == 2 and "=" not in line:
                for name, included in _included(self.include, words[1], source, number, depth):
                    current = self.parse(included, name, depth + 1, current)
                continue
            if not raw[0].isspace():
                current = self._section(words, line, source, number)
                continue
            if current is None:
                raise ConfigSyntaxError(source, number, "setting outside a section")
            if "=" not in line:
                raise ConfigSyntaxError(
                    source, number, f"expected key=value, found {line.strip()!r}"
                )
            key, value = (part.strip() for part in line.split("=", 1))
            current.settings.append(Setting(key, value.strip('"'), number, source))
        return current

    def _section(self, words: list[str], line: str, source: str, number: int) -> Conn | None:
        if words[0] in ("conn", "ca") and len(words) == 2:
            name = words[1] if words[0] == "conn" else f"ca {words[1]}"
        elif words[:2] == ["config", "setup"]:
            name = "setup"
        elif words[0] == "version":
            return None
        else:
            raise ConfigSyntaxError(
                source,
                number,
                f"expected 'conn NAME', 'ca NAME', 'config setup' or 'include', found "
                f"{line.strip()!r} (settings must be indented)",
            )
        if name not in self.sections:  # written twice, it is one section
            self.sections[name] = Conn(name, number, source)
        return self.sections[name]


def _included(
    include: Includer | None, pattern: str, source: str, line: int, depth: int
) -> list[tuple[str, str]]:
    if include is None:
        return []
    if depth >= 10:  # strongSwan's MAX_INCLUSION_DEPTH
        raise ConfigSyntaxError(source, line, "includes nested more than 10 deep")
    return include(pattern.strip('"'), source, line)


def effective_conns(sections: list[Conn]) -> list[Conn]:
    """Real conns with ``conn %default`` and ``also=`` folded in.

    As starter does: a conn's own keys win over what ``also=`` brings, which wins
    over ``%default``; later values win within each (``Conn.get`` reads the last).
    """
    by_name = {s.name: s for s in sections}
    defaults = [s for c in sections if c.name == "%default" for s in c.settings]

    def expand(conn: Conn, seen: tuple[str, ...]) -> list[Setting]:
        inherited: list[Setting] = []
        for s in conn.settings:
            if s.key != "also" or not s.value:
                continue
            if s.value not in by_name or s.value in seen:  # starter then loads nothing
                what = "names no conn" if s.value not in by_name else "makes a loop"
                raise ConfigSyntaxError(
                    s.source, s.line, f"also={s.value} {what}: starter cannot resolve it"
                )
            inherited += expand(by_name[s.value], (*seen, s.value))
        return inherited + [s for s in conn.settings if s.key != "also"]

    return [
        Conn(conn.name, conn.line, conn.source, defaults + expand(conn, (conn.name,)))
        for conn in sections
        if conn.name != "setup" and conn.name != "%default" and not conn.name.startswith("ca ")
    ]


_SEPARATOR = re.compile(r"(?:^|\s):(?:\s|$)")


def parse_ipsec_secrets(
    text: str, source: str = "ipsec.secrets", include: Includer | None = None, depth: int = 0
) -> list[Secret]:
    """``[ids] : TYPE secret`` lines; no ids (``: PSK "…"``) stands for any peer."""
    secrets = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[0] == "include" and len(words) == 2:
            for name, included in _included(include, words[1], source, number, depth):
                secrets += parse_ipsec_secrets(included, name, include, depth + 1)
            continue
        separator = _SEPARATOR.search(line)
        if not separator:
            raise ConfigSyntaxError(source, number, "missing ' : ' separator")
        ids, rest = line[: separator.start()], line[separator.end() :]
        try:
            parts = shlex.split(rest.strip(), comments=True)
            id_list = shlex.split(ids)
        except ValueError:  # an unclosed quote
            raise ConfigSyntaxError(source, number, "a quoted string is not closed") from None
        if len(parts) != 2:
            raise ConfigSyntaxError(source, number, "expected 'PSK \"secret\"' after ' : '")
        secrets.append(Secret(id_list, parts[0].upper(), parts[1], number, source))
    return secrets
