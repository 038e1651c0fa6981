"""The part of PAN-OS's configuration schema a ``set`` command needs to be read
right: which word is a container (the next word is inside it), which names an
entry (the next word is its name), and which is a value's key (the next word,
or a ``[ … ]`` list, is its value, and the words after it are its siblings).
PAN-OS's CLI takes several values in one command (AWS's own sample writes ``set
protocol ikev1 dpd interval 10 retry 3 enable yes``), which only the schema can
split.

Source: PaloAltoNetworks/pan-os-codegen, specs/network/ike-gateway.yaml,
specs/objects/profiles/ike-crypto-profile.yaml, ipsec-crypto-profile.yaml,
specs/network/tunnel/ipsec.yaml, specs/network/interface/tunnel.yaml,
specs/network/virtual-router.yaml and specs/network/virtual-router/
static-route-ipv4.yaml (each param's ``xpath`` and its type: ``object``,
``list`` of ``entry`` or of ``member``, or a value). What is not here is read
generically: its words a path, the last one its value.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entries:
    """A list of named entries (``<entry name=…>``): the next word is a name."""

    schema: dict


LEAF = "value"  # one value: set again, it is replaced
LIST = "members"  # a list of members (``[ a b ]``): set again, it grows
FLAG = "flag"  # a word that is there or not (``protocol any``), no value after it
GENERIC: dict = {}  # not modelled: read generically
# containers that hold one of their keys (a choice): setting one drops the others
CHOICES = frozenset({"lifetime", "lifesize", "peer-address", "protocol"})

_TIMES = {"seconds": LEAF, "minutes": LEAF, "hours": LEAF, "days": LEAF}
_DPD = {"enable": LEAF, "interval": LEAF, "retry": LEAF}
_ID = {"id": LEAF, "type": LEAF, "matching": LEAF}
_PORTS = {"local-port": LEAF, "remote-port": LEAF}
_PROTOCOL = {"any": FLAG, "number": LEAF, "tcp": _PORTS, "udp": _PORTS}

GATEWAY = {
    "authentication": {"pre-shared-key": {"key": LEAF}, "certificate": GENERIC},
    "protocol": {
        "version": LEAF,
        "ikev1": {"ike-crypto-profile": LEAF, "exchange-mode": LEAF, "dpd": _DPD},
        "ikev2": {"ike-crypto-profile": LEAF, "require-cookie": LEAF, "dpd": _DPD},
    },
    "protocol-common": {
        "nat-traversal": {"enable": LEAF, "keep-alive-interval": LEAF, "udp-checksum-enable": LEAF},
        "passive-mode": LEAF,
        "fragmentation": {"enable": LEAF},
    },
    "local-address": {"interface": LEAF, "ip": LEAF, "floating-ip": LEAF},
    "peer-address": {"ip": LEAF, "fqdn": LEAF, "dynamic": GENERIC},
    "local-id": _ID,
    "peer-id": _ID,
    "disabled": LEAF,
    "comment": LEAF,
    "ipv6": LEAF,
}
IKE_PROFILE = {
    "encryption": LIST,
    "hash": LIST,
    "dh-group": LIST,
    "lifetime": _TIMES,
    "authentication-multiple": LEAF,
}
IPSEC_PROFILE = {
    "esp": {"encryption": LIST, "authentication": LIST},
    "ah": {"authentication": LIST},
    "dh-group": LEAF,
    "lifetime": _TIMES,
    "lifesize": {"kb": LEAF, "mb": LEAF, "gb": LEAF, "tb": LEAF},
}
TUNNEL = {
    "auto-key": {
        "ike-gateway": Entries({}),
        "ipsec-crypto-profile": LEAF,
        "proxy-id": Entries({"local": LEAF, "remote": LEAF, "protocol": _PROTOCOL}),
        "proxy-id-v6": Entries({"local": LEAF, "remote": LEAF, "protocol": _PROTOCOL}),
    },
    "tunnel-interface": LEAF,
    "anti-replay": LEAF,
    "copy-tos": LEAF,
    "disabled": LEAF,
    "comment": LEAF,
    "tunnel-monitor": {
        "enable": LEAF,
        "destination-ip": LEAF,
        "source-ip": LEAF,
        "tunnel-monitor-profile": LEAF,
        "proxy-id": LEAF,
    },
}
_UNIT = {"ip": LIST, "mtu": LEAF, "comment": LEAF, "interface-management-profile": LEAF}
_PEER = {
    "enable": LEAF,
    "peer-as": LEAF,
    "local-address": {"interface": LEAF, "ip": LEAF},
    "peer-address": {"ip": LEAF, "fqdn": LEAF},
    "connection-options": {
        "keep-alive-interval": LEAF,
        "hold-time": LEAF,
        "idle-hold-time": LEAF,
        "min-route-adv-interval": LEAF,
        "multihop": LEAF,
        "open-delay-time": LEAF,
        "authentication": LEAF,
    },
    "max-prefixes": LEAF,
    "peering-type": LEAF,
    "address-family-identifier": LEAF,
    "enable-mp-bgp": LEAF,
    "reflector-client": LEAF,
}
BGP = {
    "enable": LEAF,
    "router-id": LEAF,
    "local-as": LEAF,
    "install-route": LEAF,
    "reject-default-route": LEAF,
    "allow-redist-default-route": LEAF,
    "peer-group": Entries({"enable": LEAF, "type": GENERIC, "peer": Entries(_PEER)}),
    "redist-rules": Entries(
        {"enable": LEAF, "set-origin": LEAF, "address-family-identifier": LEAF, "metric": LEAF}
    ),
}
STATIC_ROUTE = {
    "destination": LEAF,
    "interface": LEAF,
    "nexthop": {"ip-address": LEAF, "next-vr": LEAF},
    "metric": LEAF,
    "admin-dist": LEAF,
}
VIRTUAL_ROUTER = {
    "interface": LIST,
    "routing-table": {"ip": {"static-route": Entries(STATIC_ROUTE)}},
    "protocol": {"bgp": BGP},
}
NETWORK = {
    "ike": {
        "gateway": Entries(GATEWAY),
        "crypto-profiles": {
            "ike-crypto-profiles": Entries(IKE_PROFILE),
            "ipsec-crypto-profiles": Entries(IPSEC_PROFILE),
        },
    },
    "tunnel": {"ipsec": Entries(TUNNEL)},
    "interface": {"tunnel": {"units": Entries(_UNIT), "ip": LIST, "mtu": LEAF}},
    "virtual-router": Entries(VIRTUAL_ROUTER),
    "logical-router": GENERIC,
}


def assignments(words: list[str]) -> list[tuple[list[str], list[str], str | None]]:
    """A set command's words (from the root: ``network …``) as the values it sets,
    each (its path, its values, LEAF | LIST | None for a node alone), by the schema.
    A word the current level does not have but a level above it has goes there (the
    statement under it is complete): ``proxy-id P protocol any local X``."""
    out: list[tuple[list[str], list[str], str | None]] = []
    levels: list[tuple[list[str], object]] = [([], {"network": NETWORK})]
    i = 0
    while i < len(words):
        path, schema = levels[-1]
        word = words[i]
        if isinstance(schema, Entries):
            names, i = _values(words, i)  # an entry, or several: ike-gateway [ g1 g2 ]
            out += [(path + [name], [], None) for name in names]
            levels.append((path + names[-1:], schema.schema))
            continue
        owner = next(
            (n for n in range(len(levels) - 1, -1, -1)
             if isinstance(levels[n][1], dict) and word in levels[n][1]),
            None,
        )  # fmt: skip
        if owner is None or levels[owner][1] is GENERIC:  # not modelled: a path, a value
            out.append(_generic(path, words[i:]))
            return out
        del levels[owner + 1 :]
        path, schema = levels[-1]
        kind = schema[word]
        if kind in (LEAF, LIST):
            values, i = _values(words, i + 1)
            out.append((path + [word], values, kind))
        elif kind == FLAG:
            out.append((path + [word], [], None))
            i += 1
        else:
            levels.append((path + [word], kind))
            i += 1
    return out or [(levels[-1][0], [], None)]


def _values(words: list[str], i: int) -> tuple[list[str], int]:
    if i < len(words) and words[i] == "[":
        end = words.index("]", i)  # the caller checked the brackets are balanced
        return words[i + 1 : end], end + 1
    return words[i : i + 1], i + 1


def _generic(path: list[str], rest: list[str]) -> tuple[list[str], list[str], str | None]:
    if "[" in rest:
        return path + rest[: rest.index("[")], rest[rest.index("[") + 1 : -1], LIST
    if len(rest) > 1:
        return path + rest[:-1], rest[-1:], LEAF
    return path + rest, [], None


def ends_in_entry(path: list[str]) -> bool:
    """Does ``path`` end in an entry's name (``… gateway GW``)?"""
    schema: object = {"network": NETWORK}
    for n, word in enumerate(path):
        if isinstance(schema, Entries):
            if n == len(path) - 1:
                return True
            schema = schema.schema
        elif isinstance(schema, dict) and isinstance(schema.get(word), (dict, Entries)):
            schema = schema[word]
        else:
            return False
    return False
