"""Check specifications as data, in the spirit of strongSwan's ``evaltest.dat``.

    node::probe::argument::expected

* ``vgw::tunnel::Tunnel1::ESTABLISHED`` — the IKE SA is ESTABLISHED and its
  CHILD SA INSTALLED (read through vici), gated by a bounded wait;
* ``vgw::bgp::Tunnel1::ESTABLISHED`` — BGP labs: the tunnel's BGP session (FRR's
  on that gateway) is Established, gated by a bounded wait;
* ``aws::ping::{onprem_test_ip}::YES`` — ping answers (``NO``: it must not).

Arguments may name placeholders resolved from the lab's address plan
(driver/lab/topology.py ``AddressPlan.placeholders``); addresses are never
written into the checks themselves.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from driver.lab.nodes import GATEWAYS, NODES

PROBES = {"tunnel": ("ESTABLISHED",), "bgp": ("ESTABLISHED",), "ping": ("YES", "NO")}
PLACEHOLDERS = (
    "aws_test_ip",
    "onprem_test_ip",
    "server_ip",
    "public_ip",
    "tunnel1_address",
    "tunnel2_address",
)
PROBE_NODES = {"tunnel": GATEWAYS, "bgp": GATEWAYS}

DEFAULT = (
    "vgw::tunnel::Tunnel1::ESTABLISHED",
    "vgw::tunnel::Tunnel2::ESTABLISHED",
    "aws::ping::{onprem_test_ip}::YES",
    "onprem::ping::{aws_test_ip}::YES",
)
# A BGP lab's defaults: the sessions too, before the pings that need their routes.
BGP_SESSIONS = ("vgw::bgp::Tunnel1::ESTABLISHED", "vgw::bgp::Tunnel2::ESTABLISHED")


def of_lab(expect: tuple[str, ...], routing: str) -> list[Expectation]:
    """A lab's expectations (``checks.expect``); the BGP sessions join the defaults."""
    if routing == "bgp" and tuple(expect) == DEFAULT:
        expect = (*DEFAULT[:2], *BGP_SESSIONS, *DEFAULT[2:])
    return [Expectation.parse(text) for text in expect]


@dataclass(frozen=True)
class Expectation:
    node: str
    probe: str
    argument: str
    expected: str

    @property
    def name(self) -> str:
        return f"{self.node}: {self.probe} {self.argument}" + (
            "" if self.expected in ("YES", "ESTABLISHED") else f" ({self.expected})"
        )

    @classmethod
    def parse(cls, text: str) -> Expectation:
        parts = text.split("::")
        if len(parts) != 4:
            raise ValueError("expected node::probe::argument::expected")
        node, probe, argument, expected = (p.strip() for p in parts)
        if node not in NODES:
            raise ValueError(f"unknown node '{node}' (nodes: {', '.join(NODES)})")
        if probe not in PROBES:
            raise ValueError(f"unknown probe '{probe}' (probes: {', '.join(PROBES)})")
        if node not in PROBE_NODES.get(probe, NODES):
            raise ValueError(f"probe '{probe}' runs on {' or '.join(PROBE_NODES[probe])}")
        if expected not in PROBES[probe]:
            raise ValueError(f"'{probe}' expects {' or '.join(PROBES[probe])}, not '{expected}'")
        names = [f for _, f, _, _ in string.Formatter().parse(argument) if f]
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            raise ValueError(
                f"unknown placeholder {{{unknown[0]}}} (known: {', '.join(PLACEHOLDERS)})"
            )
        return cls(node, probe, argument, expected)

    def resolve(self, placeholders: dict[str, str]) -> Expectation:
        return Expectation(
            self.node, self.probe, self.argument.format(**placeholders), self.expected
        )
