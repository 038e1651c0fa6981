"""Which nodes a data plane has: a VGW lab's, or a Transit Gateway lab's site's
(no VPC of its own), and where such a site meets the Transit Gateway."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from driver.lab.model import Lab
from driver.lab.nodes import NODES, OPTIONAL_NODES
from driver.local.dataplane.netns import Namespace

# A Transit Gateway lab's site has no VPC of its own: its VGW node (the connection's
# AWS endpoints) links to the Transit Gateway node (driver/local/transit_dataplane.py).
AWS_SIDE_NODES = ("aws", "aws-vpc", "firewall")

# L4 hashing: each flow keeps one path of a multipath (ECMP) route, as AWS hashes flows.
ECMP_BY_FLOW = {"net.ipv4.fib_multipath_hash_policy": "1"}
# A Transit Gateway site's VGW node hashes a flow without its destination address. The
# kernel hashes with one secret for every namespace, so the gateway's fields would repeat
# the gateway's choice: flows ECMP sent to one connection would all take one tunnel of
# it (polarization; seen with 64 flows over two two-path hops: 31/0 and 0/33, and 19/12
# and 21/12 with these fields). Each flow still keeps one tunnel.
TUNNEL_ECMP_BY_FLOW = {
    "net.ipv4.fib_multipath_hash_policy": "3",  # the fields below
    "net.ipv4.fib_multipath_hash_fields": "0x0035",  # source address, protocol, both ports
}
HASH_FIELDS = Path("/proc/sys/net/ipv4/fib_multipath_hash_fields")


def tunnel_hashing() -> dict[str, str]:
    """TUNNEL_ECMP_BY_FLOW where the kernel has hash fields (the guest's 6.1 and this
    host's 6.18 do), else the gateway's own L4 hash: flows then keep one tunnel each, but
    a connection's choice of tunnel repeats the gateway's."""
    return TUNNEL_ECMP_BY_FLOW if HASH_FIELDS.exists() else ECMP_BY_FLOW


def lab_nodes(lab: Lab, site: bool = False) -> tuple[str, ...]:
    """The nodes this lab has (the firewall only when the lab has one; a Transit
    Gateway site's none of the AWS side's)."""
    return tuple(
        n
        for n in NODES
        if (n not in OPTIONAL_NODES or getattr(lab, OPTIONAL_NODES[n]) is not None)
        and not (site and n in AWS_SIDE_NODES)
    )


@dataclasses.dataclass(frozen=True)
class TransitSide:
    """Where a Transit Gateway site's VGW node meets the Transit Gateway: the gateway's
    namespace and its interface there, the networks across it, and what its BGP
    speaker announces, accepts and balances (driver/local/dataplane/vgw_bgp.py)."""

    gateway: Namespace
    interface: str
    networks: tuple  # every network across the Transit Gateway (the VGW's own answers)
    announced: tuple  # what the connection's BGP announces: its associated table's routes
    max_prefixes: int
    max_paths: int  # 2: ECMP over the connection's two tunnels
    within: str  # the namespaces' part of the lab name (``s0-``)
