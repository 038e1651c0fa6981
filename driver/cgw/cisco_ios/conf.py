"""Cisco IOS / IOS XE configuration text, read as the router's command line reads it.

IOS's configuration is a sequence of commands; some enter a submode (``crypto
isakmp policy 200``, ``interface Tunnel1``), whose commands follow until ``exit``,
``end``, or a command the submode does not have, which IOS then runs in the
mode above (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS
Command-Line Interface": command modes, ``exit``). ``show running-config``
indents a submode's commands by one space; what people paste into a mail often
has no indentation at all, and IOS reads both the same. So this reader follows
modes, not indentation: an indented line belongs to the open submode; an
unindented one does when the submode has that command (SUBMODES), and otherwise
closes it. ``!`` starts a comment. Each command keeps its file and line.

Why not an indentation parser (ciscoconfparse2, hier_config): both build the
tree from indentation, so the unindented text people paste reads as a flat list
of global commands, which is not what the router does with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Modes:
    """A Cisco platform's command modes, as its command line follows them."""

    submodes: dict[re.Pattern, frozenset[str]]  # the command entering one -> its commands
    nested: tuple[str, ...]  # submodes entered only from within another ("peer …")
    global_only: tuple[str, ...]  # global commands beginning as a submode's do ("ip route")
    foreign: frozenset[str] = frozenset()  # commands of another platform: said, not read
    foreign_why: str = ""


# Submodes (the command that enters one) and the commands each has, as IOS 15 /
# IOS XE 17 print them in ``show running-config`` (Cisco IOS Security Command
# Reference); ``no <command>`` is one of them as well.
SUBMODES: dict[re.Pattern, frozenset[str]] = {
    re.compile(p): frozenset(words.split())
    for p, words in {
        r"crypto isakmp policy \d+$": "encryption encr hash authentication group lifetime",
        r"crypto keyring \S+": "local-address pre-shared-key rsa-pubkey description vrf",
        r"crypto isakmp profile \S+$": "local-address match keyring keepalive self-identity "
        "initiate description vrf ca virtual-template accounting",
        r"crypto ipsec transform-set \S+ .+": "mode",
        r"crypto ipsec profile \S+$": "set description responder-only",
        r"crypto map \S+ \d+( ipsec-isakmp)?( dynamic \S+)?$": "set match description "
        "reverse-route",
        r"crypto ikev2 proposal \S+$": "encryption integrity prf group",
        r"crypto ikev2 policy \S+$": "proposal match",
        r"crypto ikev2 keyring \S+$": "peer",
        r"peer \S+$": "address pre-shared-key identity description hostname",
        r"crypto ikev2 profile \S+$": "match identity authentication keyring lifetime dpd nat "
        "description config-exchange ivrf",
        r"interface \S+": "ip ipv6 tunnel description shutdown mtu bandwidth crypto "
        "negotiation vrf load-interval",
        r"router bgp \d+$": "bgp neighbor network redistribute timers address-family maximum-paths",
        r"address-family \S+( \S+)?$": "neighbor network redistribute maximum-paths "
        "exit-address-family",
        r"ip access-list (extended|standard) \S+$": "permit deny remark",
        r"ip sla \d+$": "icmp-echo timeout frequency threshold",
    }.items()
}

# Global commands that begin as an interface's do ("ip …"): IOS runs them globally.
GLOBAL_ONLY = (
    "ip route", "ip sla", "ip access-list", "ip prefix-list", "ip nat inside source",
    "ip nat outside source", "ip nat pool", "ip routing", "ip cef", "ip domain",
    "ip name-server", "ip http", "ip ssh",
)  # fmt: skip

IOS = Modes(
    SUBMODES,
    ("peer", "address-family"),
    GLOBAL_ONLY,
    # commands only Cisco ASA has (ASA's VPN command reference): an ASA's file is no IOS's
    frozenset(["tunnel-group", "group-policy", "crypto ikev1"]),
    "is Cisco ASA's (tunnel-group, group-policy, crypto ikev1): vpnlab reads it as an "
    "ASA's configuration (--cgw-daemon cisco-asa); read as IOS it would be judged by the "
    "wrong commands",
)


@dataclass
class Command:
    words: list[str]
    line: int
    source: str
    children: list[Command] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def all(self, *prefix: str) -> list[Command]:
        """The submode's commands that begin with these words."""
        n = len(prefix)
        return [c for c in self.children if c.words[:n] == list(prefix)]

    def first(self, *prefix: str) -> Command | None:
        found = self.all(*prefix)
        return found[0] if found else None

    def after(self, *prefix: str) -> list[str] | None:
        """The words following ``prefix`` in the submode's first such command."""
        found = self.first(*prefix)
        return found.words[len(prefix) :] if found else None


@dataclass
class IosConf:
    commands: list[Command]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)
    text: str = ""  # as read (its router bgp is read by FRR's reader: one grammar)
    source: str = ""

    def all(self, *prefix: str) -> list[Command]:
        """The global commands that begin with these words."""
        n = len(prefix)
        return [c for c in self.commands if c.words[:n] == list(prefix)]

    def named(self, *prefix: str) -> dict[str, Command]:
        """The global commands ``prefix NAME …`` by NAME (the first of each name)."""
        out: dict[str, Command] = {}
        for c in self.all(*prefix):
            if len(c.words) > len(prefix):
                out.setdefault(c.words[len(prefix)], c)
        return out


def parse(text: str, source: str, modes: Modes = IOS) -> IosConf:
    conf = IosConf([], text=text, source=source)
    open_: list[tuple[Command, frozenset[str]]] = []  # the submodes entered, innermost last
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("!"):
            continue
        words = stripped.split()
        if words[0] == "end":
            open_.clear()
            continue
        if words[0] in ("exit", "exit-address-family"):
            if open_:
                open_.pop()
            continue
        indented = raw[:1].isspace()
        while open_ and not (indented or _has(open_[-1][1], words, modes)):
            open_.pop()  # a command the submode lacks: IOS runs it in the mode above
        if not open_ and not conf.problems and _foreign(words, modes):
            conf.problems.append((f"{source}:{number}", f"'{stripped}' {modes.foreign_why}"))
        command = Command(words, number, source)
        (open_[-1][0].children if open_ else conf.commands).append(command)
        submode = _submode(stripped, nested=bool(open_), modes=modes)
        if submode is not None:
            open_.append((command, submode))
    return conf


def _foreign(words: list[str], modes: Modes) -> bool:
    return any(" ".join(words[:n]) in modes.foreign for n in (1, 2, 3))


def _has(submode: frozenset[str], words: list[str], modes: Modes) -> bool:
    words = words[1:] if words[0] == "no" and len(words) > 1 else words
    if " ".join(words[:3]).startswith(modes.global_only):
        return False
    return words[0] in submode or words[0].isdecimal()  # "10 permit …": an ACL's entry


def _submode(text: str, nested: bool, modes: Modes) -> frozenset[str] | None:
    for pattern, words in modes.submodes.items():
        is_nested = pattern.pattern.startswith(modes.nested)
        if is_nested == nested and pattern.match(text):
            return words
    return None
