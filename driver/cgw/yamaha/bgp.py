"""An RTX's BGP (``bgp use on``, ``bgp autonomous-system``, ``bgp neighbor ID AS
ADDRESS [hold-time=N] [local-address=A] [passive=on]``, ``bgp import AS static
filter N`` with ``bgp import filter N equal|include|refines NET``, ``bgp export``)
read into the record FRR's files are read into (driver/cgw/frr/conf.py), each value
with its line.

What the RTX announces is what ``bgp import`` brings into BGP (nothing without
it; ``bgp import AS`` announces to the neighbours of that AS only): a static
route matching an ``equal`` filter is FRR's ``network`` with its
import check (announced while it is routed); ``include``/``refines`` filters and
other protocols are redistribution (the twin refuses them: its routing table is not
the router's). ``bgp export`` filters what it accepts: routing policy. Hold time
left out is 180 s, the keepalive a third of it (Yamaha command reference, chapter 29:
§29.9 bgp import, §29.11 bgp import filter, §29.12 bgp neighbor)."""

from __future__ import annotations

import ipaddress

from driver.cgw.frr.conf import BgpConfig, Neighbor
from driver.cgw.yamaha.conf import YamahaConf, number
from driver.cgw.yamaha.defaults import BGP_HOLD


def yamaha_bgp(conf: YamahaConf, source: str) -> BgpConfig | None:
    use = conf.starting("bgp", "use")
    if not use or use[-1].words[-1] != "on":
        return None
    config = BgpConfig(source, "yamaha")
    asn = conf.starting("bgp", "autonomous-system")
    if asn and number(asn[-1].words[-1]) is not None:
        config.asn, config.asn_line = number(asn[-1].words[-1]), asn[-1].line
    exports = bool(conf.starting("bgp", "export"))
    for command in conf.starting("bgp", "neighbor"):
        words = command.words
        if len(words) < 5 or words[2] == "pre-shared-key":
            continue
        options = dict(w.split("=", 1) for w in words[5:] if "=" in w)
        neighbor = Neighbor(words[4], command.line, remote_as=words[3])
        hold = options.get("hold-time", str(BGP_HOLD))
        if hold == "off":
            neighbor.timers = (0, 0)  # no keepalives, no hold timer
        elif number(hold) is not None:
            neighbor.timers = (number(hold) // 3, number(hold))
        neighbor.policy_in = exports
        config.neighbors[words[4]] = neighbor
    filters = {}
    for command in conf.starting("bgp", "import", "filter"):
        if len(command.words) > 3:
            filters[command.words[3]] = command
    peers = {n.remote_as for n in config.neighbors.values()}
    for command in conf.starting("bgp", "import"):
        words = command.words
        if len(words) < 3 or words[2] == "filter" or words[2] not in peers:
            continue  # a filter, or what is announced to an AS no neighbour has
        chosen = words[words.index("filter") + 1 :] if "filter" in words else []
        if len(words) < 4 or words[3] != "static":
            config.redistributes.append((" ".join(words[2:]), command.line))
            continue
        for name in chosen:
            _filtered(config, filters.get(name))
    return config


def _filtered(config: BgpConfig, command) -> None:
    """An import filter's networks: ``equal NET`` is announced as a network."""
    if command is None:
        return
    words = list(command.words[4:])
    if words[:1] != ["equal"]:  # reject, include, refines: a policy of its own
        config.redistributes.append((" ".join(command.words[1:]), command.line))
        return
    for word in words[1:]:
        if "=" in word:
            continue
        try:
            config.networks.append((ipaddress.IPv4Network(word), command.line))
        except ValueError:
            config.redistributes.append((" ".join(command.words[1:]), command.line))
