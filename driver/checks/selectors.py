"""AWS's selector rules, judged from what the VGW's charon negotiated.

AWS's customer gateway requirements
(https://docs.aws.amazon.com/vpn/latest/s2svpn/CGRequirements.html): "Each
tunnel is limited to a single unique SA pair (one inbound and one outbound)",
and "If you're using a policy-based configuration, you must limit your
configuration to a single security association (SA)". A customer gateway that
negotiates a second CHILD_SA on a tunnel (a second subnet pair) fails here,
named; what AWS answers on the wire is not documented, so it is not emulated.

Selectors narrower than the VPN connection's CIDRs are what AWS accepts (the
connection's CIDRs bound what may pass). For wider ones the guide says
nothing: charon narrows them (RFC 7296 §2.9) and the row is a warning that
cites the guide, not a verdict.

Read from the charon log of the VGW: ``looking for a child config for US ===
OTHER`` (what the customer proposed, as the VGW sees it) and ``CHILD_SA
TunnelN{i} established ... and TS US === OTHER`` (what was installed).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from driver.checks.runner import CheckResult

GUIDE = "AWS's customer gateway requirements (CGRequirements.html)"
_TUNNEL = re.compile(r"<(Tunnel\d+)\|\d+>")
_PROPOSED = re.compile(r"looking for a child config for (.+?) ?=== (.+)$")
_ESTABLISHED = re.compile(r"CHILD_SA \S+ established with SPIs .* and TS (.+?) === (.+)$")
_NETWORK = re.compile(r"[0-9A-Fa-f.:]+/\d+")

Selectors = tuple[tuple[str, ...], tuple[str, ...]]  # (AWS side, customer side)


@dataclass
class TunnelSelectors:
    proposed: list[Selectors] = field(default_factory=list)
    established: list[Selectors] = field(default_factory=list)  # distinct, in order


def read(vgw_log: str) -> dict[str, TunnelSelectors]:
    """Per tunnel: the selectors the customer proposed and the distinct ones installed."""
    tunnels: dict[str, TunnelSelectors] = {}
    for line in vgw_log.splitlines():
        tunnel = _TUNNEL.search(line)
        if not tunnel:
            continue
        seen = tunnels.setdefault(tunnel.group(1), TunnelSelectors())
        for pattern, into in ((_PROPOSED, seen.proposed), (_ESTABLISHED, seen.established)):
            match = pattern.search(line)
            if match:
                pair = (_networks(match.group(1)), _networks(match.group(2)))
                if pair not in into:
                    into.append(pair)
    return tunnels


def rows(vgw_log: str, local_cidr: str, remote_cidr: str, up: list[str]) -> list[CheckResult]:
    """One row per tunnel that came up: its SA pairs, judged by AWS's rule.

    ``local_cidr``/``remote_cidr`` are the VPN connection's (customer side / AWS side)."""
    seen = read(vgw_log)
    out = []
    for tunnel in up:
        selectors = seen.get(tunnel, TunnelSelectors())
        if not selectors.established:
            continue
        name = f"vgw: {tunnel} selectors"
        if len(selectors.established) > 1:
            pairs = "; ".join(_shown(p) for p in selectors.established)
            out.append(
                CheckResult(
                    name,
                    False,
                    0.0,
                    f"{len(selectors.established)} SA pairs on one tunnel ({pairs}): AWS allows "
                    f"one per tunnel ({GUIDE}: 'a single unique SA pair'); propose one pair, "
                    f"e.g. leftsubnet={local_cidr} rightsubnet={remote_cidr}, the VPN "
                    "connection's CIDRs",
                )
            )
            continue
        wider = [p for p in selectors.proposed if not _within(p, (remote_cidr,), (local_cidr,))]
        installed = _shown(selectors.established[0])
        if wider:
            out.append(
                CheckResult(
                    name,
                    True,
                    0.0,
                    f"the customer gateway proposed {_shown(wider[0])}, wider than the VPN "
                    f"connection's {remote_cidr} === {local_cidr}; the VGW here narrowed it to "
                    f"{installed}, but {GUIDE} do not say whether AWS narrows or refuses "
                    "wider selectors: propose the connection's CIDRs to be sure",
                    warning=True,
                )
            )
            continue
        exact = selectors.established[0] == ((remote_cidr,), (local_cidr,))
        out.append(
            CheckResult(
                name,
                True,
                0.0,
                f"one SA pair, {installed}"
                + (
                    " (the VPN connection's CIDRs)"
                    if exact
                    else f" (within the VPN connection's {remote_cidr} === {local_cidr}: "
                    "AWS accepts narrower selectors)"
                ),
            )
        )
    return out


def _networks(text: str) -> tuple[str, ...]:
    return tuple(_NETWORK.findall(text))


def _within(pair: Selectors, aws_side: tuple[str, ...], customer_side: tuple[str, ...]) -> bool:
    return all(
        any(_subnet(network, bound) for bound in bounds)
        for networks, bounds in zip(pair, (aws_side, customer_side), strict=True)
        for network in networks
    )


def _subnet(network: str, bound: str) -> bool:
    a, b = ipaddress.ip_network(network, strict=False), ipaddress.ip_network(bound)
    return a.version == b.version and a.subnet_of(b)


def _shown(pair: Selectors) -> str:
    return f"{' '.join(pair[0])} === {' '.join(pair[1])}"
