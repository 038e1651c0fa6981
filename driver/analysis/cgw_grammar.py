"""Does strongSwan know what the customer wrote? Keys and values against
strongSwan's own lists (driver/cgw/strongswan/keywords.py), and what
strongSwan then does, as measured with 5.9.8:

* ipsec.conf: an unknown key is "# unknown keyword" and ignored (the conn still
  loads); a value outside a keyword's list is "bad argument value" and starter
  ignores the conn; an invalid ``ike=``/``esp=`` makes charon skip it
  ("skipped invalid proposal string").
* swanctl.conf: an unknown key or an invalid value makes charon discard the
  connection ("unknown option: …, config discarded").
* A file written for Libreswan/Openswan (``ikev2=insist``, ``phase2alg=``,
  ``ike=aes128-sha1;modp1024``) is recognized by the keys and values that give
  it away.

``refused`` names the connections strongSwan would not load: the tunnel rules
judge only the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from driver.analysis.findings import Finding
from driver.cgw.libreswan.keywords import LIBRESWAN_KEYS
from driver.cgw.settings import Conn, Setting
from driver.cgw.strongswan.files import CustomerConfig
from driver.cgw.strongswan.keywords import (
    PROPOSAL_KEYWORDS,
    STARTER_CA,
    STARTER_CONN,
    STARTER_DEPRECATED,
    STARTER_SETUP,
    STARTER_VALUES,
    SWANCTL_OPTIONS,
)
from driver.cgw.strongswan.swanctl_conf import Section

PROPOSAL_KEYS = ("ike", "esp", "ah", "proposals", "esp_proposals", "ah_proposals")
# swanctl values charon checks against a list (vici_config.c at 5.9.8)
SWANCTL_VALUES = {
    "version": ("0", "1", "2"),
    "dpd_action": ("clear", "trap", "route", "restart", "start", "none", "hold"),
    "start_action": ("none", "trap", "route", "start", "restart", "hold", "clear"),
    "close_action": ("clear", "trap", "route", "restart", "start", "none", "hold"),
    "mode": ("tunnel", "transport", "transport_proxy", "beet", "pass", "drop"),
}
SWANCTL_AUTH = re.compile(
    r"^(psk|pubkey|rsa|ecdsa|bliss|ike:\S+|eap(-[\w-]+)?|xauth(-[\w-]+)?)(-\S*)?$"
)


@dataclass
class Grammar:
    findings: list[Finding] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # conn -> why strongSwan drops it

    def add(self, rule: str, severity: str, setting: Setting, message: str, hint: str) -> None:
        self.findings.append(Finding(rule, severity, setting.where, message, hint))


def judge(config: CustomerConfig) -> Grammar:
    grammar = Grammar()
    if config.style == "swanctl":
        _swanctl(config.swanctl, grammar)
    else:
        _starter(config.sections, config.conns, grammar)
    return grammar


def _starter(sections: list[Conn], conns: list[Conn], grammar: Grammar) -> None:
    signals: list[Setting] = []
    for section in sections:
        known = (
            STARTER_SETUP
            if section.name == "setup"
            else STARTER_CA
            if section.name.startswith("ca ")
            else STARTER_CONN
        )
        for s in section.settings:
            if _libreswan_signal(s):
                signals.append(s)
            if s.key in STARTER_DEPRECATED:
                grammar.add(
                    "conf-unknown-key",
                    "warning",
                    s,
                    f"{s.key} is a deprecated keyword strongSwan ignores",
                    f"remove {s.key}",
                )
            elif s.key not in known:
                grammar.add(
                    "conf-unknown-key",
                    "warning",
                    s,
                    f"strongSwan does not know {s.key!r} ('# unknown keyword') and ignores it",
                    "remove it, or use strongSwan's keyword (ipsec.conf(5))",
                )
    for conn in conns:
        for s in conn.settings:
            if s.value == "":  # key= unsets it
                continue
            allowed = STARTER_VALUES.get(s.key)
            if allowed and s.value not in allowed:
                _refuse(
                    grammar,
                    conn.name,
                    s,
                    f"{s.key}={s.value} is not one of {'|'.join(allowed)}: starter ignores "
                    f"conn {conn.name} ('bad argument value')",
                    f"use one of {', '.join(allowed)}",
                )
            elif s.key in ("ike", "esp", "ah") and (bad := _bad_proposal(s.value)):
                _refuse(
                    grammar,
                    conn.name,
                    s,
                    f"{s.key}={s.value}: {bad}: charon skips conn {conn.name} ('skipped "
                    "invalid proposal string')",
                    "write proposals as strongSwan does: aes256-sha256-modp2048, separated by ','",
                )
    if signals:
        _libreswan(signals, [c.name for c in conns], grammar)


def _libreswan_signal(s: Setting) -> bool:
    return (
        s.key in LIBRESWAN_KEYS
        or f"{s.key}={s.value}" in LIBRESWAN_KEYS
        or (s.key in PROPOSAL_KEYS and ";" in s.value)
    )


def _refuse(grammar: Grammar, conn: str, s: Setting, message: str, hint: str) -> None:
    key = (s.where, message)
    if key not in {(f.where, f.message) for f in grammar.findings}:  # %default: once
        grammar.add("conf-refused", "error", s, message, hint)
    grammar.refused.setdefault(conn, message)


def _libreswan(signals: list[Setting], conns: list[str], grammar: Grammar) -> None:
    """An error when strongSwan drops connections of it, else a warning: the file
    loads, but without what only Libreswan understands."""
    one_file = len({s.source for s in signals}) == 1
    lines = ", ".join(f"{s.line if one_file else s.where} ({s.key}={s.value})" for s in signals[:6])
    loaded = [c for c in conns if c not in grammar.refused]
    if not loaded:
        outcome = "strongSwan would load none of these connections"
    elif len(loaded) < len(conns):
        outcome = f"strongSwan loads only {', '.join(loaded)}, without those settings"
    else:
        outcome = "strongSwan loads the connections but ignores those settings"
    grammar.add(
        "conf-libreswan",
        "error" if len(loaded) < len(conns) else "warning",
        signals[0],
        f"Libreswan syntax: {outcome}; lines {lines}{' …' if len(signals) > 6 else ''}",
        "translate it to strongSwan (ikev2=insist -> keyexchange=ikev2; phase2alg= -> esp=; "
        "aes128-sha1;modp1024 -> aes128-sha1-modp1024), or read it as Libreswan's: --cgw-daemon "
        "libreswan (vpnlab detects it unless told otherwise)",
    )


def _bad_proposal(text: str) -> str | None:
    for proposal in text.strip().rstrip("!").split(","):
        proposal = proposal.strip()
        if proposal == "default":
            continue
        unknown = [t for t in proposal.split("-") if t not in PROPOSAL_KEYWORDS]
        if unknown or not proposal:
            return f"{' '.join(unknown) or 'an empty proposal'!r} is not a strongSwan algorithm"
    return None


def _swanctl(root: Section, grammar: Grammar) -> None:
    for s in root.settings:
        grammar.add(
            "conf-unknown-key",
            "warning",
            s,
            f"{s.key} outside any section: swanctl ignores it",
            "move it into its connection's section",
        )
    for top in root.children:
        if top.name not in _TOP:
            grammar.add(
                "conf-unknown-key",
                "warning",
                Setting(top.name, "", top.line, top.source),
                f"swanctl.conf has no section {top.name!r}: swanctl ignores it",
                "use connections { }, secrets { }, pools { } or authorities { }",
            )
            continue
        _walk(top, top.name, None, grammar)


def _walk(section: Section, path: str, conn: str | None, grammar: Grammar) -> None:
    what = f"connection {conn}" if conn else f"section {section.name}"
    for s in section.settings:
        if _option(path, s.key, section=False) is None:
            _reject(
                grammar,
                conn,
                s,
                f"strongSwan does not know {s.key!r} here: charon discards {what} "
                f"('unknown option: {s.key}, config discarded')",
                "remove it, or use the key swanctl.conf(5) lists",
            )
        elif problem := _swanctl_value(s):
            _reject(
                grammar,
                conn,
                s,
                f"{s.key} = {s.value}: {problem}: charon discards {what} ('invalid value for: "
                f"{s.key}, config discarded')",
                "a value runs to the end of its line, a '#' or a '}': put each setting on "
                "its own line"
                if ";" in s.value or " = " in s.value
                else "use a value swanctl.conf(5) lists",
            )
    for child in section.children:
        sub = _option(path, child.name, section=True)
        if sub is None:
            _reject(
                grammar,
                conn,
                Setting(child.name, "", child.line, child.source),
                f"strongSwan does not know a section {child.name!r} here: charon discards {what}",
                "check the section's name against swanctl.conf(5)",
            )
            continue
        _walk(child, sub, child.name if path == "connections" else conn, grammar)


def _reject(grammar: Grammar, conn: str | None, s: Setting, message: str, hint: str) -> None:
    if conn is None:
        grammar.add("conf-unknown-key", "warning", s, message, hint)
    else:
        grammar.add("conf-refused", "error", s, message, hint)
        grammar.refused.setdefault(conn, message)


_OPTIONS = SWANCTL_OPTIONS | {"connections.<conn>.children"}
_TOP = {o for o in _OPTIONS if "." not in o}
_SECTIONS = {o.rpartition(".")[0] for o in _OPTIONS}


def _option(path: str, name: str, section: bool) -> str | None:
    """The swanctl.opt entry for ``name`` under ``path`` (placeholders matched), or None."""
    candidates = [
        o for o in _OPTIONS if o.rpartition(".")[0] == path and (o in _SECTIONS) == section
    ]
    for option in candidates:  # an exact name first: local_addrs is not local<suffix>
        if option.rpartition(".")[2] == name:
            return option
    for option in candidates:
        last = option.rpartition(".")[2]
        if last.startswith("<") or (
            last.endswith("<suffix>") and name.startswith(last.removesuffix("<suffix>"))
        ):
            return option
    return None


def _swanctl_value(s: Setting) -> str | None:
    """What charon's vici parser refuses (its maps compare without case)."""
    if s.value == "":
        return None
    allowed = SWANCTL_VALUES.get(s.key)
    if allowed and s.value.lower() not in allowed:
        return f"not one of {'|'.join(allowed)}"
    if s.key == "auth" and not SWANCTL_AUTH.match(s.value.lower()):
        return "not an authentication method (psk, pubkey, eap-…)"
    if s.key in PROPOSAL_KEYS:
        return _bad_proposal(s.value)
    return None
