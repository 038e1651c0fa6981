"""ECMP over a Transit Gateway connection's two tunnels, proven in packets.

With ``VpnEcmpSupport`` and BGP, AWS spreads flows over every tunnel that advertises
a prefix with an equal AS path, and keeps each flow on one (Transit Gateways guide:
"ECMP"). The check sends ``FLOWS`` distinct UDP flows (source ports) from a VPC's test
host to a BGP site's, ``PACKETS`` datagrams each, and counts at the site's VGW node
which tunnel interface each flow left by (an iptables rule per flow and tunnel): both
tunnels must carry flows, and no flow may be split between them. With 16 flows the
chance that a fair hash puts them all on one tunnel is 2 in 65,536.

A prefix that several BGP sites advertise (``across``) is spread over all their
tunnels as one group: ``FLOWS_ACROSS`` flows are counted at every such site's VGW node,
every tunnel of every connection must carry some (the chance that a fair hash leaves
one of four empty is under 1 in 10^7 with 64 flows), each flow by one tunnel.

Without ``VpnEcmpSupport`` AWS sends on one tunnel of the two, its "preferred tunnel",
picked at random, while both are up with the same prefix and BGP attributes (knowledge
center: vpn-configure-tunnel-preference): every flow must leave by the same tunnel.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Iterable

from driver.checks.runner import CheckResult
from driver.local.dataplane import vgw
from driver.local.dataplane.netns import Namespace

FLOWS = 16
FLOWS_ACROSS = 64
PACKETS = 3
FIRST_PORT = 40000
PORT = 33434  # traceroute's: nothing listens, the datagrams are counted on their way
CHAIN = "VPNLAB-ECMP"
TUNNELS = (vgw.interface(1), vgw.interface(2))  # a VGW node's tunnel devices
SEND = (
    "import socket,sys\n"
    "dst, first, flows, packets, port = sys.argv[1], *map(int, sys.argv[2:])\n"
    "for n in range(flows):\n"
    "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "    s.bind(('', first + n))\n"
    "    for _ in range(packets):\n"
    "        s.sendto(b'vpnlab ecmp', (dst, port))\n"
    "    s.close()\n"
)


def check(
    name: str, source: str, sender: Namespace, address: str, vgw_ns: Namespace, ecmp: bool
) -> CheckResult:
    """The ECMP row of site ``name``: flows from ``sender`` (the test host of ``source``,
    a VPC) to ``address`` through the site's VGW node ``vgw_ns`` (its tunnels are
    interfaces: kernel ESP), spread over both tunnels with ``ecmp``, else all on one."""
    started = time.monotonic()
    counts = _flows(sender, address, {name: vgw_ns})
    per_tunnel = _carried(counts, name)
    split, lost = _split(counts), _lost(counts)
    carrying = sum(1 for n in per_tunnel.values() if n)
    passed = carrying == (2 if ecmp else 1) and not split and not lost
    detail = f"{FLOWS} UDP flows from {source} to {address}: " + _tunnels(per_tunnel)
    detail += _faults(split, lost)
    if not passed and not lost:
        detail += (
            "; AWS with VpnEcmpSupport spreads flows over both tunnels of a BGP connection"
            if ecmp
            else "; AWS without VpnEcmpSupport sends on one tunnel it picks (its preferred "
            "tunnel, knowledge center: vpn-configure-tunnel-preference)"
        )
    seconds = round(time.monotonic() - started, 2)
    return CheckResult(f"site {name}: {row_name(ecmp)}", passed, seconds, detail)


def across(
    prefix: str, source: str, sender: Namespace, address: str, vgw_nodes: dict[str, Namespace]
) -> CheckResult:
    """The row of a prefix that several BGP sites advertise, with ``VpnEcmpSupport``:
    flows from ``sender`` (``source``'s test host) to ``address`` in it, counted at each
    site's VGW node (``vgw_nodes`` by site name), must leave by every tunnel of every
    site's connection, each flow by one tunnel."""
    started = time.monotonic()
    counts = _flows(sender, address, vgw_nodes, FLOWS_ACROSS)
    carried = {site: _carried(counts, site) for site in vgw_nodes}
    split, lost = _split(counts), _lost(counts, FLOWS_ACROSS)
    idle = [
        f"site {site} Tunnel{n}"
        for site, tunnels in carried.items()
        for n, flows in enumerate(tunnels.values(), start=1)
        if not flows
    ]
    detail = f"{FLOWS_ACROSS} UDP flows from {source} to {address}: " + "; ".join(
        f"site {site} {_tunnels(tunnels)}" for site, tunnels in carried.items()
    )
    detail += _faults(split, lost)
    if idle and not lost:
        detail += (
            f"; none by {', '.join(idle)}: AWS with VpnEcmpSupport spreads flows over the "
            "tunnels of every connection that advertises the prefix with an equal AS path"
        )
    seconds = round(time.monotonic() - started, 2)
    passed = not (idle or split or lost)
    return CheckResult(f"tgw: ECMP over connections to {prefix}", passed, seconds, detail)


def address_in(
    prefix: ipaddress.IPv4Network,
    held: Iterable[ipaddress.IPv4Network],
    vpc: ipaddress.IPv4Network,
    to_gateway: Iterable[ipaddress.IPv4Network],
) -> str | None:
    """An address the flows to ``prefix`` can take: in it, in none of the table's longer
    routes (``held``) nor the sending VPC's own CIDR, and one the VPC's route table sends
    to the gateway; None: no such address (a default route: 0.0.0.0/8 is not routed)."""
    if prefix.prefixlen == 0:
        return None
    left = [prefix]
    for taken in [c for c in held if c != prefix and c.subnet_of(prefix)] + [vpc]:
        left = [
            part
            for net in left
            for part in (net.address_exclude(taken) if taken.subnet_of(net) else
                         [] if net.subnet_of(taken) else [net])
        ]  # fmt: skip
    routed = list(to_gateway)
    # The pieces left are whole (nothing taken from them): a piece the VPC sends to the
    # gateway, or a route of the VPC's inside a piece, is all usable.
    usable = [net for net in left if any(net.subnet_of(r) for r in routed)]
    usable += [r for r in routed for net in left if r.subnet_of(net) and r != net]
    if not usable:
        return None
    first = min(usable)
    return str(first[1] if first.num_addresses > 2 else first[0])


def _flows(
    sender: Namespace, address: str, vgw_nodes: dict[str, Namespace], flows: int = FLOWS
) -> dict[tuple[int, str, str], int]:
    """(source port, site, tunnel device) -> packets: ``flows`` flows from ``sender`` to
    ``address``, counted leaving each site's VGW node by its tunnel interfaces (an
    iptables rule per flow and tunnel)."""
    rules = [
        f"-A {CHAIN} -p udp --sport {FIRST_PORT + f} -o {dev}\n"
        for f in range(flows)
        for dev in TUNNELS
    ]
    # one iptables-restore: a process costs ~0.2 s in the emulated guest
    table = f"*filter\n:{CHAIN} - [0:0]\n-I FORWARD -j {CHAIN}\n{''.join(rules)}COMMIT\n"
    counts = {}
    try:
        for node in vgw_nodes.values():
            node.exec("iptables-restore", "--noflush", input_=table)
        args = [address, str(FIRST_PORT), str(flows), str(PACKETS), str(PORT)]
        sender.exec("python3", "-c", SEND, *args)
        for site, node in vgw_nodes.items():
            listing = node.exec("iptables", "-L", CHAIN, "-v", "-x", "-n").stdout
            counts |= {(port, site, dev): n for (port, dev), n in _counts(listing).items()}
    finally:
        for node in vgw_nodes.values():
            node.exec("iptables", "-D", "FORWARD", "-j", CHAIN, check=False)
            node.exec("iptables", "-F", CHAIN, check=False)
            node.exec("iptables", "-X", CHAIN, check=False)
    return counts


def _carried(counts: dict, site: str) -> dict[str, int]:
    """Tunnel device -> how many flows left by it, at ``site``'s VGW node."""
    return {dev: sum(1 for (_, s, d), n in counts.items() if (s, d) == (site, dev) and n)
            for dev in TUNNELS}  # fmt: skip


def _split(counts: dict) -> list[int]:
    """The flows (source ports) seen leaving by more than one tunnel."""
    exits: dict[int, int] = {}
    for (port, _, _), n in counts.items():
        exits[port] = exits.get(port, 0) + bool(n)
    return sorted(port for port, seen in exits.items() if seen > 1)


def _lost(counts: dict, flows: int = FLOWS) -> list[int]:
    seen = {port for (port, _, _), n in counts.items() if n}
    return [p for p in range(FIRST_PORT, FIRST_PORT + flows) if p not in seen]


def _tunnels(per_tunnel: dict[str, int]) -> str:
    return ", ".join(f"{n} on Tunnel{i}" for i, n in enumerate(per_tunnel.values(), start=1))


def _faults(split: list[int], lost: list[int]) -> str:
    return (f"; split over tunnels: ports {split}" if split else "; each flow on one tunnel") + (
        f"; not seen leaving by a tunnel: ports {lost}" if lost else ""
    )


def row_name(ecmp: bool) -> str:
    return "ECMP over both tunnels" if ecmp else "one tunnel without ECMP"


_RULE = re.compile(r"^\s*(\d+)\s+\d+\s+(?:udp|17)\s+--\s+\*\s+(\S+)\s+.*spt:(\d+)", re.M)


def _counts(listing: str) -> dict[tuple[int, str], int]:
    """(source port, tunnel device) -> packets, from ``iptables -L -v -x -n``."""
    return {(int(port), dev): int(packets) for packets, dev, port in _RULE.findall(listing)}
