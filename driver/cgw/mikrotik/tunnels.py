"""A RouterOS router's IPsec tunnels as records, each value with its line.

RouterOS's IPsec is policy-based only (MikroTik's manual, IPsec): an enabled
``/ip ipsec policy`` with ``action=encrypt`` (the default) names its ``peer``
(6.44 and later; before, ``sa-dst-address``), whose ``profile`` is phase 1 and
whose ``/ip ipsec identity`` holds the key; the policy's ``proposal`` is phase 2,
its ``src-address``/``dst-address`` the SA pair's selectors. Each such policy is
one SA pair, so one record. What the export leaves out is RouterOS's default
(defaults.py, by the release its header names), marked as such; what RouterOS
would not bring up as written (a peer, profile or proposal named but never
defined, a policy in transport mode) is a problem, with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from driver.cgw.mikrotik import defaults
from driver.cgw.mikrotik.conf import Item, RosConf
from driver.cgw.mikrotik.proposals import words
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret, one_per_peer

PROFILE_KEYS = ("enc-algorithm", "hash-algorithm", "dh-group")
PROPOSAL_KEYS = ("enc-algorithms", "auth-algorithms", "pfs-group")
_DURATION = re.compile(r"(\d+)(w|d|h|ms|m|s)")
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


@dataclass
class MtTunnel:
    name: str  # the peer's name, with the policy's number where a peer has several
    policy: Item
    peer: Item | None
    remote: str | None  # the peer's address
    local: str | None  # its local-address
    version: str  # "1" | "2"
    aggressive: bool
    profile: dict[str, str]  # phase 1, defaults filled in
    proposal: dict[str, str]  # phase 2, defaults filled in
    local_ts: str | None
    remote_ts: str | None
    key: Secret | None = None
    key_where: str = ""  # the identity (or peer) that should hold it
    wheres: dict[str, str] = field(default_factory=dict)
    defaulted: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # rule, where, what

    def where(self, what: str) -> str:
        return self.wheres.get(what, self.policy.where)

    @property
    def ike(self) -> str:
        return words(self.profile, PROFILE_KEYS)

    @property
    def esp(self) -> str:
        return words(self.proposal, PROPOSAL_KEYS)

    def seconds(self, values: dict[str, str], key: str) -> int | None:
        return duration(values.get(key, ""))

    @property
    def dpd(self) -> tuple[int, int] | None:
        """(interval, maximum failures), None when the profile disables DPD."""
        interval = duration(self.profile.get("dpd-interval", ""))
        failures = self.profile.get("dpd-maximum-failures", "5")
        return (interval, int(failures)) if interval and failures.isdecimal() else None


def mt_tunnels(conf: RosConf) -> list[MtTunnel]:
    peers = conf.named("/ip ipsec peer")
    out = []
    counted: dict[str, int] = {}
    policies = [p for p in conf.menu("/ip ipsec policy") if _active(p)]
    for policy in policies:
        name = policy.get("peer") or policy.get("sa-dst-address") or "?"
        counted[name] = counted.get(name, 0) + 1
    seen: dict[str, int] = {}
    for policy in policies:
        name = policy.get("peer")
        peer = peers.get(name) if name else _by_address(conf, policy.get("sa-dst-address"))
        label = name or (peer.name if peer else None) or policy.get("sa-dst-address") or "?"
        seen[label] = seen.get(label, 0) + 1
        t = _tunnel(conf, policy, peer, label if counted.get(label, 1) == 1 else
                    f"{label}#{seen[label]}")  # fmt: skip
        if name and peer is None:
            t.problems.append(undefined(policy.where, f"{t.name}: peer '{name}' is never defined"))
        if peer is not None and peer.disabled:
            continue  # RouterOS negotiates nothing for a disabled peer
        out.append(t)
    return out


def _active(policy: Item) -> bool:
    """A policy RouterOS encrypts with: enabled, not the default template (``set 0``)."""
    return (
        policy.verb == "add"
        and not policy.disabled
        and policy.get("template") not in ("yes", "true")
        and policy.get("action", defaults.POLICY["action"]) == "encrypt"
    )


def _by_address(conf: RosConf, address: str | None) -> Item | None:
    """≤6.43: the peer whose address is the policy's ``sa-dst-address``."""
    for peer in conf.menu("/ip ipsec peer"):
        if address and (peer.get("address") or "").split("/")[0] == address:
            return peer
    return None


def _tunnel(conf: RosConf, policy: Item, peer: Item | None, name: str) -> MtTunnel:
    mode = (peer.get("exchange-mode") if peer else None) or defaults.PEER["exchange-mode"]
    t = MtTunnel(
        name,
        policy,
        peer,
        (peer.get("address") or "").split("/")[0] or None if peer else None,
        peer.get("local-address") if peer else None,
        "2" if mode == "ike2" else "1",
        mode == "aggressive",
        {},
        {},
        _network(policy.get("src-address")),
        _network(policy.get("dst-address")),
    )
    if peer is not None and peer.get("exchange-mode") is None:
        t.defaulted.append(f"peer {peer.name}: exchange-mode=main (IKEv1)")
    t.wheres["version"] = peer.where if peer else policy.where
    t.profile = _merged(conf, t, "profile", (peer.get("profile") if peer else None) or "default")
    t.proposal = _merged(conf, t, "proposal", policy.get("proposal") or "default")
    if policy.get("tunnel", defaults.POLICY["tunnel"]) not in ("yes", "true"):
        t.problems.append(
            (
                "conf-mikrotik-transport",
                policy.where,
                f"{t.name}: the policy is in transport mode (tunnel=no, RouterOS's default): "
                "AWS's tunnels carry the networks in tunnel mode",
            )
        )
    _key(conf, t)
    return t


def _merged(conf: RosConf, t: MtTunnel, kind: str, name: str) -> dict[str, str]:
    """A profile's or proposal's values over the default item's over RouterOS's
    defaults, where each came from noted."""
    menus = ("/ip ipsec profile", "/ip ipsec peer profile") if kind == "profile" else (
        "/ip ipsec proposal",)  # fmt: skip
    base = defaults.profile(conf.release) if kind == "profile" else defaults.PROPOSAL
    found = next((conf.named(m)[name] for m in menus if name in conf.named(m)), None)
    if found is None and name != "default":
        where = t.peer.where if kind == "profile" and t.peer else t.policy.where
        t.problems.append(undefined(where, f"{t.name}: {kind} '{name}' is never defined"))
    default = next((conf.default(m) for m in menus if conf.default(m)), None)
    values = dict(base)
    known = tuple(base) + ("name", "comment", "disabled", "prf-algorithm", "proposal-check",
                           "lifebytes")  # fmt: skip
    if name == "default" and default is not None:
        values |= canonical(default.values, known)
    if found is not None:
        values |= canonical(found.values, known)
    t.wheres[kind] = (found or default).where if (found or default) else t.policy.where
    for key in PROFILE_KEYS + PROPOSAL_KEYS + ("lifetime", "dpd-interval"):
        if key in base and values[key] == base[key] and not _written(found, default, key, name):
            t.defaulted.append(f"{kind} {name}: {key}={base[key]}")
    return values


def _written(found: Item | None, default: Item | None, key: str, name: str) -> bool:
    return any(
        key in canonical(item.values, (key,))
        for item in (found, default if name == "default" else None)
        if item is not None
    )


def canonical(values: dict[str, str], known: tuple[str, ...]) -> dict[str, str]:
    """Keys as RouterOS's console takes them: an unambiguous beginning of a property
    stands for it (``enc-algorithm=`` on a proposal is its ``enc-algorithms=``, as
    jonas-werner/aws-vpn-mikrotik-config-generator writes it)."""
    out = {}
    for key, value in values.items():
        matches = [k for k in known if k.startswith(key)]
        out[matches[0] if key not in known and len(matches) == 1 else key] = value
    return out


def _key(conf: RosConf, t: MtTunnel) -> None:
    """The peer's key: its identity's ``secret`` (6.44 and later) or the peer's own."""
    if t.peer is None:
        return
    identity = next(
        (i for i in conf.menu("/ip ipsec identity") if i.get("peer") == t.peer.name
         and not i.disabled), None)  # fmt: skip
    holder = identity or t.peer
    t.key_where = holder.where if identity or "secret" in t.peer.values else ""
    method = (identity.get("auth-method") if identity else None) or "pre-shared-key"
    if method != "pre-shared-key":
        t.problems.append(
            (
                "conf-mikrotik-auth",
                holder.where,
                f"{t.name}: auth-method={method}: AWS authenticates with a pre-shared key "
                "(or certificates it issues)",
            )
        )
    secret = holder.get("secret")
    if secret:
        t.key = Secret([t.remote or ""], "PSK", secret, holder.line, holder.source)


def _network(value: str | None) -> str | None:
    """A policy's address: a bare one is a /32 (RouterOS prints it so)."""
    return f"{value}/32" if value and "/" not in value and "." in value else value


def duration(text: str) -> int | None:
    """RouterOS's ``1d``, ``8h``, ``30m``, ``10s``, ``1d30m`` (or bare seconds) in seconds."""
    if text.isdecimal():
        return int(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return int(sum(int(n) * _SECONDS[u] for n, u in parts))


def record(t: MtTunnel) -> ConfiguredTunnel:
    return ConfiguredTunnel(
        t.name,
        t.policy.line,
        t.policy.source,
        None,
        t.remote,
        None,
        t.local_ts,
        t.remote_ts,
        t.ike,
        t.esp,
        {},
        # RouterOS keeps its policies after DPD clears the SAs: the next packet
        # negotiates anew
        "hold" if t.dpd else "none",
        "%forever",
        [],
        start_action="trap",
        left=t.local,
        version=t.version,
        aggressive=t.aggressive,
        origins={
            "ike": t.where("profile"),
            "esp": t.where("proposal"),
            "version": t.where("version"),
        },
    )


def undefined(where: str, what: str) -> tuple[str, str, str]:
    """Something named that RouterOS finds nowhere: it brings nothing up for it."""
    return ("conf-mikrotik-undefined", where, what)


def secrets_of(tunnels: list[MtTunnel]) -> list[Secret]:
    return one_per_peer((t.remote, t.key) for t in tunnels)
