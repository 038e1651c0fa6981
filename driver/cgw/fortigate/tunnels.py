"""A FortiGate's IPsec tunnels as records: one per ``phase2-interface`` entry (an SA
pair) of the ``phase1-interface`` it names, each value with its line, and what
FortiOS takes for a key the configuration leaves out (defaults.py) marked as such.
The tunnel interface (``config system interface``, same name as the phase 1)
gives the inside addresses; ``config router bgp`` the ASNs and neighbours."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.cgw.fortigate.conf import FortiConf
from driver.cgw.fortigate.defaults import PHASE1, PHASE2, default
from driver.cgw.record import ConfiguredTunnel, key_lines
from driver.cgw.settings import Conn, Secret

PHASE1_TABLE = "vpn ipsec phase1-interface"
PHASE2_TABLE = "vpn ipsec phase2-interface"
INTERFACES = "system interface"
BGP, NEIGHBORS = "router bgp", "router bgp/neighbor"


@dataclass
class FortiTunnel:
    """A phase 2 with its phase 1: what FortiOS negotiates for one SA pair."""

    phase1: Conn
    phase2: Conn
    defaulted: list[str] = field(default_factory=list)  # "phase1 keylife 86400", …

    def value(self, phase: str, key: str) -> str:
        """The key's value as FortiOS takes it: set, or the platform's default."""
        entry, table = (self.phase1, PHASE1) if phase == "phase1" else (self.phase2, PHASE2)
        found = entry.get(key)
        if found is not None:
            return found
        fallback = default(table, key)
        self.defaulted.append(f"{phase} {key} {fallback}")
        return fallback

    def where(self, phase: str, key: str) -> str:
        entry = self.phase1 if phase == "phase1" else self.phase2
        setting = entry.setting(key)
        return setting.where if setting else f"{entry.source}:{entry.line}"


def forti_tunnels(conf: FortiConf) -> list[FortiTunnel]:
    """Each phase 2 with the phase 1 it names (one left without its phase 1 is not a
    tunnel FortiOS brings up: lint says so)."""
    phase1 = {e.name: e for e in conf.entries(PHASE1_TABLE)}
    return [
        FortiTunnel(phase1[p2.get("phase1name", "")], p2)
        for p2 in conf.entries(PHASE2_TABLE)
        if p2.get("phase1name", "") in phase1
    ]


def tunnels_of(conf: FortiConf) -> list[ConfiguredTunnel]:
    return [record(t) for t in forti_tunnels(conf)]


def record(t: FortiTunnel) -> ConfiguredTunnel:
    p1, p2 = t.phase1, t.phase2
    auto = t.value("phase2", "auto-negotiate") == "enable"
    dpd = t.value("phase1", "dpd")
    return ConfiguredTunnel(
        p2.name,
        p2.line,
        p2.source,
        None,
        p1.get("remote-gw"),
        p1.get("localid"),
        # FortiOS's default selectors (0.0.0.0/0, defaults.py) are AWS's: None says unset
        subnet(p2.get("src-subnet")) if p2.get("src-subnet") else None,
        subnet(p2.get("dst-subnet")) if p2.get("dst-subnet") else None,
        proposal_text(t, "phase1"),
        proposal_text(t, "phase2"),
        key_lines(p1.settings) | key_lines(p2.settings),
        # what the tunnel does once AWS clears it: FortiOS brings phase 2 up again by
        # itself with auto-negotiate; DPD (on-idle, on-demand) notices a dead peer
        "restart" if auto and dpd != "disable" else "hold",
        "%forever",  # FortiOS retries a phase 1 without limit
        [(p1.setting("remote-gw").where, "phase1-interface (a tunnel interface)")]
        if p1.setting("remote-gw")
        else [],
        start_action="start" if auto else "none",
        left=p1.get("local-gw"),
        version=t.value("phase1", "ike-version"),
        aggressive=t.value("phase1", "mode") == "aggressive",
        updown=None,
        origins={
            "ike": t.where("phase1", "proposal"),
            "esp": t.where("phase2", "proposal"),
            "local_ts": t.where("phase2", "src-subnet"),
            "remote_ts": t.where("phase2", "dst-subnet"),
            "version": t.where("phase1", "ike-version"),
            "leftid": t.where("phase1", "localid"),
            "left": t.where("phase1", "local-gw"),
        },
    )


def proposal_text(t: FortiTunnel, phase: str) -> str:
    """A phase's proposals as the record holds them: FortiOS's words, then the DH
    groups offered with them (``aes128-sha1 dhgrp 14 5``; none in a phase 2 without
    PFS). proposals.of_record reads it back."""
    pfs = phase == "phase1" or t.value("phase2", "pfs") == "enable"
    groups = t.value(phase, "dhgrp") if pfs else ""
    proposal = t.value(phase, "proposal")
    return f"{proposal} dhgrp {groups}" if groups else proposal


def subnet(value: str) -> str:
    """``10.0.0.0 255.255.0.0`` (FortiOS's address and mask) as ``10.0.0.0/16``."""
    words = value.split()
    try:
        if len(words) == 2:
            return str(ipaddress.IPv4Network(f"{words[0]}/{words[1]}", strict=False))
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        return value


def inside_cidr(conf: FortiConf, name: str) -> str | None:
    """The /30 of the tunnel interface named as the phase 1 (``set ip``)."""
    interface = next((e for e in conf.entries(INTERFACES) if e.name == name), None)
    address = interface.get("ip") if interface else None
    return subnet(address) if address else None


def secrets_of(tunnels: list[FortiTunnel]) -> list[Secret]:
    """Each phase 1's pre-shared key, for its remote gateway; a key FortiOS printed
    encrypted (``ENC …``, as ``show`` does) is nothing vpnlab can compare."""
    out = []
    for t in tunnels:
        setting = t.phase1.setting("psksecret")
        if setting is not None and not setting.value.startswith("ENC "):
            owner = t.phase1.get("remote-gw") or ""
            out.append(Secret([owner], "PSK", setting.value, setting.line, setting.source))
    return out
