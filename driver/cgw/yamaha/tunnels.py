"""An RTX's IPsec tunnels as records: one per ``tunnel select N`` that names an SA
policy (``ipsec tunnel P``), with the policy's security gateway and that gateway's
``ipsec ike …`` commands, each value with its line, and what the RTX takes for a
command the file leaves out (defaults.py) noted as such. A tunnel not enabled
(``tunnel enable N``) is one the RTX does not use: not a record, lint says so.

How an RTX negotiates, from its command reference (§ numbers of chapter 15): IKEv1
unless ``ipsec ike version G 2`` (only that version is accepted, §15.2); it starts a
key exchange only with ``ipsec auto refresh on`` and a peer address that is not
``any`` (§15.10, §15.15), else it only answers; IKEv1's phase 1 is aggressive mode
when it has a local name or answers ``any`` (the chapter's introduction), main mode
otherwise; its phase 2 carries IDs only where ``ipsec ike local id``/``remote id``
(or the policy's ``local-id=``/``remote-id=``) say (§15.4, §15.16, §15.19); PFS,
when on, uses ``ipsec ike group``'s second group in IKEv1 (its only one if one) and
its first in IKEv2 (§15.24)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.cgw.yamaha import defaults
from driver.cgw.yamaha.conf import Command, YamahaConf, number
from driver.cgw.yamaha.proposals import CIPHERS, HASHES
from driver.core.addresses import is_ipv4


@dataclass
class YamahaTunnel:
    number: str
    conf: YamahaConf
    defaulted: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"tunnel {self.number}"

    @property
    def selected(self) -> Command:
        return self.conf.selected[self.number]

    def command(self, *prefix: str) -> Command | None:
        return self.conf.tunnels[self.number].get(prefix)

    @property
    def policy_id(self) -> str | None:
        found = self.command("ipsec", "tunnel")
        return found.words[2] if found and len(found.words) > 2 else None

    @property
    def policy(self) -> Command | None:
        return self.conf.policies.get(self.policy_id or "")

    @property
    def gateway(self) -> str | None:
        return self.policy.words[4] if self.policy else None

    def given(self, *keyword: str) -> tuple[str, ...] | None:
        return self.conf.gateway_values(self.gateway, *keyword) if self.gateway else None

    def where(self, *keyword: str) -> str:
        """Where the gateway's ``ipsec ike <keyword>`` is written, else its SA policy."""
        found = self.conf.gateway(self.gateway or "", *keyword)
        return (found or self.policy or self.selected).where

    def setting(self, *keyword: str) -> str:
        """The first word of ``ipsec ike <keyword> G …``, or the RTX's initial value
        (noted: the verdict relied on it)."""
        found = self.given(*keyword)
        if found:
            return found[0]
        fallback = defaults.GATEWAY[keyword]
        self.defaulted.append(f"ipsec ike {' '.join(keyword)} {self.gateway} {fallback}")
        return fallback

    @property
    def version(self) -> str:
        return self.setting("version")

    @property
    def limited(self) -> bool:
        """IKEv2 proposes only what is configured (proposal-limitation on), or all it
        supports (§15.44); IKEv1 always what is configured."""
        return self.version != "2" or self.setting("proposal-limitation") == "on"

    def groups(self) -> tuple[str, ...]:
        found = self.given("group")
        if not found:
            self.setting("group")
            return (defaults.GATEWAY[("group",)],)
        return found[:2]

    def pfs_group(self) -> str | None:
        if self.setting("pfs") != "on":
            return None
        groups = self.groups()
        return groups[1] if self.version == "1" and len(groups) > 1 else groups[0]

    def ike_words(self) -> str:
        if not self.limited:
            return " ".join(
                ",".join(words)
                for words in (defaults.IKEV2_CIPHERS, defaults.IKEV2_HASHES, defaults.IKEV2_GROUPS)
            )
        return f"{self.setting('encryption')} {self.setting('hash')} {self.groups()[0]}"

    def esp_algorithms(self) -> tuple[str | None, str | None]:
        """The SA policy's ESP cipher (aes-cbc when it names none) and integrity (none
        when it names none)."""
        words = self.policy.words[6:] if self.policy else ()
        cipher = next((w for w in words if w in CIPHERS), None)
        hashed = next((w for w in words if w in HASHES), None)
        if cipher is None and self.policy is not None:
            self.defaulted.append(f"ipsec sa policy {self.policy_id} esp {defaults.ESP_CIPHER}")
        return cipher or defaults.ESP_CIPHER, hashed

    def esp_words(self) -> str:
        if self.policy is not None and self.policy.words[5] != "esp":
            return " ".join(self.policy.words[5:])  # AH: no ESP proposal AWS knows
        pfs = self.pfs_group()
        if not self.limited:
            words = [",".join(defaults.IKEV2_CIPHERS), ",".join(defaults.IKEV2_ESP_HASHES)]
        else:
            words = [w for w in self.esp_algorithms() if w]
        return " ".join(words + ([pfs] if pfs else []))

    def lifetime(self, ike: bool) -> tuple[int, str]:
        """An SA's lifetime (``duration isakmp-sa``/``ike-sa``, ``ipsec-sa``/``child-sa``)
        and where it is written."""
        names = ("isakmp-sa", "ike-sa") if ike else ("ipsec-sa", "child-sa")
        written = [self.conf.gateway(self.gateway or "", "duration", n) for n in names]
        found = max((c for c in written if c), key=lambda c: c.line, default=None)
        seconds = number(found.words[5] if found and len(found.words) > 5 else None)
        if seconds is not None:
            return seconds, found.where
        fallback = defaults.GATEWAY[("duration", names[0])]  # none written, or no number
        self.defaulted.append(f"ipsec ike duration {names[0]} {self.gateway} {fallback}")
        return int(fallback), found.where if found else self.where("duration", names[0])

    def keepalive(self) -> tuple[str, int, int]:
        """What the RTX sends to learn its peer is alive (§15.20): ("none", 0, 0),
        ("dpd" | "rfc4306" | "heartbeat" | "icmp-echo", interval, count). ``auto``
        answers the peer's heartbeat or RFC 4306 checks but starts none; a method the
        IKE version lacks is its version's own (dpd under IKEv2 is RFC 4306)."""
        words = list(self.given("keepalive", "use") or ())
        switch = words[0] if words else self.setting("keepalive", "use")
        own = "heartbeat" if self.version == "1" else "rfc4306"
        method = words[1] if len(words) > 1 and number(words[1]) is None else own
        if method not in ("heartbeat", "icmp-echo", "dpd", "rfc4306"):
            method = own
        if (method, self.version) in (("dpd", "2"), ("rfc4306", "1")):
            method = own
        numbers = [n for n in map(number, words[1:]) if n is not None][:2]  # [upwait] after
        interval, count = (numbers + list(defaults.KEEPALIVE)[len(numbers) :])[:2]
        if switch == "off" or (switch == "auto" and method in ("heartbeat", "rfc4306")):
            return "none", 0, 0
        return method, interval, count

    @property
    def remote(self) -> str | None:
        found = self.given("remote", "address")
        return found[0] if found else None

    @property
    def local(self) -> str | None:
        """Its own address, where written as one (``vrrp …`` and ``ipcp pp N`` name an
        interface's, which the file does not hold)."""
        found = self.given("local", "address")
        return found[0] if found and is_ipv4(found[0]) else None

    def name(self, side: str) -> tuple[str, str] | None:
        """``ipsec ike local|remote name G NAME [TYPE]``: (name, type)."""
        found = self.given(side, "name")
        return (found[0], found[1] if len(found) > 1 else "") if found else None

    def identity_of(self, side: str) -> str | None:
        """A name as strongSwan writes an identity of its type (key-id: ``keyid:``;
        ipv4-addr, fqdn and user-fqdn: strongSwan tells them apart by their form)."""
        named = self.name(side)
        if named is None:
            return None
        return f"keyid:{named[0]}" if named[1] in ("key-id", "tel-key") else named[0]

    @property
    def aggressive(self) -> bool:
        return self.version == "1" and (
            self.name("local") is not None or (self.remote or "") == "any"
        )

    def identity(self) -> str | None:
        """What it presents: its local name, else (main mode) its local address."""
        return self.identity_of("local") or self.local

    def phase2_ids(self) -> tuple[str | None, str | None]:
        """IKEv1's quick mode IDs: the policy's ``local-id=``/``remote-id=`` over
        ``ipsec ike local|remote id``; none: the RTX sends none (§15.19)."""
        if self.version != "1":
            return "0.0.0.0/0", "0.0.0.0/0"
        written = self.policy.words if self.policy else ()
        options = dict(w.split("=", 1) for w in written if "=" in w)
        out = []
        for side in ("local", "remote"):
            written = self.given(side, "id")
            out.append(options.get(f"{side}-id") or (written[0] if written else None))
        return out[0], out[1]

    def key(self) -> tuple[str | None, str]:
        """The pre-shared key as text (``text KEY``; ``0x…``: the bytes it spells) and
        where it is written; None where there is none, or only a mask (``*****``)."""
        words = self.given("pre-shared-key")
        where = self.where("pre-shared-key")
        if not words:
            return None, where
        if words[0] == "text":
            text = " ".join(words[1:])
            if len(text) > 1 and text[0] == text[-1] == '"':
                text = text[1:-1]
        else:
            text = _hex_text(words[0])
        return (None if not text or set(text) == {"*"} else text), where

    def start_action(self) -> str:
        """start: the RTX starts key exchanges (``ipsec auto refresh on``, not off for
        its gateway, a peer address to start them to); none: it only answers."""
        router = self.conf.gateway("", "auto", "refresh")
        own = self.conf.gateway(self.gateway or "", "auto", "refresh")
        if router is None:
            self.defaulted.append("ipsec auto refresh off")
        on = router is not None and router.words[-1] == "on"
        if on and own is not None and own.words[-1] == "off":
            on = False
        return "start" if on and self.remote not in (None, "any") else "none"

    @property
    def address(self) -> Command | None:
        return self.command("ip", "tunnel", "address")

    @property
    def enabled(self) -> bool:
        return self.number in self.conf.enabled

    @property
    def encapsulation(self) -> str:
        found = self.command("tunnel", "encapsulation")
        return found.words[2] if found and len(found.words) > 2 else "ipsec"


def yamaha_tunnels(conf: YamahaConf, enabled_only: bool = True) -> list[YamahaTunnel]:
    """The IPsec tunnels (``ipsec tunnel P`` under ``tunnel select N``, IPsec
    encapsulation), enabled ones only unless told."""
    out = []
    for selected in conf.tunnels:
        t = YamahaTunnel(selected, conf)
        ipsec = t.command("ipsec", "tunnel") and t.encapsulation == "ipsec"
        if ipsec and (t.enabled or not enabled_only):
            out.append(t)
    return out


def record(t: YamahaTunnel) -> ConfiguredTunnel:
    local_ts, remote_ts = t.phase2_ids()
    start = t.start_action()
    address = t.address
    return ConfiguredTunnel(
        t.label,
        t.selected.line,
        t.conf.source,
        None,
        t.remote,
        t.identity(),
        local_ts,
        remote_ts,
        t.ike_words(),
        t.esp_words(),
        {},
        "restart" if start == "start" else "hold",  # once AWS clears it
        "%forever",
        [(address.where if address else t.selected.where, f"tunnel select {t.number}")],
        start_action=start,
        left=t.local,
        version=t.version,
        aggressive=t.aggressive,
        origins={
            "ike": t.where("encryption"),
            "esp": t.policy.where if t.policy else t.selected.where,
            "version": t.where("version"),
        },
    )


def inside_cidr(t: YamahaTunnel) -> str | None:
    address = t.address
    try:
        return str(ipaddress.IPv4Interface(address.words[3]).network) if address else None
    except (ValueError, IndexError):
        return None


def secrets_of(tunnels: list[YamahaTunnel]) -> list[Secret]:
    """Each gateway's key for its peer, as text."""
    out, seen = [], set()
    for t in tunnels:
        key, where = t.key()
        if key and t.gateway not in seen:
            seen.add(t.gateway)
            out.append(Secret([t.remote or ""], "PSK", key, int(where.rsplit(":", 1)[1]),
                              t.conf.source))  # fmt: skip
    return out


def _hex_text(key: str) -> str | None:
    """``0x4142…``, the key's bytes: as text (AWS's keys are ASCII), else None."""
    try:
        return bytes.fromhex(key[2:]).decode("ascii") if key.lower().startswith("0x") else None
    except ValueError:
        return None
