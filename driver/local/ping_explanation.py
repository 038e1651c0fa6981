"""Why a ping got no reply: the hop that dropped it, named as lint names it.

The data plane routes by the tables the path analysis traces (driver/local/
dataplane/routing.py), so the trace through the same tables says which hop
has no route, or which stateful device sees one direction only; the data
plane's own evidence backs it: the router that answered "destination unreachable"
(its address in ping's output), and the packets the firewall's connection
tracking dropped during the ping.
"""

from __future__ import annotations

import re

from driver.analysis.path_analysis import stateful_asymmetry, trace_tables
from driver.lab import topology
from driver.local.dataplane import filters
from driver.local.dataplane.network_view import NetworkView

# The expectation's node -> the path analysis' name for the host, and its address.
HOSTS = {"aws": "aws_host", "onprem": "onprem_host"}
NAMES = {
    "aws": "the AWS test host",
    "onprem": "the on-prem test host",
    "server": "the VPN server",
    "firewall": "the firewall",
}
SUBNETS = {
    "aws_host": "the AWS private subnet",
    "firewall": "the firewall's subnet",
    "onprem_host": "the on-prem private subnet",
    "vpn_server": "the on-prem public subnet",
}
_UNREACHABLE = re.compile(r"From (\d+\.\d+\.\d+\.\d+)\S* icmp_seq=\d+ Destination (?:Net|Host)")


def explain(
    view: NetworkView,
    plan: topology.AddressPlan,
    node: str,
    destination: str,
    output: str,
    dropped: dict[tuple[str, str], int],
) -> str:
    """``dropped``: packets each filter dropped during the ping, by (node, chain)."""
    # '' when the ping's ends are not the two test hosts (nothing to trace).
    source = HOSTS.get(node)
    addresses = {"aws_host": plan.aws_test_ip, "onprem_host": plan.onprem_test_ip}
    target = next((h for h, ip in addresses.items() if ip == destination), None)
    if source is None or target is None or target == source:
        return ""
    forward = trace_tables(view.tables, source, target, destination)
    back = trace_tables(view.tables, target, source, addresses[source])
    said = []
    if not forward.reached:
        said.append(f"no route: {forward.why} (path: {forward.text()})")
    elif not back.reached:
        said.append(f"the reply has no route: {back.why} (path back: {back.text()})")
    elif stateful := stateful_asymmetry(forward, back):
        device = stateful[0]
        seen = "the return" if device in back.nodes else "the outbound"
        said.append(
            f"asymmetric: outbound {forward.text()}; return {back.text()}: the {device} "
            f"sees only {seen}, and a stateful device drops what it has not seen start"
        )
    routers = {
        plan.aws_router: "the AWS VPC router",
        plan.vgw_vpc_ip: "the VGW",
        plan.onprem_private_router: "the on-prem VPC router",
        plan.onprem_public_router: "the on-prem VPC router",
    }
    own = addresses[source]  # ping's own 'Destination Host Unreachable' (no ARP answer)
    for address in dict.fromkeys(a for a in _UNREACHABLE.findall(output) if a != own):
        said.append(
            f"{routers.get(address, address)} ({address}) answered 'destination unreachable'"
        )
    said += [_filter(view, where, chain, n) for (where, chain), n in dropped.items() if n > 0]
    return ": " + "; ".join(said) if said else ""


def _filter(view: NetworkView, node: str, chain: str, count: int) -> str:
    """Which filter a chain is, and what it allows, in a sentence."""
    if chain == filters.FIREWALL_CHAIN and node == "firewall":
        return (
            f"the firewall's connection tracking dropped {count} packet(s) of a "
            "connection it had not seen start"
        )
    if chain in filters.CHAINS.values() and node in view.groups:
        group = view.groups[node]
        inbound = chain == filters.CHAINS["ingress"]
        rules = group.ingress if inbound else group.egress
        allows = ", ".join(r.text() for r in rules) or "nothing"
        return (
            f"the security group of {NAMES.get(node, node)} ({group.name}) dropped "
            f"{count} {'incoming' if inbound else 'outgoing'} packet(s): it allows {allows}"
        )
    for subnet, (router, interface) in filters.SUBNET_INTERFACES.items():
        for egress in (False, True):
            if (router, filters.acl_chain(interface, egress)) == (node, chain):
                acl = view.acls[subnet]
                rules = "; ".join(e.text() for e in acl.ordered(egress))
                way = "out of" if egress else "into"
                return (
                    f"the network ACL {acl.name} of {SUBNETS[subnet]} dropped {count} "
                    f"packet(s) on their way {way} it ({rules})"
                )
    return f"{node} dropped {count} packet(s) ({chain})"
