"""Path analysis: a small, explicit model of the lab's routing, traced hop by hop.

Each node forwards by its route table with longest-prefix match:

* the AWS private subnet's table: local, ``0.0.0.0/0 → firewall`` when the lab
  has one, and the VGW's propagated routes (the VPN's static routes) when
  ``aws.route_propagation`` is on;
* the firewall subnet's table: local, and the VGW's propagated routes;
* the VGW: the on-prem prefixes into the tunnels; traffic for the AWS VPC to
  the firewall when its gateway route table says so (``ingress_route``),
  else straight to the destination subnet;
* the VPN server: the AWS side into the tunnels (its selectors), on-prem
  locally; the on-prem private table sends the AWS side to the VPN server.

The seed's appendix is the case to catch: ``0.0.0.0/0 → firewall`` plus
propagation sends the outbound traffic around the firewall (the propagated
/16 is more specific), while the return comes through it: a stateful
firewall drops it.

``trace_tables`` is the one tracer: the lab model above is one front-end;
driver/local/emulator/reachability_answers.py builds the same tables from
EC2's configuration to answer the emulator's Reachability Analyzer.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.lab import topology
from driver.lab.model import Lab

Net = ipaddress.IPv4Network
# node -> [(prefix, next node, why)]; next node "deliver" means on-link delivery
Tables = dict[str, list[tuple[Net, str, str]]]
STATEFUL = {"firewall"}


@dataclass(frozen=True)
class Hop:
    node: str
    reason: str  # the route that took the packet on from here

    def text(self) -> str:
        return f"{self.node} ({self.reason})"


@dataclass(frozen=True)
class Trace:
    source: str
    destination: str
    hops: tuple[Hop, ...]
    reached: bool
    why: str = ""

    @property
    def nodes(self) -> list[str]:
        return [h.node for h in self.hops]

    def text(self) -> str:
        path = " → ".join(h.text() for h in self.hops)
        return path + ("" if self.reached else f" ✗ {self.why}")


def route_tables(lab: Lab) -> Tables:
    """node -> [(prefix, next node, why)] (the next node 'deliver' = on-link)."""
    any_ = ipaddress.ip_network("0.0.0.0/0")
    aws, onprem, vpn = lab.aws, lab.onprem, lab.vpn
    # BGP: what the VPN server announces, as the VGW learns it while the sessions are up.
    learned = vpn.static_routes if vpn.routing == "static" else topology.advertised_prefixes(lab)
    how = "VPN static route" if vpn.routing == "static" else "BGP, from the customer gateway"
    propagated = [(r, "vgw", f"{r} → VGW (propagated)") for r in learned]
    aws_table = [(aws.vpc_cidr, "deliver", f"{aws.vpc_cidr} local")]
    if lab.firewall:
        aws_table.append((any_, "firewall", "0.0.0.0/0 → firewall"))
    if aws.route_propagation:
        aws_table += propagated
    tables = {"aws_host": aws_table}
    if lab.firewall:
        tables["firewall"] = [(aws.vpc_cidr, "deliver", f"{aws.vpc_cidr} local"), *propagated]
    vgw = [(r, "vpn_server", f"{r} → tunnel ({how})") for r in learned]
    if lab.firewall and lab.firewall.ingress_route:
        vgw.append(
            (
                aws.private_subnet_cidr,
                "firewall",
                f"{aws.private_subnet_cidr} → firewall (VGW ingress route)",
            )
        )
    else:
        vgw.append((aws.vpc_cidr, "deliver", f"{aws.vpc_cidr} local"))
    tables["vgw"] = vgw
    tables["vpn_server"] = [
        (onprem.vpc_cidr, "deliver", f"{onprem.vpc_cidr} local"),
        (
            vpn.remote_network_cidr,
            "vgw",
            f"{vpn.remote_network_cidr} → tunnel (selectors {vpn.local_network_cidr} === "
            f"{vpn.remote_network_cidr})",
        ),
    ]
    tables["onprem_host"] = [
        (onprem.vpc_cidr, "deliver", f"{onprem.vpc_cidr} local"),
        (
            vpn.remote_network_cidr,
            "vpn_server",
            f"{vpn.remote_network_cidr} → VPN server interface",
        ),
    ]
    return tables


def trace(lab: Lab, source: str, destination: str, dst_ip: str) -> Trace:
    """Follow ``dst_ip`` from node ``source`` of the lab's model."""
    return trace_tables(route_tables(lab), source, destination, dst_ip)


def trace_tables(
    tables: Tables, source: str, destination: str, dst_ip: str, limit: int = 10
) -> Trace:
    """Follow ``dst_ip`` from ``source`` by longest-prefix match until it is
    delivered ("deliver": on-link), reaches ``destination``, or is lost."""
    address = ipaddress.ip_address(dst_ip)
    node, hops = source, []
    for _ in range(limit):
        if node == destination:
            hops.append(Hop(node, "reached"))
            return Trace(source, destination, tuple(hops), True)
        table = tables.get(node, [])
        matches = [(net, nxt, why) for net, nxt, why in table if address in net]
        if not matches:
            hops.append(Hop(node, "no route"))
            return Trace(
                source, destination, tuple(hops), False, f"{node} has no route to {dst_ip}"
            )
        net, nxt, why = max(matches, key=lambda m: m[0].prefixlen)
        hops.append(Hop(node, why))
        if nxt == "deliver":
            hops.append(Hop(destination, "delivered"))
            return Trace(source, destination, tuple(hops), True)
        node = nxt
    return Trace(source, destination, tuple(hops), False, "routing loop")


def both_ways(lab: Lab) -> tuple[Trace, Trace]:
    plan = topology.plan(lab)
    forward = trace(lab, "aws_host", "onprem_host", plan.onprem_test_ip)
    back = trace(lab, "onprem_host", "aws_host", plan.aws_test_ip)
    return forward, back


def stateful_asymmetry(forward: Trace, back: Trace) -> list[str]:
    """Stateful devices that see only one direction of a flow."""
    return sorted((set(forward.nodes) ^ set(back.nodes)) & STATEFUL)
