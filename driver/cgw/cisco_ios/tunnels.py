"""A Cisco IOS router's IPsec tunnels as records, each value with its line.

Two ways IOS protects traffic (Cisco IOS Security Configuration Guide):
a **tunnel interface** (``interface Tunnel1`` with ``tunnel mode ipsec ipv4`` and
``tunnel protection ipsec profile P``: route-based, selectors 0.0.0.0/0, as AWS's
sample configures it) and a **crypto map** entry (``crypto map M 10
ipsec-isakmp`` with ``set peer``, ``set transform-set``, ``match address ACL``,
applied to the outside interface): policy-based, one SA pair per ACL entry.
Either names an IPsec profile or its own ``set`` commands (transform sets, PFS,
SA lifetime) and an IKE side: IKEv2 when an ``ikev2-profile`` is named, else IKEv1
(``crypto isakmp policy`` list, keys in ``crypto keyring`` or ``crypto isakmp
key``, DPD from ``crypto isakmp keepalive``). What the file leaves out is IOS's
default (defaults.py), marked as such. What IOS would not bring up as written (a
profile or transform set named but never defined) is a problem, with its line.
"""

from __future__ import annotations

import dataclasses
import ipaddress

from driver.cgw.cisco_ios import defaults
from driver.cgw.cisco_ios.conf import Command, IosConf
from driver.cgw.cisco_ios.ikev2 import ikev2
from driver.cgw.cisco_ios.proposals import IKEV1_CIPHERS, pairs
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret


def ios_tunnels(conf: IosConf) -> list[IosTunnel]:
    return _interfaces(conf) + _crypto_maps(conf)


def tunnels_of(conf: IosConf) -> list[ConfiguredTunnel]:
    return [record(t) for t in ios_tunnels(conf)]


def _interfaces(conf: IosConf) -> list[IosTunnel]:
    out = []
    for interface in conf.all("interface"):
        protection = interface.first("tunnel", "protection", "ipsec", "profile")
        if protection is None or len(interface.words) < 2:
            continue
        named = protection.words[4:]
        t = IosTunnel(
            interface.words[1],
            interface,
            _word(interface.after("tunnel", "destination")),
            _word(interface.after("tunnel", "source")),
            "1",
        )
        t.wheres["protection"] = protection.where
        written = interface.after("tunnel", "mode")
        mode = written or ["gre", "ip"]  # IOS's default for a tunnel interface
        if mode[:2] != ["ipsec", "ipv4"]:
            said = f"is 'tunnel mode {' '.join(mode)}'" if written else (
                "sets no tunnel mode, so IOS takes its default, GRE (tunnel mode gre ip)"
            )  # fmt: skip
            t.problems.append(
                (
                    "conf-cisco-gre",
                    interface.where,
                    f"{t.name} {said}: GRE over IPsec, and AWS's tunnels carry IP in "
                    "IPsec, no GRE; set 'tunnel mode ipsec ipv4'",
                )
            )
        address = interface.after("ip", "address")
        if address and len(address) >= 2:
            t.address = prefix(address[0], address[1], host=True)
        _profile(conf, t, named[0] if named else "", protection)
        if "isakmp-profile" in named[1:] or "ikev2-profile" in named[1:]:
            kind = "isakmp-profile" if "isakmp-profile" in named else "ikev2-profile"
            i = named.index(kind)
            _ike(conf, t, kind, named[i + 1] if i + 1 < len(named) else "", protection)
        t.routes = _routes(conf, t)
        out.append(t)
    return out


def _profile(conf: IosConf, t: IosTunnel, name: str, at: Command) -> None:
    profile = conf.named("crypto", "ipsec", "profile").get(name)
    if profile is None:
        t.problems.append(undefined(at.where, f"{t.name}: IPsec profile '{name}' is never defined"))
        return
    _sets(conf, t, profile)


def _sets(conf: IosConf, t: IosTunnel, block: Command) -> None:
    """An IPsec profile's or crypto map entry's set commands."""
    sets = block.first("set", "transform-set")
    names = sets.words[2:] if sets else []
    t.wheres["transform-set"] = sets.where if sets else block.where
    known = conf.named("crypto", "ipsec", "transform-set")
    for name in names:
        found = known.get(name)
        if found is None:
            t.problems.append(
                undefined(sets.where, f"{t.name}: transform set '{name}' is never defined")
            )
        else:
            t.transforms.append((" ".join(found.words[4:]), found.where))
    if not names:
        t.problems.append(undefined(block.where, f"{t.name}: '{block.text}' sets no transform set"))
    pfs = block.first("set", "pfs")
    t.wheres["pfs"] = pfs.where if pfs else block.where
    if pfs is not None:
        t.pfs = pfs.words[2] if len(pfs.words) > 2 else "group1"  # IOS's default group
    else:
        t.defaulted.append(f"{block.text}: no PFS (set pfs absent)")
    lifetime = block.after("set", "security-association", "lifetime", "seconds")
    if lifetime:
        t.sa_lifetime = lifetime[0]
    else:
        glob = next(iter(conf.all("crypto", "ipsec", "security-association", "lifetime")), None)
        words = glob.words if glob else []
        if words[4:5] == ["seconds"] and len(words) > 5:
            t.sa_lifetime = words[5]
        else:
            t.defaulted.append(f"IPsec SA lifetime {defaults.IPSEC_SA_LIFETIME} s")
    named = False
    for kind in ("isakmp-profile", "ikev2-profile"):
        if block.after("set", kind):
            _ike(conf, t, kind, block.after("set", kind)[0], block.first("set", kind))
            named = True
    if not named:  # IKEv1 with the global ISAKMP policies and keys
        _ike(conf, t, "isakmp-profile", "", block)


def _ike(conf: IosConf, t: IosTunnel, kind: str, name: str, at: Command | None) -> None:
    if kind == "ikev2-profile":
        ikev2(conf, t, name, at)
    else:
        _ikev1(conf, t, name, at)


def _ikev1(conf: IosConf, t: IosTunnel, name: str, at: Command | None) -> None:
    t.version = "1"
    profile = conf.named("crypto", "isakmp", "profile").get(name) if name else None
    if name and profile is None and at is not None:
        t.problems.append(
            undefined(at.where, f"{t.name}: ISAKMP profile '{name}' is never defined")
        )
    t.ike = []
    policies = sorted(conf.all("crypto", "isakmp", "policy"), key=lambda p: _number(p.words[3:]))
    for policy in policies:
        values = {}
        for key in defaults.ISAKMP_POLICY:
            words = policy.after(key) or (policy.after("encr") if key == "encryption" else None)
            if words is None:
                values[key] = defaults.ISAKMP_POLICY[key]
                t.defaulted.append(f"isakmp policy {policy.words[3]}: {key} {values[key]}")
            else:
                values[key] = (
                    " ".join(pairs(words, IKEV1_CIPHERS))
                    if key == "encryption"
                    else (words[0] if words else "")
                )
        if values["authentication"] != "pre-share":
            continue  # a policy for certificates: not offered with a pre-shared key
        words = f"encryption {values['encryption']} hash {values['hash']} group {values['group']}"
        t.ike.append((words, policy.where))
        t.ike_lifetime = values["lifetime"] if len(t.ike) == 1 else t.ike_lifetime
    t.defaulted = sorted(set(t.defaulted))
    _ikev1_key(conf, t, profile)
    keepalive = profile.after("keepalive") if profile else None
    if keepalive:  # keepalive <seconds> retry <seconds>
        t.dpd = (_number(keepalive), "periodic")
        t.wheres["dpd"] = profile.first("keepalive").where
    else:
        glob = next(iter(conf.all("crypto", "isakmp", "keepalive")), None)
        if glob is not None and len(glob.words) > 3:
            mode = "periodic" if "periodic" in glob.words else "on-demand"
            t.dpd = (_number(glob.words[3:]), mode)
            t.wheres["dpd"] = glob.where


def _ikev1_key(conf: IosConf, t: IosTunnel, profile: Command | None) -> None:
    """The key for the peer: the profile's keyring, else any keyring or a global
    ``crypto isakmp key`` for its address (IOS searches them all without a profile)."""
    keyrings = conf.named("crypto", "keyring")
    named = profile.after("keyring") if profile else None
    rings = [keyrings[named[0]]] if named and named[0] in keyrings else list(keyrings.values())
    for ring in rings:
        for entry in ring.all("pre-shared-key", "address"):
            words = entry.words[2:]
            if words and words[0] == t.peer and "key" in words:
                _key(t, words[words.index("key") + 1 :], entry)
                return
    for entry in conf.all("crypto", "isakmp", "key"):
        words = entry.words[3:]
        if "address" in words and words[words.index("address") + 1 :][:1] == [t.peer]:
            _key(t, words[: words.index("address")], entry)
            return


def _key(t: IosTunnel, words: list[str], at: Command) -> None:
    """``[0|6|7] KEY``: 0 (or none) is the key itself, 6 and 7 are IOS's encryptions."""
    t.key_where = at.where
    if len(words) >= 2 and words[0] in ("6", "7"):
        return  # encrypted: lint and the twin say so
    key = words[1] if len(words) >= 2 and words[0] == "0" else (words[0] if words else "")
    if key:
        t.key = Secret([t.peer or ""], "PSK", key, at.line, at.source)


def _crypto_maps(conf: IosConf) -> list[IosTunnel]:
    applied = {
        c.words[2]: c
        for interface in conf.all("interface")
        for c in interface.all("crypto", "map")
        if len(c.words) > 2
    }
    out = []
    for entry in conf.all("crypto", "map"):
        if len(entry.words) < 4 or not entry.words[3].isdecimal() or "dynamic" in entry.words:
            continue
        name = f"crypto map {entry.words[2]} {entry.words[3]}"
        peer = _word(entry.after("set", "peer"))
        base = IosTunnel(name, entry, peer, None, "1")
        if entry.words[2] not in applied:
            base.problems.append(
                (
                    "conf-cisco-unapplied",
                    entry.where,
                    f"{name} is applied to no interface: IOS protects nothing with it",
                )
            )
        _sets(conf, base, entry)
        acl = _word(entry.after("match", "address")) or ""
        entries = _acl(conf, acl)
        if not entries:
            base.problems.append(
                undefined(entry.where, f"{name}: access list '{acl}' has no permit")
            )
            out.append(base)
        out += per_selector(base, entries)
    return out


def per_selector(base: IosTunnel, selectors: list[tuple[str, str, Command]]) -> list[IosTunnel]:
    """A crypto map entry as one tunnel per access-list entry (local, remote, its
    command): Cisco negotiates an SA pair for each."""
    return [
        dataclasses.replace(
            base,
            name=f"{base.name}#{n}" if len(selectors) > 1 else base.name,
            local_ts=local,
            remote_ts=remote,
            wheres=base.wheres | {"local_ts": at.where, "remote_ts": at.where},
        )
        for n, (local, remote, at) in enumerate(selectors, start=1)
    ]


def _acl(conf: IosConf, name: str) -> list[tuple[str, str, Command]]:
    """An access list's ``permit ip SRC DST`` entries as (local, remote) networks."""
    named = conf.named("ip", "access-list", "extended").get(name)
    words = [(c.words[2:], c) for c in conf.all("access-list", name)]
    if named is not None:
        words += [(c.words[1:] if c.words[0].isdecimal() else c.words, c) for c in named.children]
    out = []
    for entry, at in words:
        if entry[:2] != ["permit", "ip"]:
            continue
        rest = entry[2:]
        local, rest = _network(rest)
        remote, _ = _network(rest)
        if local and remote:
            out.append((local, remote, at))
    return out


def _network(words: list[str]) -> tuple[str | None, list[str]]:
    """``any`` | ``host A`` | ``A WILDCARD`` as a network, and the words after it."""
    if not words:
        return None, []
    if words[0] == "any":
        return "0.0.0.0/0", words[1:]
    if words[0] == "host" and len(words) > 1:
        return f"{words[1]}/32", words[2:]
    if len(words) > 1:
        try:
            inverse = ipaddress.IPv4Address(words[1])
            mask = ipaddress.IPv4Address(int(inverse) ^ 0xFFFFFFFF)
            return prefix(words[0], str(mask)), words[2:]
        except ValueError:
            pass
    return None, words[1:]


def _routes(conf: IosConf, t: IosTunnel) -> list[str]:
    """``ip route NET MASK Tunnel1 …`` (or via the tunnel's AWS inside address)."""
    inside = ipaddress.IPv4Interface(t.address).network if t.address else None
    out = []
    for route in conf.all("ip", "route"):
        words = route.words[2:]
        if len(words) < 3:
            continue
        via = words[2]
        into = via.lower() == t.name.lower()
        if not into and inside is not None:
            try:
                into = ipaddress.IPv4Address(via) in inside
            except ValueError:
                into = False
        if into and (network := prefix(words[0], words[1])):
            out.append(network)
    return out


def record(t: IosTunnel) -> ConfiguredTunnel:
    mapped = t.at.words[0] == "crypto"
    return ConfiguredTunnel(
        t.name,
        t.at.line,
        t.at.source,
        None,
        t.peer,
        t.local_id,
        t.local_ts,
        t.remote_ts,
        "; ".join(words for words, _ in t.ike),
        t.esp,
        {},
        # a tunnel interface renegotiates by itself; a crypto map on the next packet
        "trap" if mapped else "restart",
        "%forever",  # IOS retries without limit
        [] if mapped else [(t.where("protection"), "tunnel protection (a tunnel interface)")],
        start_action="trap" if mapped else "start",
        left=t.local,
        version=t.version,
        origins={
            "ike": t.ike[0][1] if t.ike else t.at.where,
            "esp": t.where("transform-set"),
            "local_ts": t.where("local_ts"),
            "remote_ts": t.where("remote_ts"),
            "leftid": t.where("local_id"),
            "left": t.at.where,
        },
    )


def undefined(where: str, what: str) -> tuple[str, str, str]:
    """Something named that IOS finds nowhere: it brings nothing up for it."""
    return ("conf-cisco-undefined", where, what)


def secrets_of(tunnels: list[IosTunnel]) -> list[Secret]:
    return [t.key for t in tunnels if t.key is not None]


def _word(words: list[str] | None) -> str | None:
    return words[0] if words else None


def _number(words: list[str]) -> int:
    return int(words[0]) if words and words[0].isdecimal() else 0


def prefix(address: str, mask: str, host: bool = False) -> str | None:
    """``A MASK`` as a network (``host``: as an interface's address/prefix)."""
    try:
        if host:
            return str(ipaddress.IPv4Interface(f"{address}/{mask}"))
        return str(ipaddress.IPv4Network(f"{address}/{mask}", strict=False))
    except ValueError:
        return None
