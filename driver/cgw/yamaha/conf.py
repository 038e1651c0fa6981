"""A Yamaha RTX's configuration as ``show config`` prints it (or a saved
``config.txt``, or the lines people paste), read into its commands, each with its
file and line, a tunnel's under the ``tunnel select`` it was written after.

RTX commands are flat: ``tunnel select N`` makes the tunnel-scoped commands after
it (``ipsec tunnel``, ``ip tunnel address``, ``tunnel encapsulation``) belong to
tunnel N until the next ``tunnel select`` (``none``: back to the whole router) or
``pp select``; every other command is the router's, whatever its indentation
(``show config`` indents a tunnel's commands and its SA policy, AWS's sample does
not). ``ipsec ike …`` and ``ipsec sa policy`` are keyed by the security gateway's
number written after their keyword; a command written again replaces the earlier
one, as on the router, and ``no <command>`` removes it (the initial value holds
again). A line starting with ``#`` is a comment (so the administrator's prompt ``# ``
copied with a command makes it one: give vpnlab ``show config``); a prompt that names
where it is (``tunnel1# ``, ``[RTX1210] # ``) is left out, a tunnel's prompt making
the command that tunnel's. ``tunnel template`` copies
commands into other tunnels that ``show config`` does not print: said, as the
configuration in effect is ``show config tunnel N expand``'s.
(Yamaha, RTX command reference: "How to read the command reference", "tunnel
select", "ipsec ike …".)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The IKE commands with a security gateway's number: their keyword's words (the
# number follows them), the longest first.
GATEWAY_COMMANDS = tuple(
    sorted(
        (
            ("ipsec", "ike", "encryption"),
            ("ipsec", "ike", "hash"),
            ("ipsec", "ike", "group"),
            ("ipsec", "ike", "version"),
            ("ipsec", "ike", "pfs"),
            ("ipsec", "ike", "duration", "isakmp-sa"),
            ("ipsec", "ike", "duration", "ipsec-sa"),
            ("ipsec", "ike", "duration", "ike-sa"),
            ("ipsec", "ike", "duration", "child-sa"),
            ("ipsec", "ike", "keepalive", "use"),
            ("ipsec", "ike", "keepalive", "log"),
            ("ipsec", "ike", "local", "address"),
            ("ipsec", "ike", "remote", "address"),
            ("ipsec", "ike", "local", "name"),
            ("ipsec", "ike", "remote", "name"),
            ("ipsec", "ike", "local", "id"),
            ("ipsec", "ike", "remote", "id"),
            ("ipsec", "ike", "pre-shared-key"),
            ("ipsec", "ike", "nat-traversal"),
            ("ipsec", "ike", "proposal-limitation"),
            ("ipsec", "ike", "always-on"),
            ("ipsec", "ike", "negotiate-strictly"),
            ("ipsec", "ike", "payload", "type"),
            ("ipsec", "auto", "refresh"),
        ),
        key=len,
        reverse=True,
    )
)
# Commands of the tunnel selected (``tunnel select N``).
TUNNEL_COMMANDS = (
    ("ipsec", "tunnel"),
    ("ip", "tunnel", "address"),
    ("ip", "tunnel", "remote", "address"),
    ("ip", "tunnel", "tcp", "mss", "limit"),
    ("ip", "tunnel", "mtu"),
    ("tunnel", "encapsulation"),
)
# a session's prompt: tunnel1# , pp1> , [RTX1210] # (after the router's name); where
# it names a tunnel, the command is that tunnel's
_PROMPT = re.compile(r"^(\[[^\]]*\]\s*)?(?P<at>(tunnel|pp)(?P<n>\d+))?[#>]\s*")
_NUMBER = re.compile(r"[0-9]+")


def number(word: str | None) -> int | None:
    """A decimal number as the RTX reads one (ASCII digits only), else None."""
    return int(word) if word and _NUMBER.fullmatch(word) else None


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]  # as written
    line: int
    source: str

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def after(self, prefix: tuple[str, ...]) -> tuple[str, ...]:
        return self.words[len(prefix) :]


@dataclass
class YamahaConf:
    source: str
    # tunnel number -> (its command's prefix -> the command), and where it was selected
    tunnels: dict[str, dict[tuple[str, ...], Command]] = field(default_factory=dict)
    selected: dict[str, Command] = field(default_factory=dict)
    # (security gateway, keyword) -> the command; keyword as GATEWAY_COMMANDS
    gateways: dict[tuple[str, tuple[str, ...]], Command] = field(default_factory=dict)
    policies: dict[str, Command] = field(default_factory=dict)  # ipsec sa policy P
    commands: list[Command] = field(default_factory=list)  # the router's other commands
    enabled: dict[str, Command] = field(default_factory=dict)  # tunnel enable N
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)

    def gateway(self, number: str, *keyword: str) -> Command | None:
        return self.gateways.get((number, keyword))

    def gateway_values(self, number: str, *keyword: str) -> tuple[str, ...] | None:
        """What follows the gateway's number in its ``ipsec ike <keyword>``, or None
        when the command is not written."""
        found = self.gateway(number, *keyword)
        return found.words[len(keyword) + 3 :] if found else None

    def starting(self, *prefix: str) -> list[Command]:
        """The router's commands (not a tunnel's, not IKE's) beginning with ``prefix``."""
        return [c for c in self.commands if c.words[: len(prefix)] == prefix]


def parse(text: str, source: str) -> YamahaConf:
    conf = YamahaConf(source)
    tunnel: str | None = None
    for line_number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        prompt = _PROMPT.match(line)
        words = tuple(line[prompt.end() if prompt else 0 :].split())
        if not words:
            continue
        command = Command(words, line_number, source)
        if prompt and prompt["at"]:  # tunnel1# …: selected, whatever was before
            tunnel = prompt["n"] if prompt["at"].startswith("tunnel") else None
            if tunnel is not None and tunnel not in conf.tunnels:
                conf.tunnels[tunnel] = {}
                conf.selected[tunnel] = command
        if words[0] == "no":
            _remove(conf, words[1:], tunnel)
        elif words[:2] == ("tunnel", "template"):
            conf.problems.append(
                (command.where, "tunnel template copies this tunnel's commands into others that "
                 "show config does not print: give vpnlab `show config tunnel N expand` of each")
            )  # fmt: skip
        elif words[:2] == ("tunnel", "select"):
            tunnel = _selected(conf, command)
        elif words[:1] == ("pp",) and words[1:2] == ("select",):
            tunnel = None
        elif words[:2] in (("tunnel", "enable"), ("tunnel", "disable")):
            _enable(conf, command, tunnel)
        elif words[:3] == ("ipsec", "sa", "policy"):
            _policy(conf, command)
        elif (prefix := _known(words, GATEWAY_COMMANDS)) is not None:
            _gateway(conf, command, prefix)
        elif (prefix := _known(words, TUNNEL_COMMANDS)) is not None:
            if tunnel is None:
                conf.problems.append(
                    (command.where, f"'{' '.join(prefix)}' outside any 'tunnel select': the "
                     "RTX refuses it (it is a tunnel's command)")
                )  # fmt: skip
            else:
                if (
                    prefix == ("ipsec", "tunnel")
                    and number(words[2] if words[2:] else None) is None
                ):
                    prefix = words[:3]  # ipsec tunnel outer df-bit …: not the SA policy
                conf.tunnels[tunnel][prefix] = command
        else:
            conf.commands.append(command)
    return conf


def _remove(conf: YamahaConf, words: tuple[str, ...], tunnel: str | None) -> None:
    """``no <command> …``: the command is gone, its initial value holds again."""
    if words[:3] == ("ipsec", "sa", "policy") and len(words) > 3:
        conf.policies.pop(words[3], None)
    elif (prefix := _known(words, GATEWAY_COMMANDS)) is not None:
        keyword = prefix[2:] if prefix[1] == "ike" else prefix[1:]
        rest = words[len(prefix) :]
        gateway = rest[0] if rest else ""  # no ipsec auto refresh: the router's own
        conf.gateways.pop((gateway, keyword), None)
    elif (prefix := _known(words, TUNNEL_COMMANDS)) is not None:
        if tunnel is not None:
            conf.tunnels[tunnel].pop(prefix, None)
    elif words[:2] == ("tunnel", "enable"):
        conf.enabled.pop(words[2] if len(words) > 2 else tunnel or "", None)
    else:
        conf.commands = [c for c in conf.commands if c.words[: len(words)] != words]


def _known(words: tuple[str, ...], table) -> tuple[str, ...] | None:
    return next((p for p in table if words[: len(p)] == p), None)


def _selected(conf: YamahaConf, command: Command) -> str | None:
    target = command.words[2] if len(command.words) > 2 else ""
    if target == "none":
        return None
    if number(target) is None:
        conf.problems.append((command.where, f"tunnel select {target or '?'}: no tunnel number"))
        return None
    conf.tunnels.setdefault(target, {})
    conf.selected.setdefault(target, command)
    return target


def _enable(conf: YamahaConf, command: Command, tunnel: str | None) -> None:
    """``tunnel enable N`` (or, under ``tunnel select N``, ``tunnel enable`` alone)."""
    target = command.words[2] if len(command.words) > 2 else tunnel
    if target is None:
        conf.problems.append((command.where, f"'{' '.join(command.words)}': which tunnel?"))
    elif command.words[1] == "enable":
        conf.enabled[target] = command
    else:
        conf.enabled.pop(target, None)


def _policy(conf: YamahaConf, command: Command) -> None:
    """``ipsec sa policy P G esp ENC [AUTH] [option=value …]``."""
    words = command.words
    if len(words) < 6 or number(words[3]) is None or number(words[4]) is None:
        conf.problems.append(
            (command.where, "ipsec sa policy needs a policy number, a security gateway "
             "number, esp or ah, and an algorithm")
        )  # fmt: skip
        return
    conf.policies[words[3]] = command


def _gateway(conf: YamahaConf, command: Command, prefix: tuple[str, ...]) -> None:
    keyword = prefix[2:] if prefix[1] == "ike" else prefix[1:]  # ipsec auto refresh [G]
    rest = command.after(prefix)
    if prefix == ("ipsec", "auto", "refresh"):
        gateway = rest[0] if len(rest) > 1 else ""  # "" : the router's own switch
        conf.gateways[(gateway, keyword)] = command
        return
    if not rest or number(rest[0]) is None:
        conf.problems.append(
            (command.where, f"'{' '.join(prefix)}' needs the security gateway's number")
        )
        return
    conf.gateways[(rest[0], keyword)] = command
