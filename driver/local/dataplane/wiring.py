"""The lab's links, their own routes and the Elastic IP's NAT, between the
namespaces of driver/lab/topology.py (the route tables come with routing.py)."""

from __future__ import annotations

import ipaddress

from driver.lab import topology
from driver.local.dataplane.netns import Namespace, link


def links(ns: dict[str, Namespace], p: topology.AddressPlan) -> None:
    """The links between the lab's nodes, with their addresses (a Transit Gateway
    site has no AWS VPC: its VGW links to the gateway, ``transit_link``)."""
    if "aws-vpc" in ns:
        link(
            ns["aws"],
            "eth0",
            f"{p.aws_test_ip}/{p.aws_prefix}",
            ns["aws-vpc"],
            "priv",
            f"{p.aws_router}/{p.aws_prefix}",
        )
        link(
            ns["aws-vpc"],
            "vgw",
            f"{topology.VPC_ROUTER_TO_VGW}/32",
            ns["vgw"],
            "vpc",
            f"{p.vgw_vpc_ip}/32",
        )
    if "firewall" in ns:
        link(
            ns["aws-vpc"],
            "fw",
            f"{p.firewall_router}/{p.firewall_prefix}",
            ns["firewall"],
            "eth0",
            f"{p.firewall_ip}/{p.firewall_prefix}",
        )
    link(ns["vgw"], "wan", None, ns["inet"], "vgw", None)
    for address in p.tunnel_addresses:
        ns["vgw"].ip("addr", "add", f"{address}/24", "dev", "wan")
    for address in p.vgw_uplinks:
        ns["inet"].ip("addr", "add", f"{address}/24", "dev", "vgw")
    link(
        ns["inet"],
        "edge",
        f"{p.edge_uplink}/24",
        ns["onprem-vpc"],
        "igw",
        f"{p.public_ip}/24",
    )
    link(
        ns["onprem-vpc"],
        "pub",
        f"{p.onprem_public_router}/{p.onprem_public_prefix}",
        ns["server"],
        "eth0",
        f"{p.server_ip}/{p.onprem_public_prefix}",
    )
    link(
        ns["onprem-vpc"],
        "priv",
        f"{p.onprem_private_router}/{p.onprem_private_prefix}",
        ns["onprem"],
        "eth0",
        f"{p.onprem_test_ip}/{p.onprem_private_prefix}",
    )


def transit_link(
    ns: dict[str, Namespace], p: topology.AddressPlan, gateway: Namespace, interface: str
) -> None:
    """A Transit Gateway site's VGW node to the gateway's node, as a VGW to its VPC's
    router: the gateway's side has the VPC router's address, on ``interface``."""
    link(
        gateway,
        interface,
        f"{topology.VPC_ROUTER_TO_VGW}/32",
        ns["vgw"],
        "vpc",
        f"{p.vgw_vpc_ip}/32",
    )


def routes(
    ns: dict[str, Namespace],
    p: topology.AddressPlan,
    aws_networks: tuple[ipaddress.IPv4Network, ...],
) -> None:
    """The links' own routes; the lab's route tables come with routing.install."""
    if "aws-vpc" in ns:
        ns["aws"].ip("route", "add", "default", "via", p.aws_router)
        ns["aws-vpc"].ip("route", "add", f"{p.vgw_vpc_ip}/32", "dev", "vgw")
    ns["vgw"].ip("route", "add", f"{topology.VPC_ROUTER_TO_VGW}/32", "dev", "vpc")
    ns["vgw"].ip("route", "add", "default", "via", p.vgw_uplinks[0])
    # The VGW's own answers (ICMP errors) to the VPC (or across the Transit Gateway).
    for network in aws_networks:
        ns["vgw"].ip(
            "route",
            "add",
            str(network),
            "via",
            topology.VPC_ROUTER_TO_VGW,
            "dev",
            "vpc",
            "onlink",
        )
    if "firewall" in ns:
        ns["firewall"].ip("route", "add", "default", "via", p.firewall_router)
    ns["onprem-vpc"].ip("route", "add", "default", "via", p.edge_uplink)
    ns["server"].ip("route", "add", "default", "via", p.onprem_public_router)
    ns["onprem"].ip("route", "add", "default", "via", p.onprem_private_router)


def elastic_ip_nat(ns: dict[str, Namespace], p: topology.AddressPlan) -> None:
    """The Elastic IP: 1:1 NAT of the VPN server's address, as AWS's IGW does."""
    rules = (
        f"*nat\n-A POSTROUTING -o igw -s {p.server_ip} -j SNAT --to-source {p.public_ip}\n"
        f"-A PREROUTING -i igw -d {p.public_ip} -j DNAT --to-destination {p.server_ip}\n"
        "COMMIT\n"
    )
    ns["onprem-vpc"].exec("iptables-restore", "--noflush", input_=rules)
