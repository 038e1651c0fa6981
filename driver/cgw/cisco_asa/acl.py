"""A Cisco ASA crypto map's access list as the selectors of its SA pairs: one pair per
``permit ip`` entry, its source and destination each ``any`` (``any4``), ``host A``,
``A MASK`` (a netmask, not IOS's wildcard), ``object N`` (``subnet``/``host``) or
``object-group N`` (``network-object`` entries and nested ``group-object``s, every
combination expanded, as the ASA expands them into entries; Cisco ASA Series
Firewall CLI Configuration Guide, "Objects for Access Control")."""

from __future__ import annotations

from driver.cgw.cisco_ios.conf import Command, IosConf
from driver.cgw.cisco_ios.tunnels import prefix


def crypto_acl(conf: IosConf, name: str) -> list[tuple[str, str, Command]]:
    """An access list's ``permit ip SRC DST`` entries as (local, remote) networks,
    each object group expanded into its networks (one SA pair each)."""
    out = []
    for entry in conf.all("access-list", name):
        words = entry.words[2:]
        words = words[1:] if words[:1] == ["extended"] else words
        if words[:2] != ["permit", "ip"]:
            continue
        sources, rest = _networks(conf, words[2:])
        destinations, _ = _networks(conf, rest)
        out += [(s, d, entry) for s in sources for d in destinations]
    return out


def _networks(conf: IosConf, words: list[str]) -> tuple[list[str], list[str]]:
    """``any`` | ``any4`` | ``host A`` | ``A MASK`` | ``object N`` | ``object-group N``
    as networks, and the words after them."""
    if not words:
        return [], []
    if words[0] in ("any", "any4"):
        return ["0.0.0.0/0"], words[1:]
    if words[0] == "host" and len(words) > 1:
        return [f"{words[1]}/32"], words[2:]
    if words[0] == "object" and len(words) > 1:
        return _object(conf, words[1]), words[2:]
    if words[0] == "object-group" and len(words) > 1:
        return _group(conf, words[1], set()), words[2:]
    if len(words) > 1 and (network := prefix(words[0], words[1])):
        return [network], words[2:]
    return [], words[1:]


def _object(conf: IosConf, name: str) -> list[str]:
    found = conf.named("object", "network").get(name)
    if found is None:
        return []
    subnet = found.after("subnet")
    if subnet and len(subnet) > 1 and (network := prefix(subnet[0], subnet[1])):
        return [network]
    host = found.after("host")
    return [f"{host[0]}/32"] if host else []


def _group(conf: IosConf, name: str, seen: set[str]) -> list[str]:
    found = conf.named("object-group", "network").get(name)
    if found is None or name in seen:
        return []
    seen.add(name)
    out = []
    for member in found.children:
        words = member.words
        if words[0] == "network-object" and len(words) > 1:
            out += _networks(conf, words[1:])[0]
        elif words[0] == "group-object" and len(words) > 1:
            out += _group(conf, words[1], seen)
    return out
