"""A Cisco ASA's IPsec tunnels as records, each value with its line.

Two ways an ASA protects traffic (Cisco ASA Series VPN CLI Configuration Guide):
a **virtual tunnel interface** (9.7.1 and later: ``interface Tunnel1`` with
``tunnel mode ipsec ipv4`` and ``tunnel protection ipsec profile P``, selectors
0.0.0.0/0, as AWS's "ASA 9.7.1+" example configures it) and a **crypto map**
entry (``crypto map M 10 match address ACL``, ``set peer``, ``set ikev1
transform-set`` or ``set ikev2 ipsec-proposal``, applied by ``crypto map M
interface outside``): one SA pair per permit entry of its access list, object
groups expanded. Either takes its IKE side from the ``crypto ikev1|ikev2
policy`` list, which ``crypto ikev1|ikev2 enable <interface>`` must switch on,
and its key and DPD from ``tunnel-group <peer> ipsec-attributes``. What the file
leaves out is the ASA's default (defaults.py), marked as such; what the ASA would
not bring up as written (a profile, transform set, access list or tunnel group
named but never defined) is a problem, with its line.

The tunnels are Cisco IOS's records (driver/cgw/cisco_ios/tunnel.py): the two
platforms keep the same facts about a tunnel, in different commands.
"""

from __future__ import annotations

from driver.cgw.cisco_asa import defaults
from driver.cgw.cisco_asa.acl import crypto_acl
from driver.cgw.cisco_ios.conf import Command, IosConf
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.cisco_ios.tunnels import per_selector, prefix
from driver.cgw.settings import Secret

MASKED = "*****"  # what show running-config prints for a key


def asa_tunnels(conf: IosConf) -> list[IosTunnel]:
    return _interfaces(conf) + _crypto_maps(conf)


def _interfaces(conf: IosConf) -> list[IosTunnel]:
    out = []
    for interface in conf.all("interface"):
        protection = interface.first("tunnel", "protection", "ipsec", "profile")
        if protection is None or len(interface.words) < 2:
            continue
        t = IosTunnel(
            interface.words[1],
            interface,
            _word(interface.after("tunnel", "destination")),
            _word(interface.after("tunnel", "source", "interface")),
            "1",
        )
        t.wheres["protection"] = protection.where
        if interface.after("tunnel", "mode") != ["ipsec", "ipv4"]:
            t.problems.append(
                (
                    "conf-asa-mode",
                    interface.where,
                    f"{t.name} has no 'tunnel mode ipsec ipv4': the ASA does not bring "
                    "up a VTI without it",
                )
            )
        address = interface.after("ip", "address")
        if address and len(address) >= 2:
            t.address = prefix(address[0], address[1], host=True)
        nameif = _word(interface.after("nameif"))
        profile = conf.named("crypto", "ipsec", "profile").get(_word(protection.words[4:]) or "")
        if profile is None:
            t.problems.append(
                undefined(
                    protection.where,
                    f"{t.name}: IPsec profile '{' '.join(protection.words[4:])}' is never defined",
                )  # fmt: skip
            )
        else:
            _ipsec(conf, t, profile, t.local)
        t.routes = _routes(conf, nameif)
        out.append(t)
    return out


def _ipsec(conf: IosConf, t: IosTunnel, block: Command, interface: str | None) -> None:
    """A profile's or crypto map entry's transform sets or IKEv2 proposals, PFS and
    SA lifetime, then the IKE side its version takes (on ``interface``: the VTI's
    tunnel source, the interface the crypto map is applied to)."""
    v1 = block.first("set", "ikev1", "transform-set")
    v2 = block.first("set", "ikev2", "ipsec-proposal")
    chosen = v2 or v1
    t.version = "2" if v2 else "1"
    if v1 and v2:
        t.defaulted.append(f"{block.text}: IKEv2 first (both IKEv1 and IKEv2 are set)")
    t.wheres["transform-set"] = chosen.where if chosen else block.where
    if chosen is None:
        t.problems.append(
            undefined(
                block.where,
                f"{t.name}: '{block.text}' sets no transform set or IKEv2 ipsec-proposal",
            )  # fmt: skip
        )
    else:
        for name in chosen.words[3:]:
            found = _proposal(conf, name, v2 is not None)
            if found is None:
                kind = "IKEv2 ipsec-proposal" if v2 else "transform set"
                t.problems.append(
                    undefined(chosen.where, f"{t.name}: {kind} '{name}' is never defined")
                )
            else:
                t.transforms.append(found)
    pfs = block.first("set", "pfs")
    t.wheres["pfs"] = pfs.where if pfs else block.where
    if pfs is not None:
        t.pfs = pfs.words[2] if len(pfs.words) > 2 else defaults.PFS_GROUP
        if len(pfs.words) == 2:  # IOS's rule: unconfirmed on 9.13+, which has no group 2
            t.defaulted.append(f"{block.text}: set pfs {defaults.PFS_GROUP} (before 9.13)")
    else:
        t.defaulted.append(f"{block.text}: no PFS (set pfs absent)")
    t.sa_lifetime = _sa_lifetime(conf, t, block)
    _ike(conf, t, interface)


def _proposal(conf: IosConf, name: str, ikev2: bool) -> tuple[str, str] | None:
    if not ikev2:
        found = conf.named("crypto", "ipsec", "ikev1", "transform-set").get(name)
        return (" ".join(found.words[5:]), found.where) if found else None
    found = conf.named("crypto", "ipsec", "ikev2", "ipsec-proposal").get(name)
    if found is None:
        return None
    words = []
    for key in ("encryption", "integrity"):
        said = found.after("protocol", "esp", key)
        if said:
            words += [key, *said]
    return " ".join(words), found.where


def _sa_lifetime(conf: IosConf, t: IosTunnel, block: Command) -> str:
    own = block.after("set", "security-association", "lifetime")
    for words in (own, *(c.words[4:] for c in conf.all("crypto", "ipsec", "security-association",
                                                       "lifetime"))):  # fmt: skip
        if words and "seconds" in words and words.index("seconds") + 1 < len(words):
            return words[words.index("seconds") + 1]
    t.defaulted.append(f"IPsec SA lifetime {defaults.IPSEC_SA_LIFETIME} s")
    return defaults.IPSEC_SA_LIFETIME


def _ike(conf: IosConf, t: IosTunnel, interface: str | None) -> None:
    version = "ikev2" if t.version == "2" else "ikev1"
    enabled = {c.words[3] for c in conf.all("crypto", version, "enable") if len(c.words) > 3}
    if not enabled or (interface and interface not in enabled):
        t.problems.append(
            (
                "conf-asa-ike-disabled",
                t.at.where,
                f"{t.name} is {version.upper()}, and {version.upper()} is not enabled on "
                f"{interface or 'any interface'} ('crypto {version} enable "
                f"{interface or '<interface>'}' is missing): the ASA neither sends nor "
                "answers it"
                + (f" (it is enabled on {', '.join(sorted(enabled))})" if enabled else ""),
            )
        )
    policies = sorted(conf.all("crypto", version, "policy"), key=lambda p: _number(p.words[3:]))
    t.ike = []
    for policy in policies:
        words = _ikev1(policy, t) if version == "ikev1" else _ikev2(policy, t)
        if words:
            t.ike.append((words, policy.where))
    t.defaulted = sorted(set(t.defaulted))
    _tunnel_group(conf, t, version)


def _ikev1(policy: Command, t: IosTunnel) -> str:
    values = {}
    for key, default in defaults.IKEV1_POLICY.items():
        written = policy.after(key)
        values[key] = " ".join(written) if written else default
        if not written:
            t.defaulted.append(f"ikev1 policy {policy.words[3]}: {key} {default}")
    if values["authentication"] != "pre-share":
        return ""  # a policy for certificates: not offered with a pre-shared key
    if len(t.ike) == 0:
        t.ike_lifetime = values["lifetime"]
    return f"encryption {values['encryption']} hash {values['hash']} group {values['group']}"


def _ikev2(policy: Command, t: IosTunnel) -> str:
    words = []
    for key in ("encryption", "integrity", "prf", "group"):
        said = policy.after(key)
        if key == "prf" and not said:
            said = [defaults.IKEV2_PRF]
            t.defaulted.append(f"ikev2 policy {policy.words[3]}: prf {defaults.IKEV2_PRF}")
        if said:
            words += [key, *said]
    lifetime = policy.after("lifetime", "seconds")
    if len(t.ike) == 0:
        t.ike_lifetime = lifetime[0] if lifetime else defaults.IKEV2_LIFETIME
        if not lifetime:
            t.defaulted.append(f"ikev2 policy {policy.words[3]}: lifetime "
                               f"{defaults.IKEV2_LIFETIME}")  # fmt: skip
    return " ".join(words)


def _tunnel_group(conf: IosConf, t: IosTunnel, version: str) -> None:
    """The peer's key and DPD, in ``tunnel-group <peer> ipsec-attributes``."""
    group = conf.named("tunnel-group").get(t.peer or "")
    attributes = next(
        (c for c in conf.all("tunnel-group", t.peer or "") if c.words[2:] == ["ipsec-attributes"]),
        None,
    )
    if group is None:
        t.problems.append(
            undefined(
                t.at.where, f"{t.name}: no tunnel-group {t.peer}: the ASA has no key for the peer"
            )  # fmt: skip
        )
        return
    keepalive = attributes.after("isakmp", "keepalive") if attributes else None
    if keepalive and keepalive[:1] == ["disable"]:
        t.dpd = None
    elif keepalive and "threshold" in keepalive:
        threshold = keepalive[keepalive.index("threshold") + 1 :][:1]
        t.dpd = None if threshold == ["infinite"] else (_number(threshold), "periodic")
        t.wheres["dpd"] = attributes.first("isakmp", "keepalive").where
    else:
        t.dpd = (defaults.DPD[0], "periodic")
        t.defaulted.append(
            f"tunnel-group {t.peer}: isakmp keepalive threshold {defaults.DPD[0]} "
            f"retry {defaults.DPD[1]}"
        )
    _vpn_filter(conf, t)
    if attributes is None:
        return
    if version == "ikev1":
        entry = attributes.first("ikev1", "pre-shared-key") or attributes.first("pre-shared-key")
        words = entry.words[2 if entry.words[0] == "ikev1" else 1 :] if entry else []
    else:
        entry = attributes.first("ikev2", "local-authentication", "pre-shared-key")
        words = entry.words[3:] if entry else []
        remote = attributes.first("ikev2", "remote-authentication", "pre-shared-key")
        if remote is not None and entry is not None and remote.words[3:] != words:
            t.problems.append(
                (
                    "conf-asa-two-keys",
                    remote.where,
                    f"{t.name}: the key the ASA expects (remote-authentication) is not the "
                    "one it sends (local-authentication); AWS has one key, the same both ways",
                )
            )
    if entry is None or not words:
        return  # no key: said as not configured
    t.key_where = entry.where
    key = words[-1]
    if key and key != MASKED and not (len(words) > 1 and words[0] == "8"):
        t.key = Secret([t.peer or ""], "PSK", key, entry.line, entry.source)


def _dynamic(entry: Command) -> bool:
    """``crypto map M 65535 ipsec-isakmp dynamic D`` (ASDM's SYSTEM_DEFAULT_CRYPTO_MAP)."""
    return any(c.words[:2] == ["ipsec-isakmp", "dynamic"] for c in entry.children)


def _vpn_filter(conf: IosConf, t: IosTunnel) -> None:
    """The access list the peer's group policy filters its tunnel's traffic by
    (``tunnel-group PEER general-attributes`` > ``default-group-policy G`` >
    ``group-policy G attributes`` > ``vpn-filter value ACL``). AWS's ASA example ships
    one whose only permit is a comment: "By default all traffic is denied"."""
    general = next(
        (
            c
            for c in conf.all("tunnel-group", t.peer or "")
            if c.words[2:] == ["general-attributes"]
        ),
        None,
    )
    policy = _word(general.after("default-group-policy")) if general else None
    attributes = next(
        (c for c in conf.all("group-policy", policy or "") if c.words[2:] == ["attributes"]),
        None,
    )
    named = attributes.after("vpn-filter", "value") if attributes else None
    if not named:
        return
    at = attributes.first("vpn-filter", "value")
    t.wheres["vpn-filter"] = at.where
    permits = [c for c in conf.all("access-list", named[0]) if "permit" in c.words[2:4]]
    if not permits:
        t.problems.append(
            (
                "conf-asa-vpn-filter",
                at.where,
                f"{t.name}: group policy {policy}'s vpn-filter '{named[0]}' permits nothing, "
                "so the ASA drops all traffic through the tunnel (it comes up and carries "
                "nothing)",
            )
        )


def _crypto_maps(conf: IosConf) -> list[IosTunnel]:
    applied = {c.words[2]: c.words[4] for c in conf.all("crypto", "map")
               if c.words[3:4] == ["interface"] and len(c.words) > 4}  # fmt: skip
    out = []
    for entry in conf.all("crypto", "map"):
        if len(entry.words) != 4 or not entry.words[3].isdecimal() or _dynamic(entry):
            continue  # a dynamic map's entry answers peers it does not know: no AWS tunnel
        name = f"crypto map {entry.words[2]} {entry.words[3]}"
        peers = entry.after("set", "peer") or []
        base = IosTunnel(name, entry, _word(peers), None, "1")
        if len(peers) > 1:
            base.problems.append(
                (
                    "conf-asa-backup-peer",
                    entry.first("set", "peer").where,
                    f"{name}: set peer {' '.join(peers)} makes {peers[1]} a backup the ASA "
                    f"tries only when {peers[0]} fails: one tunnel is up at a time",
                )
            )
        if entry.words[2] not in applied:
            base.problems.append(
                (
                    "conf-asa-unapplied",
                    entry.where,
                    f"{name} is applied to no interface: the ASA protects nothing with it",
                )
            )
        _ipsec(conf, base, entry, applied.get(entry.words[2]))
        acl = _word(entry.after("match", "address")) or ""
        selectors = crypto_acl(conf, acl)
        if not selectors:
            said = [c for c in conf.all("access-list", acl) if "permit" in c.words]
            what = (
                f"access list '{acl}' has no permit ip entry vpnlab reads as networks "
                f"('{said[0].text}')"
                if said
                else f"access list '{acl}' is never defined (no permit ip entry)"
            )
            base.problems.append(undefined(said[0].where if said else entry.where,
                                           f"{name}: {what}"))  # fmt: skip
            out.append(base)
        out += per_selector(base, selectors)
    return out


def _routes(conf: IosConf, nameif: str | None) -> list[str]:
    """``route NAMEIF NET MASK GATEWAY [distance]``: the ASA names the VTI by its nameif."""
    out = []
    for route in conf.all("route"):
        words = route.words[1:]
        if len(words) < 3:
            continue  # a route the ASA refuses as written
        network = prefix(words[1], words[2])
        if nameif and words[0] == nameif and network:
            out.append(network)
    return out


def undefined(where: str, what: str) -> tuple[str, str, str]:
    """Something named that the ASA finds nowhere: it brings nothing up for it."""
    return ("conf-asa-undefined", where, what)


def _word(words: list[str] | None) -> str | None:
    return words[0] if words else None


def _number(words: list[str]) -> int:
    return int(words[0]) if words and words[0].isdecimal() else 0
