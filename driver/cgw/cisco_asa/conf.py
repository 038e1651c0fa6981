"""Cisco ASA configuration text (``show running-config``, or pasted lines), read as
the ASA's command line reads it: by IOS's mode-following reader
(driver/cgw/cisco_ios/conf.py) with the ASA's own command modes.

What differs from IOS (Cisco ASA Series CLI Configuration Guide, "IPsec and
ISAKMP"; Command Reference A–C): a crypto map entry is not a submode but one
global line per setting (``crypto map M 10 set peer A``, ``crypto map M 10 match
address ACL``), gathered here into one entry per map and sequence number, each
setting with its own line; a peer's key and DPD live in its ``tunnel-group PEER
ipsec-attributes``; access lists are one line each (``access-list ACL extended
permit ip …``) and may name ``object`` and ``object-group network`` definitions.
ASA releases before 8.4 spelled IKEv1 ``isakmp`` (``crypto isakmp policy``,
``crypto ipsec transform-set``, ``pre-shared-key``, ``crypto isakmp enable``),
as AWS's "Cisco ASA 8.2+" example still does; 8.4 converts them, and so does
this reader (``ikev1`` everywhere).
"""

from __future__ import annotations

import re

from driver.cgw.cisco_ios.conf import Command, IosConf, Modes, parse

SUBMODES: dict[re.Pattern, frozenset[str]] = {
    re.compile(p): frozenset(words.split())
    for p, words in {
        r"crypto (ikev1|isakmp) policy \d+$": "authentication encryption hash group lifetime",
        r"crypto ikev2 policy \d+$": "encryption integrity group prf lifetime",
        r"crypto ipsec ikev2 ipsec-proposal \S+$": "protocol",
        r"crypto ipsec profile \S+$": "set responder-only",
        r"tunnel-group \S+ (ipsec|general)-attributes$": "ikev1 ikev2 pre-shared-key "
        "isakmp peer-id-validate chain default-group-policy trust-point",
        r"group-policy \S+ attributes$": "vpn-tunnel-protocol vpn-idle-timeout vpn-filter "
        "vpn-simultaneous-logins pfs",
        r"interface \S+": "nameif security-level ip ipv6 tunnel description shutdown mtu "
        "speed duplex vlan management-only",
        r"router bgp \d+$": "bgp address-family timers",
        r"address-family ipv4( unicast)?$": "neighbor network redistribute auto-summary "
        "synchronization maximum-paths exit-address-family",
        r"object network \S+$": "subnet host range fqdn description nat",
        r"object-group network \S+$": "network-object group-object description",
        r"sla monitor \d+$": "type frequency timeout threshold",
    }.items()
}

ASA = Modes(
    SUBMODES,
    ("address-family",),
    ("route ", "access-list", "crypto map"),
    # commands only IOS has (Cisco IOS Security Command Reference): no ASA's
    frozenset(
        ["crypto keyring", "crypto isakmp profile", "crypto ikev2 profile", "crypto ikev2 keyring"]
    ),  # fmt: skip
    "is Cisco IOS's (crypto keyring, an isakmp or ikev2 profile): the ASA has no such "
    "command; read it as IOS's with --cgw-daemon cisco-ios",
)

# Pre-8.4 spellings, as 8.4's conversion rewrites them
_RENAMED = (
    (("crypto", "isakmp", "policy"), ("crypto", "ikev1", "policy")),
    (("crypto", "isakmp", "enable"), ("crypto", "ikev1", "enable")),
    (("crypto", "ipsec", "transform-set"), ("crypto", "ipsec", "ikev1", "transform-set")),
)


def parse_asa(text: str, source: str) -> IosConf:
    # ":" begins the ASA's own comments (": Saved", ": end"), as "!" does
    lines = ["" if line.lstrip().startswith(":") else line for line in text.splitlines()]
    conf = parse("\n".join(lines), source, ASA)
    conf.text = text
    gathered: list[Command] = []
    entries: dict[tuple[str, str], Command] = {}
    for command in conf.commands:
        command.words = _renamed(_unquoted(command.words))
        for child in command.children:  # ' around an interface name, as AWS's examples write
            child.words = _unquoted(child.words)
        words = command.words
        if words[:2] == ["crypto", "map"] and len(words) > 4 and words[3].isdecimal():
            key = (words[2], words[3])
            if key not in entries:  # the entry is where its first line is
                entries[key] = Command(words[:4], command.line, command.source)
                gathered.append(entries[key])
            setting = Command(words[4:], command.line, command.source)
            if setting.words[:2] == ["set", "transform-set"]:  # 8.2's IKEv1 spelling
                setting.words[1:2] = ["ikev1", "transform-set"]
            entries[key].children.append(setting)
            continue
        gathered.append(command)
    conf.commands = gathered
    return conf


def _unquoted(words: list[str]) -> list[str]:
    return [w.strip("'") for w in words]


def _renamed(words: list[str]) -> list[str]:
    for old, new in _RENAMED:
        if tuple(words[: len(old)]) == old:
            return [*new, *words[len(old) :]]
    return words
