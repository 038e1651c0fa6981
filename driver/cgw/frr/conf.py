"""A customer gateway's BGP configuration (FRR or Quagga), found and read as
its daemons would.

Where it lives on the server decides who reads it: FRR's integrated
``/etc/frr/frr.conf`` (zebra and bgpd both read it), FRR's per-daemon
``/etc/frr/{zebra,bgpd}.conf``, or Quagga's ``/etc/quagga/{zebra,bgpd}.conf``.
FRR's ``/etc/frr/daemons`` says whether bgpd starts at all (Debian ships
``bgpd=no``).

The reader knows the statements that decide an AWS session (``router bgp``,
``neighbor``, ``network``, ``redistribute``, timers, the RFC 8212 policy
switch, ``frr version``/``frr defaults``), each with its line; FRR's own parser
(``vtysh --dryrun``) stays the judge of syntax. The defaults are FRR 8.4's
(bgpd/bgp_vty.c ``FRR_CFG_DEFAULT_*``): a file that says it was written by FRR
before 7.4, or under ``frr defaults datacenter``, keeps the older ones.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace

from driver.cgw.strongswan import files as cgw_files
from driver.core.input_files import read_text

DAEMONS_FILE = "/etc/frr/daemons"
# Quagga's files run under FRR in the local lab, with FRR's defaults of before
# 7.4 (no RFC 8212 policy, no import check): Quagga's own behaviour.
QUAGGA_DEFAULTS = "frr version 3.0\n"
_LAYOUTS = (
    ("frr", {"zebra": "/etc/frr/frr.conf", "bgpd": "/etc/frr/frr.conf"}),
    ("frr", {"zebra": "/etc/frr/zebra.conf", "bgpd": "/etc/frr/bgpd.conf"}),
    ("quagga", {"zebra": "/etc/quagga/zebra.conf", "bgpd": "/etc/quagga/bgpd.conf"}),
)
POLICY_VERSION = (7, 4)  # FRR's first version with `bgp ebgp-requires-policy` on by default
_BGP_COMMANDS = (
    "neighbor", "network", "bgp", "redistribute", "address-family", "exit-address-family",
    "timers", "aggregate-address", "maximum-paths", "no",
)  # fmt: skip


@dataclass(frozen=True)
class BgpSetup:
    """Which daemons read which of the server's files."""

    suite: str  # "frr" | "quagga"
    configs: dict[str, str | None]  # daemon -> its configuration file on the server

    @property
    def bgpd(self) -> str:
        return self.configs["bgpd"] or ""


def find(paths) -> BgpSetup | None:
    """The BGP layout the server's files hold, FRR's integrated file first."""
    present = set(paths)
    for suite, configs in _LAYOUTS:
        if configs["bgpd"] in present:
            zebra = configs["zebra"] if configs["zebra"] in present else None
            return BgpSetup(suite, {"zebra": zebra, "bgpd": configs["bgpd"]})
    return None


def read(files: dict, labels: dict[str, str]) -> BgpConfig | None:
    """The bgpd file among a customer's (server path -> their file), parsed; None
    where they hold none. ``labels``: the paths as the user gave them."""
    setup = find(files)
    if setup is None:
        return None
    text = read_text(files[setup.bgpd], cgw_files.MAX_BYTES, "BGP configuration")
    return parse(text, labels.get(setup.bgpd, setup.bgpd), setup.suite)


def bgpd_enabled(daemons: str | None) -> tuple[bool, int]:
    """Whether FRR's daemons file starts bgpd, and the line that says so (0: none)."""
    if daemons is None:
        return True, 0
    enabled, where = False, 0
    for number, line in enumerate(daemons.splitlines(), start=1):
        key, _, value = line.partition("=")
        if key.strip() == "bgpd":
            enabled, where = value.strip().strip("\"'") == "yes", number
    return enabled, where


@dataclass
class Neighbor:
    name: str  # an address, or a peer group's name
    line: int
    remote_as: str | None = None  # a number, "external" or "internal"
    group: str | None = None
    timers: tuple[int, int] | None = None  # keepalive, hold
    policy_in: bool = False
    policy_out: bool = False
    shutdown: bool = False
    activated: bool | None = None  # None: as `bgp default ipv4-unicast` says
    local_as: str | None = None
    default_originate: bool = False  # it sends the peer a default route


@dataclass
class BgpConfig:
    source: str  # the file as the user named it
    suite: str
    asn: int | None = None
    asn_line: int = 0
    version: tuple[int, int] | None = None
    profile: str = "traditional"
    policy_switch: bool | None = None  # `[no] bgp ebgp-requires-policy`, if written
    default_ipv4: bool = True
    timers: tuple[int, int] | None = None  # `timers bgp`
    neighbors: dict[str, Neighbor] = field(default_factory=dict)  # by address
    groups: dict[str, Neighbor] = field(default_factory=dict)
    networks: list[tuple[ipaddress.IPv4Network, int]] = field(default_factory=list)
    redistributes: list[tuple[str, int]] = field(default_factory=list)
    # `bgp network import-check`: a network is announced only while it is routed (FRR's
    # default; VyOS writes `no bgp network import-check` unless told)
    import_check: bool = True

    @property
    def requires_policy(self) -> bool:
        """RFC 8212 as FRR applies it: eBGP routes need an in/out policy."""
        if self.policy_switch is not None:
            return self.policy_switch
        if self.suite != "frr" or self.profile == "datacenter":
            return False  # Quagga, and the routers whose router bgp this reads, ask for none
        return self.version is None or self.version >= POLICY_VERSION

    def effective(self, address: str) -> Neighbor:
        """A neighbour with its peer group's settings under its own."""
        own = self.neighbors[address]
        group = self.groups.get(own.group or "")
        if group is None:
            return own
        merged = replace(group, name=own.name, line=own.line, group=own.group)
        for name in ("remote_as", "timers", "local_as", "activated"):
            if getattr(own, name) is not None:
                setattr(merged, name, getattr(own, name))
        for name in ("policy_in", "policy_out", "shutdown"):
            setattr(merged, name, getattr(own, name) or getattr(group, name))
        return merged


def parse(text: str, source: str, suite: str) -> BgpConfig:
    config = BgpConfig(source, suite)
    in_bgp = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("!", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[:2] == ["router", "bgp"]:
            in_bgp = len(words) == 3  # `router bgp N vrf X` is not the tunnels' instance
            if in_bgp and words[2].isdecimal():
                config.asn, config.asn_line = int(words[2]), number
            continue
        if not raw[:1].isspace() and words[0] not in _BGP_COMMANDS:
            in_bgp = False
            _global(config, words)
            continue
        if in_bgp:
            _bgp_statement(config, words, number)
    return config


def _global(config: BgpConfig, words: list[str]) -> None:
    if words[:2] == ["frr", "version"] and len(words) > 2:
        found = re.match(r"(\d+)\.(\d+)", words[2])
        config.version = (int(found[1]), int(found[2])) if found else None
    elif words[:2] == ["frr", "defaults"] and len(words) > 2:
        config.profile = words[2]


def _bgp_statement(config: BgpConfig, words: list[str], number: int) -> None:
    negated = words[0] == "no"
    if negated:
        words = words[1:]
    if words[:2] == ["bgp", "ebgp-requires-policy"]:
        config.policy_switch = not negated
    elif words[:3] == ["bgp", "default", "ipv4-unicast"]:
        config.default_ipv4 = not negated
    elif words[:2] == ["timers", "bgp"] and len(words) >= 4 and not negated:
        config.timers = (int(words[2]), int(words[3]))
    elif words[0] == "network" and len(words) >= 2 and not negated:
        prefix = _network(words)
        if prefix is not None:
            config.networks.append((prefix, number))
    elif words[0] == "redistribute" and len(words) >= 2 and not negated:
        config.redistributes.append((words[1], number))
    elif words[0] == "neighbor" and len(words) >= 3:
        _neighbor(config, words[1], words[2:], number, negated)


def _neighbor(config: BgpConfig, name: str, rest: list[str], number: int, negated: bool) -> None:
    if rest == ["peer-group"]:  # `neighbor NAME peer-group`: a group is defined
        config.groups.setdefault(name, Neighbor(name, number))
        return
    table = config.neighbors if _is_address(name) else config.groups
    peer = table.setdefault(name, Neighbor(name, number))
    verb = rest[0]
    if verb == "activate":
        peer.activated = not negated
    elif negated:
        return
    elif verb == "remote-as" and len(rest) > 1:
        peer.remote_as = rest[1]
    elif verb == "peer-group" and len(rest) > 1:
        peer.group = rest[1]
    elif verb == "local-as" and len(rest) > 1:
        peer.local_as = rest[1]
    elif verb == "shutdown":
        peer.shutdown = True
    elif verb == "default-originate":
        peer.default_originate = True
    elif verb == "timers" and len(rest) >= 3 and rest[1].isdecimal():
        peer.timers = (int(rest[1]), int(rest[2]))
    elif verb in ("route-map", "prefix-list", "distribute-list", "filter-list") and len(rest) > 2:
        if rest[2] == "in":
            peer.policy_in = True
        elif rest[2] == "out":
            peer.policy_out = True


def _network(words: list[str]) -> ipaddress.IPv4Network | None:
    """``network P/LEN``, Quagga's ``network A mask M``, or a classful ``network A``
    (``network 0.0.0.0``: the default route, as Cisco's and AWS's samples use it)."""
    try:
        if words[1:] == ["0.0.0.0"]:
            return ipaddress.IPv4Network("0.0.0.0/0")
        if "/" in words[1]:
            return ipaddress.IPv4Network(words[1], strict=False)
        if len(words) >= 4 and words[2] == "mask":
            return ipaddress.IPv4Network(f"{words[1]}/{words[3]}", strict=False)
        first = int(words[1].split(".")[0])
        length = 8 if first < 128 else 16 if first < 192 else 24
        return ipaddress.IPv4Network(f"{words[1]}/{length}", strict=False)
    except ValueError:
        return None


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
