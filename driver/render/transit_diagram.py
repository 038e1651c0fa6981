"""``vpnlab diagram`` of a Transit Gateway lab: each VPC with its test host and the
route to the gateway, the Transit Gateway with each route table as the lab resolves
it (driver/lab/transit_routes.py: associations, propagations, every route and its
kind), and each site with its VPN server and two tunnels. The lab is not deployed
by vpnlab yet, so the tunnels carry no state. Node names are stable
(``vpc_<name>``, ``site_<name>_server``, ``tgw_rt_<table>``) so a test can read them
back from the SVG."""

from __future__ import annotations

import html
from pathlib import Path

import graphviz

from driver.lab import security_groups, topology
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab
from driver.render.diagram import (
    AWS_ORANGE,
    ONPREM_BLUE,
    UNKNOWN,
    digraph,
    legend,
    route_based,
    write,
)

KINDS = {"static": "static", "vpc": "propagated (VPC)", "vpn": "propagated (BGP)"}


def render(lab: Lab, output: Path) -> Path:
    return write(build(lab), output)


def build(lab: Lab) -> graphviz.Digraph:
    g = digraph(lab, f"vpnlab lab '{lab.name}' ({lab.region}): Transit Gateway")
    gateway = lab.transit_gateway
    ecmp = "on" if gateway.ecmp else "off"
    g.node(
        "tgw",
        f"Transit Gateway\nAmazon side ASN {gateway.amazon_side_asn}\nVPN ECMP {ecmp}",
        fillcolor="#fff3e0",
    )
    for table in [tgw.DEFAULT, *(t.name for t in gateway.route_tables)]:
        g.node(f"tgw_rt_{_id(table)}", _table(lab, table), shape="plaintext")
        g.edge("tgw", f"tgw_rt_{_id(table)}", arrowhead="none", style="dotted")
    for vpc in lab.vpcs:
        name = f"vpc:{vpc.name}"
        with g.subgraph(name=f"cluster_vpc_{_id(vpc.name)}") as cluster:
            cluster.attr(label=f"VPC {vpc.name} {vpc.vpc_cidr}", color=AWS_ORANGE)
            cluster.node(
                f"vpc_{_id(vpc.name)}",
                f"test host ({vpc.private_subnet_cidr})\n{vpc.test_host.instance_type}\n"
                + _allows(lab, name, vpc.test_host),
            )
        g.edge(f"vpc_{_id(vpc.name)}", "tgw", label=_attachment(lab, name), dir="both")
    for site in lab.sites:
        name, view = f"site:{site.name}", tgw.site_view(lab, lab.sites.index(site))
        with g.subgraph(name=f"cluster_site_{_id(site.name)}") as cluster:
            cluster.attr(
                label=f"site {site.name} {site.onprem.vpc_cidr} (simulated)", color=ONPREM_BLUE
            )
            cluster.node(f"site_{_id(site.name)}_server", _server(view), fillcolor="#e8f5e9")
            cluster.node(
                f"site_{_id(site.name)}_host",
                f"test host ({site.onprem.private_subnet_cidr})\n"
                + _allows(lab, name, site.onprem.test_host),
            )
        g.edge(f"site_{_id(site.name)}_host", f"site_{_id(site.name)}_server", arrowhead="none")
        routing = "BGP" if site.vpn.routing == "bgp" else "static"
        for n, tunnel in enumerate(site.vpn.tunnels, start=1):
            g.edge(
                "tgw",
                f"site_{_id(site.name)}_server",
                label=f"{site.name} Tunnel{n} ({routing})\ninside {tunnel.inside_cidr}"
                + (f"\n{_attachment(lab, name)}" if n == 1 else ""),
                color=UNKNOWN,
                fontcolor=UNKNOWN,
                penwidth="2",
                dir="both",
                arrowhead="none",
                arrowtail="none",
            )
    legend(g, from_report=False, states=False)  # no deployed state to colour yet
    return g


def _table(lab: Lab, table: str) -> str:
    """The route table as an HTML-like label: who is associated, who propagates, routes."""
    associated = [a for a in tgw.attachments(lab) if tgw.association(lab, a) == table]
    propagating = [a for a in tgw.attachments(lab) if table in tgw.propagations(lab, a)]

    def line(text: str) -> str:
        return f'<tr><td colspan="3" align="left">{html.escape(text)}</td></tr>'

    rows = [
        f'<tr><td colspan="3" bgcolor="#ffe0b2"><b>route table {html.escape(table)}</b></td></tr>',
        line("associated: " + (", ".join(associated) or "none")),
        line("propagating: " + (", ".join(propagating) or "none")),
    ]
    for route in sorted(tgw.routes(lab, table), key=lambda r: (r.cidr, r.kind)):
        target = route.attachment or "blackhole"
        rows.append(
            f'<tr><td align="left">{route.cidr}</td><td align="left">{html.escape(target)}</td>'
            f'<td align="left">{KINDS[route.kind]}</td></tr>'
        )
    return '<<table border="1" cellborder="0" cellspacing="2">' + "".join(rows) + "</table>>"


def _attachment(lab: Lab, name: str) -> str:
    table = tgw.association(lab, name)
    propagates = ", ".join(tgw.propagations(lab, name)) or "none"
    return f"attachment: routed by {table or 'no table'}, propagates to {propagates}"


def _server(view: Lab) -> str:
    lines = ["VPN server (customer gateway)",
             f"strongSwan {view.strongswan.version} ({view.strongswan.config_style})"]  # fmt: skip
    if route_based(view):
        lines.append(f"tunnel interfaces {view.vpn.tunnel_interface}1, 2")
    if view.vpn.routing == "bgp":
        prefixes = ", ".join(map(str, topology.advertised_prefixes(view)))
        lines.append(f"BGP ASN {view.vpn.customer_gateway_asn}: announces {prefixes}")
    else:
        lines.append("static: " + ", ".join(map(str, view.vpn.static_routes)))
    return "\n".join(lines)


def _allows(lab: Lab, attachment: str, host) -> str:
    rules = security_groups.transit_test_host(lab, attachment, host).ingress
    return "ICMP from " + ", ".join(r.cidr for r in rules) if rules else "no ICMP"


def _id(name: str) -> str:
    return name.replace("-", "_")
