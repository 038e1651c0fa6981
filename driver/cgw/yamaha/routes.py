"""The static routes an RTX sends into its tunnels: ``ip route NET gateway tunnel N
[hide] [gateway tunnel M [hide]] …`` (``default`` is 0.0.0.0/0). ``hide`` keeps the
route only while its tunnel is connected; several gateways without a filter are
used in turn, round robin (Yamaha's command reference, ip route: "hide" and the
choice among several gateways)."""

from __future__ import annotations

from dataclasses import dataclass

from driver.cgw.yamaha.conf import Command, YamahaConf

OPTIONS_WITH_VALUE = ("metric", "weight", "filter", "keepalive")


@dataclass(frozen=True)
class Route:
    destination: str
    tunnel: str  # the tunnel number it is sent into
    hide: bool  # only while the tunnel is connected
    order: int  # its place among the route's gateways (0: the first)
    others: int  # how many other gateways the route has
    options: tuple[str, ...]  # what else its gateway says (metric, weight, filter …)
    command: Command

    @property
    def where(self) -> str:
        return self.command.where


def static_routes(conf: YamahaConf, tunnel: str | None = None) -> list[Route]:
    """Each route's gateway that is a tunnel (``tunnel`` given: that tunnel only)."""
    out = []
    for command in conf.starting("ip", "route"):
        words = command.words
        if len(words) < 5:
            continue
        destination = "0.0.0.0/0" if words[2] == "default" else words[2]
        gateways = _gateways(words[3:])
        for order, (target, options) in enumerate(gateways):
            into = target[1] if target[0] == "tunnel" and len(target) > 1 else None
            if into is not None and tunnel in (None, into):
                out.append(Route(destination, into, "hide" in options, order,
                                 len(gateways) - 1, tuple(options), command))  # fmt: skip
    return out


def _gateways(words: tuple[str, ...]) -> list[tuple[list[str], list[str]]]:
    """``gateway X [options] gateway Y …`` as [(X's words, its options)]."""
    out: list[tuple[list[str], list[str]]] = []
    i = 0
    while i < len(words):
        if words[i] == "gateway" and i + 1 < len(words):
            target = [words[i + 1]]
            i += 2
            if target[0] in ("tunnel", "pp", "dhcp") and i < len(words):
                target.append(words[i])
                i += 1
            out.append((target, []))
        elif out:
            out[-1][1].append(words[i])
            i += 1
        else:
            i += 1
    return out
