"""A Cisco IOS tunnel's IKEv2 side (FlexVPN): the ``crypto ikev2 profile`` it names
(``match identity remote address``, ``authentication … pre-share``, ``keyring
local``, ``lifetime``, ``dpd``, ``identity local``), the proposals of every
``crypto ikev2 policy`` (IOS offers them all, in order), and the key for the peer
from the keyring's ``peer`` blocks (Cisco IOS Security Command Reference:
crypto ikev2 profile, policy, proposal, keyring)."""

from __future__ import annotations

from driver.cgw.cisco_ios import defaults
from driver.cgw.cisco_ios.conf import Command, IosConf
from driver.cgw.cisco_ios.tunnel import IosTunnel
from driver.cgw.settings import Secret


def ikev2(conf: IosConf, t: IosTunnel, name: str, at: Command | None) -> None:
    t.version = "2"
    profile = conf.named("crypto", "ikev2", "profile").get(name)
    if profile is None:
        where = at.where if at else t.at.where
        t.problems.append(
            ("conf-cisco-undefined", where, f"{t.name}: IKEv2 profile '{name}' is never defined")
        )
        return
    t.ike = _proposals(conf)
    lifetime = profile.after("lifetime")
    t.ike_lifetime = lifetime[0] if lifetime else defaults.IKEV2_LIFETIME
    if not lifetime:
        t.defaulted.append(f"ikev2 profile {name}: lifetime {defaults.IKEV2_LIFETIME}")
    dpd = profile.after("dpd")  # dpd <interval> <retry> [on-demand | periodic]
    if dpd and dpd[0].isdecimal():
        t.dpd = (int(dpd[0]), "periodic" if "periodic" in dpd else "on-demand")
        t.wheres["dpd"] = profile.first("dpd").where
    identity = profile.after("identity", "local")
    if identity and len(identity) > 1:
        t.local_id = identity[1]
        t.wheres["local_id"] = profile.first("identity", "local").where
    for side in ("local", "remote"):
        method = profile.after("authentication", side)
        if method and method[0] != "pre-share":
            t.problems.append(
                (
                    "conf-cisco-auth",
                    profile.first("authentication", side).where,
                    f"{t.name}: authentication {side} {method[0]}: AWS authenticates with "
                    "a pre-shared key (or certificates it issues)",
                )
            )
    _key(conf, t, profile)


def _proposals(conf: IosConf) -> list[tuple[str, str]]:
    """Each proposal the policies name, as its words (``encryption … integrity …
    group …``), in the policies' order."""
    known = conf.named("crypto", "ikev2", "proposal")
    out = []
    for policy in conf.all("crypto", "ikev2", "policy"):
        for named in policy.all("proposal"):
            for name in named.words[1:]:
                proposal = known.get(name)
                if proposal is None:
                    continue
                words = [
                    " ".join([key, *(proposal.after(key) or [])])
                    for key in ("encryption", "integrity", "prf", "group")
                    if proposal.after(key)
                ]
                out.append((" ".join(words), proposal.where))
    return out


def _key(conf: IosConf, t: IosTunnel, profile: Command) -> None:
    named = profile.after("keyring", "local")
    ring = conf.named("crypto", "ikev2", "keyring").get(named[0]) if named else None
    if ring is None:
        return
    for peer in ring.all("peer"):
        address = peer.after("address")
        if not address or address[0] not in (t.peer, "0.0.0.0"):
            continue
        entry = peer.first("pre-shared-key")
        if entry is None:
            continue
        words = entry.words[1:]
        if words and words[0] in ("local", "remote"):
            words = words[1:]  # one key each way: AWS has one, the same both ways
        t.key_where = entry.where
        if len(words) >= 2 and words[0] in ("6", "7"):
            return
        key = words[1] if len(words) >= 2 and words[0] == "0" else (words[0] if words else "")
        if key:
            t.key = Secret([t.peer or ""], "PSK", key, entry.line, entry.source)
        return
