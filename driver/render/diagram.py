"""``vpnlab diagram``: the lab as a picture (the seed's 構成図), laid out by Graphviz.

Drawn from the lab model; when the lab is deployed locally, the tunnels carry
their outside addresses and their state (green UP, red DOWN) from the data
plane's VGW. Node names are stable so a test can read them back from the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import graphviz

from driver.core.errors import VpnlabError
from driver.core.paths import shareable
from driver.lab import security_groups
from driver.lab.model import Lab

AWS_ORANGE, ONPREM_BLUE, UP, DOWN, UNKNOWN = "#ff9900", "#2f6db5", "#2e7d32", "#c62828", "#777777"


@dataclass(frozen=True)
class TunnelState:
    address: str
    status: str  # "UP", "DOWN" or "unknown"


def build(lab: Lab, tunnels: list[TunnelState] | None = None) -> graphviz.Digraph:
    g = graphviz.Digraph(
        lab.name,
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "fontsize": "11",
            "compound": "true",
            "label": f"vpnlab lab '{lab.name}' ({lab.region})",
            "labelloc": "t",
        },
        node_attr={
            "fontname": "Helvetica",
            "fontsize": "10",
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": "white",
        },
        edge_attr={"fontname": "Helvetica", "fontsize": "9"},
    )
    vpn = lab.vpn

    with g.subgraph(name="cluster_aws") as aws:
        aws.attr(label=f"AWS VPC {lab.aws.vpc_cidr}", color=AWS_ORANGE)
        with aws.subgraph(name="cluster_aws_private") as subnet:
            subnet.attr(label=f"private subnet {lab.aws.private_subnet_cidr}", style="dashed")
            subnet.node(
                "aws_test_host",
                f"AWS test host\n{lab.aws.test_host.instance_type}\n{_allows(lab, 'aws')}",
            )
        routes = [f"local {lab.aws.vpc_cidr}"]
        if lab.firewall:
            routes.append("0.0.0.0/0 → firewall")
        if lab.aws.route_propagation:
            routes += [f"{r} → VGW (propagated)" for r in vpn.static_routes]
        aws.node("aws_route_table", "route table (private)\n" + "\n".join(routes), shape="note")
        if lab.firewall:
            with aws.subgraph(name="cluster_aws_firewall") as subnet:
                subnet.attr(label=f"firewall subnet {lab.firewall.subnet_cidr}", style="dashed")
                subnet.node(
                    "firewall",
                    "firewall appliance (stateful)\nsource/dest check off",
                    fillcolor="#fce4ec",
                )
    g.node("vgw", "virtual private gateway\n(attached to the AWS VPC)", fillcolor="#fff3e0")
    g.node(
        "vpn_connection",
        "Site-to-Site VPN connection\nstatic routes: "
        + ", ".join(map(str, vpn.static_routes))
        + f"\nlocal {vpn.local_network_cidr} / remote {vpn.remote_network_cidr}",
        shape="component",
    )
    g.node(
        "cgw",
        f"customer gateway\nASN {vpn.customer_gateway_asn}\nat the Elastic IP",
        fillcolor="#e3f2fd",
    )
    with g.subgraph(name="cluster_onprem") as onprem:
        onprem.attr(
            label=f"on-prem VPC {lab.onprem.vpc_cidr} (simulated)", color=ONPREM_BLUE, labelloc="b"
        )
        onprem.node("igw", "internet gateway")
        with onprem.subgraph(name="cluster_onprem_public") as subnet:
            subnet.attr(label=f"public subnet {lab.onprem.public_subnet_cidr}", style="dashed")
            subnet.node(
                "vpn_server",
                f"VPN server\nstrongSwan {lab.strongswan.version} "
                f"({lab.strongswan.config_style})\nsource/dest check off",
                fillcolor="#e8f5e9",
            )
            subnet.node("eip", "Elastic IP\n(1:1 NAT: NAT-T, UDP 4500)", shape="ellipse")
        with onprem.subgraph(name="cluster_onprem_private") as subnet:
            subnet.attr(label=f"private subnet {lab.onprem.private_subnet_cidr}", style="dashed")
            subnet.node(
                "onprem_test_host",
                f"on-prem test host\n"
                f"{lab.onprem.test_host.instance_type}\n{_allows(lab, 'onprem')}",
            )
        onprem.node(
            "onprem_route_table",
            f"route table (private)\n{vpn.remote_network_cidr} → VPN server interface",
            shape="note",
        )

    g.edge("aws_test_host", "aws_route_table", arrowhead="none", style="dotted")
    if lab.aws.route_propagation:
        g.edge("aws_route_table", "vgw", label="propagated routes")
    if lab.firewall:
        g.edge("aws_route_table", "firewall", label="0.0.0.0/0")
        if lab.firewall.ingress_route:  # one edge both ways, or the labels collide
            g.edge(
                "firewall",
                "vgw",
                dir="both",
                label="VPN routes (propagated) /\n"
                f"ingress route {lab.aws.private_subnet_cidr} → firewall",
            )
        else:
            g.edge("firewall", "vgw", label="VPN routes (propagated)")
    g.edge("vgw", "vpn_connection", arrowhead="none")
    g.edge("cgw", "vpn_connection", arrowhead="none")
    g.edge("cgw", "eip", style="dotted", arrowhead="none", label="IP address")
    for n, tunnel in enumerate(lab.tunnels, start=1):
        state = tunnels[n - 1] if tunnels and len(tunnels) >= n else None
        color = {"UP": UP, "DOWN": DOWN}.get(state.status, UNKNOWN) if state else UNKNOWN
        label = (
            f"Tunnel{n}"
            + (f" {state.address} {state.status}" if state else "")
            + f"\ninside {tunnel.inside_cidr}"
        )
        g.edge(
            "vgw",
            "eip",
            label=label,
            color=color,
            fontcolor=color,
            penwidth="2",
            dir="both",
            arrowhead="none",
            arrowtail="none",
        )
    g.edge("eip", "igw", arrowhead="none", style="dotted")
    g.edge("igw", "vpn_server", arrowhead="none")
    g.edge("onprem_test_host", "onprem_route_table", arrowhead="none", style="dotted")
    g.edge("onprem_route_table", "vpn_server", label=f"{vpn.remote_network_cidr}")
    return g


def render(lab: Lab, output: Path, tunnels: list[TunnelState] | None = None) -> Path:
    fmt = output.suffix.lstrip(".")
    if fmt not in ("svg", "png"):
        raise VpnlabError(f"{output}: write .svg or .png")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = build(lab, tunnels).pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise VpnlabError("Graphviz's dot is not installed: run `make setup`") from None
    output.write_bytes(data)
    shareable(output)
    return output


def _allows(lab: Lab, side: str) -> str:
    """What the test host's security group lets in, as the data plane enforces it."""
    rules = security_groups.test_host(lab, side).ingress
    return "ICMP from " + ", ".join(r.cidr for r in rules) if rules else "no ICMP"
