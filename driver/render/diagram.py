"""``vpnlab diagram``: the lab as a picture (the seed's 構成図), laid out by Graphviz.

Drawn from the lab model: static routes or BGP (both ASNs, a session per tunnel
between its inside addresses), policy-based or route-based tunnels (the VPN
server's tunnel interfaces), a legend. The tunnels carry their outside addresses
and state (green UP, red DOWN) from the locally deployed lab's VGW, or from a
check's report (``--from-report``), which also colours each direction's path by
its ping. Node names are stable so a test can read them back from the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import graphviz

from driver.core.errors import VpnlabError
from driver.core.paths import shareable
from driver.lab import security_groups, topology
from driver.lab.model import Lab

AWS_ORANGE, ONPREM_BLUE, UP, DOWN, UNKNOWN = "#ff9900", "#2f6db5", "#2e7d32", "#c62828", "#777777"
WARNED = "#b26a00"  # a path whose ping passed with a warning: amber, apart from AWS's orange


@dataclass(frozen=True)
class TunnelState:
    address: str
    status: str  # "UP", "DOWN" or "unknown"


@dataclass(frozen=True)
class PathState:
    """Each direction's last ping: "PASS", "WARN", "FAIL" (a check's row), or None."""

    aws_to_onprem: str | None = None
    onprem_to_aws: str | None = None


def digraph(lab: Lab, title: str) -> graphviz.Digraph:
    """An empty diagram of the lab with vpnlab's layout and fonts."""
    return graphviz.Digraph(
        lab.name,
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "fontsize": "11",
            "compound": "true",
            "label": title,
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


def build(
    lab: Lab, tunnels: list[TunnelState] | None = None, paths: PathState | None = None
) -> graphviz.Digraph:
    g = digraph(lab, f"vpnlab lab '{lab.name}' ({lab.region})")
    vpn = lab.vpn
    bgp = vpn.routing == "bgp"
    kind = route_based(lab)

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
        if lab.aws.route_propagation and bgp:
            routes += [f"{r} → VGW (propagated, BGP)" for r in topology.advertised_prefixes(lab)]
        elif lab.aws.route_propagation:
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
    g.node(
        "vgw",
        f"virtual private gateway\nAmazon side ASN {vpn.amazon_side_asn}\n"
        "(attached to the AWS VPC)",
        fillcolor="#fff3e0",
    )
    routing = (
        f"dynamic routing: BGP\nASN {vpn.amazon_side_asn} ↔ ASN {vpn.customer_gateway_asn}"
        if bgp
        else "static routes: " + ", ".join(map(str, vpn.static_routes))
    )
    g.node(
        "vpn_connection",
        f"Site-to-Site VPN connection\n{routing}\n"
        f"{'route-based' if kind else 'policy-based'}: local {vpn.local_network_cidr} / "
        f"remote {vpn.remote_network_cidr}",
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
            subnet.node("vpn_server", _vpn_server(lab), fillcolor="#e8f5e9")
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

    aws_path = _path_colour(paths.aws_to_onprem if paths else None)
    onprem_path = _path_colour(paths.onprem_to_aws if paths else None)
    g.edge("aws_test_host", "aws_route_table", arrowhead="none", style="dotted", **aws_path)
    if lab.aws.route_propagation:
        g.edge("aws_route_table", "vgw", label="propagated routes", **aws_path)
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
        inside = f"inside {tunnel.inside_cidr}" + (f" ({kind}{n} .2)" if kind else "")
        session = f"\neBGP {tunnel.inside_cidr[1]} ↔ {tunnel.inside_cidr[2]}" if bgp else ""
        label = (
            f"Tunnel{n}" + (f" {state.address} {state.status}" if state else "") + f"\n{inside}"
        ) + session
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
    g.edge(
        "onprem_test_host", "onprem_route_table", arrowhead="none", style="dotted", **onprem_path
    )
    g.edge("onprem_route_table", "vpn_server", label=f"{vpn.remote_network_cidr}", **onprem_path)
    legend(g, paths is not None)
    return g


def render(
    lab: Lab,
    output: Path,
    tunnels: list[TunnelState] | None = None,
    paths: PathState | None = None,
) -> Path:
    return write(build(lab, tunnels, paths), output)


def write(graph: graphviz.Digraph, output: Path) -> Path:
    """The graph laid out by Graphviz as ``output`` (.svg or .png), readable by all."""
    fmt = output.suffix.lstrip(".")
    if fmt not in ("svg", "png"):
        raise VpnlabError(f"{output}: write .svg or .png")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise VpnlabError("Graphviz's dot is not installed: run `make setup`") from None
    output.write_bytes(data)
    shareable(output)
    return output


def route_based(lab: Lab) -> str | None:
    """The VPN server's tunnel interfaces' kind (vti, xfrm), None when policy-based."""
    return None if lab.vpn.tunnel_interface == "none" else lab.vpn.tunnel_interface


def _vpn_server(lab: Lab) -> str:
    lines = [
        "VPN server",
        f"strongSwan {lab.strongswan.version} ({lab.strongswan.config_style})",
    ]
    if route_based(lab):
        devices = ", ".join(f"{lab.vpn.tunnel_interface}{n}" for n in (1, 2))
        lines.append(f"tunnel interfaces {devices}")
    if lab.vpn.routing == "bgp":
        prefixes = ", ".join(map(str, topology.advertised_prefixes(lab)))
        lines.append(f"FRR bgpd ASN {lab.vpn.customer_gateway_asn}: announces {prefixes}")
    return "\n".join([*lines, "source/dest check off"])


def _path_colour(status: str | None) -> dict[str, str]:
    """A path's edges in its last ping's colour (none: the default black)."""
    if status is None:
        return {}
    colour = {"FAIL": DOWN, "WARN": WARNED}.get(status, UP)
    return {"color": colour, "fontcolor": colour, "penwidth": "2"}


def legend(g: graphviz.Digraph, from_report: bool, states: bool = True) -> None:
    """What the colours and lines mean (``states``: the diagram may show tunnels UP or
    DOWN, as a deployed lab's does)."""
    rows = [
        f'<tr><td bgcolor="{AWS_ORANGE}"> </td><td align="left">AWS</td></tr>',
        f'<tr><td bgcolor="{ONPREM_BLUE}"> </td><td align="left">on-prem (simulated)</td></tr>',
        *(
            [
                f'<tr><td><font color="{UP}">━━</font></td><td align="left">tunnel UP'
                + (" / path whose ping passed" if from_report else "")
                + "</td></tr>",
                f'<tr><td><font color="{DOWN}">━━</font></td><td align="left">tunnel DOWN'
                + (" / path whose ping failed" if from_report else "")
                + "</td></tr>",
            ]
            if states
            else []
        ),
        *(
            [
                f'<tr><td><font color="{WARNED}">━━</font></td><td align="left">path whose ping '
                "passed with a warning (the report's WARN row says why)</td></tr>"
            ]
            if from_report
            else []
        ),  # fmt: skip
        f'<tr><td><font color="{UNKNOWN}">━━</font></td><td align="left">tunnel, state unknown '
        "(not deployed)</td></tr>",
        '<tr><td>┈┈</td><td align="left">association (no traffic)</td></tr>',
    ]
    table = '<<table border="0" cellborder="0" cellspacing="2">'
    table += '<tr><td colspan="2"><b>legend</b></td></tr>' + "".join(rows) + "</table>>"
    with g.subgraph(name="cluster_legend") as legend:
        legend.attr(label="", color="#cccccc", style="rounded")
        legend.node("legend", table, shape="plaintext", fillcolor="white")


def _allows(lab: Lab, side: str) -> str:
    """What the test host's security group lets in, as the data plane enforces it."""
    rules = security_groups.test_host(lab, side).ingress
    return "ICMP from " + ", ".join(r.cidr for r in rules) if rules else "no ICMP"
