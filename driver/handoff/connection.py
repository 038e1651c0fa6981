"""The VPN connection a parameter sheet describes: planned from the lab (before
anything exists) or as AWS holds it once applied (``DescribeVpnConnections``,
``DescribeCustomerGateways``, ``DescribeVpnGateways``, from the emulator or AWS).

Both end as the same ``Connection``, so the sheet cannot tell one from the other
except by what is not known yet (AWS's outside addresses before the apply)."""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass

from driver.core.errors import VpnlabError
from driver.lab import transit_routes
from driver.lab.model import LAB_TAG, Lab, Net, Tunnel
from driver.lab.transit_rules import MAX_TGW_ADVERTISED_PREFIXES
from driver.local.shared.tunnel_record import tunnel_of


@dataclass(frozen=True)
class Connection:
    origin: tuple[str, dict]  # where the values come from: a words key and its fields
    tunnels: tuple[Tunnel, ...]  # AWS's view of each tunnel; keys kept for --keys-file only
    outside_addresses: tuple[str | None, ...]  # None: AWS assigns it at creation
    customer_gateway_ip: str | None  # None: the lab does not know it yet
    static_routes_only: bool
    static_routes: tuple[Net, ...]
    local_network_cidr: Net  # the customer's side (AWS's "local IPv4 network CIDR")
    remote_network_cidr: Net  # the AWS side
    customer_gateway_asn: int
    amazon_side_asn: int
    aws_networks: tuple[Net, ...]  # what the VGW advertises over BGP: the VPC's CIDR
    advertised_prefix_limit: int = 100

    @property
    def keys(self) -> tuple[str | None, ...]:
        return tuple(t.preshared_key for t in self.tunnels)


def from_lab(lab: Lab, lab_path) -> Connection:
    """The connection the lab plans: its tunnel options, AWS's defaults for the rest."""
    vpn = lab.vpn
    public_ip = lab.onprem.vpn_server.public_ip
    return Connection(
        origin=("v.origin_lab", {"path": lab_path}),
        tunnels=vpn.tunnels,
        outside_addresses=(None,) * len(vpn.tunnels),
        customer_gateway_ip=str(public_ip) if public_ip else None,
        static_routes_only=vpn.routing == "static",
        static_routes=vpn.static_routes,
        local_network_cidr=vpn.local_network_cidr,
        remote_network_cidr=vpn.remote_network_cidr,
        customer_gateway_asn=vpn.customer_gateway_asn,
        amazon_side_asn=vpn.amazon_side_asn,
        aws_networks=(lab.aws.vpc_cidr,),
    )


def from_site(lab: Lab, index: int, lab_path) -> Connection:
    """A Transit Gateway lab's site's connection, as the lab plans it. What AWS routes
    and advertises to the site is what the route table associated with its attachment
    holds, except the site's own routes and blackholes (driver/lab/transit_routes.py)."""
    site = lab.sites[index]
    planned = from_lab(transit_routes.site_view(lab, index), f"{lab_path}, site {site.name}")
    return dataclasses.replace(
        planned,
        aws_networks=transit_routes.routed_to(lab, f"site:{site.name}"),
        advertised_prefix_limit=MAX_TGW_ADVERTISED_PREFIXES,
    )


def from_api(lab: Lab, ec2, where: str) -> Connection:
    """The lab's VPN connection as the EC2 API (``ec2``: the emulator's or AWS's)
    describes it, found by the lab's tag; tunnels in the lab's order (by inside CIDR)."""
    connection = _tagged(ec2, lab.name, [], where, f"lab '{lab.name}'")
    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=[connection["VpnGatewayId"]])["VpnGateways"][0]
    return dataclasses.replace(
        _described(lab, connection, ec2, where),
        amazon_side_asn=int(vgw.get("AmazonSideAsn") or 64512),
    )


def from_site_api(lab: Lab, index: int, ec2, where: str) -> Connection:
    """A Transit Gateway lab's site's connection as the EC2 API describes it (found by
    the lab's tag and the site's name, as synthesis names it): what AWS routes and
    advertises to the site is what the table associated with its attachment holds now,
    but the site's own routes and blackholes."""
    site = lab.sites[index]
    name = [{"Name": "tag:Name", "Values": [f"{lab.name}-{site.name}-vpn"]}]
    connection = _tagged(ec2, lab.name, name, where, f"site {site.name} of lab '{lab.name}'")
    view = transit_routes.site_view(lab, index)
    (gateway,) = ec2.describe_transit_gateways(TransitGatewayIds=[connection["TransitGatewayId"]])[
        "TransitGateways"
    ]
    (attachment,) = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [connection["VpnConnectionId"]]}]
    )["TransitGatewayAttachments"]
    # A static site's routes live in the gateway's tables, not on its connection.
    static = {
        cidr
        for table in ec2.describe_transit_gateway_route_tables(
            Filters=[{"Name": "transit-gateway-id", "Values": [connection["TransitGatewayId"]]}]
        )["TransitGatewayRouteTables"]
        for cidr, hops, kind in _routes(ec2, table["TransitGatewayRouteTableId"])
        if kind == "static" and attachment["TransitGatewayAttachmentId"] in hops
    }
    return dataclasses.replace(
        _described(view, connection, ec2, where),
        amazon_side_asn=int(gateway["Options"].get("AmazonSideAsn") or 64512),
        aws_networks=_routed_to(ec2, attachment),
        static_routes=tuple(sorted(static)),
        advertised_prefix_limit=MAX_TGW_ADVERTISED_PREFIXES,
    )


def _routed_to(ec2, attachment: dict) -> tuple[Net, ...]:
    """What the attachment's associated route table sends elsewhere (active routes)."""
    table = (attachment.get("Association") or {}).get("TransitGatewayRouteTableId")
    if table is None:
        return ()
    own = attachment["TransitGatewayAttachmentId"]
    return tuple(sorted(cidr for cidr, hops, _ in _routes(ec2, table) if own not in hops))


def _routes(ec2, table: str) -> list[tuple[Net, list[str], str]]:
    """A Transit Gateway route table's active routes: destination, attachments, type."""
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "state", "Values": ["active"]}]
    )["Routes"]
    return [
        (
            ipaddress.ip_network(r["DestinationCidrBlock"]),
            [a["TransitGatewayAttachmentId"] for a in r.get("TransitGatewayAttachments", [])],
            r.get("Type", ""),
        )
        for r in found
    ]


def _tagged(ec2, lab: str, filters: list[dict], where: str, whose: str) -> dict:
    """The one live VPN connection the filters and the lab's tag find, or a refusal."""
    tag = [{"Name": f"tag:{LAB_TAG}", "Values": [lab]}, *filters]
    live = [
        c
        for c in ec2.describe_vpn_connections(Filters=tag)["VpnConnections"]
        if c["State"] not in ("deleting", "deleted")
    ]
    if not live:
        raise VpnlabError(
            f"{whose} has no VPN connection on the {where} target: `vpnlab apply` "
            f"it first, or leave out --target for the sheet the lab plans"
        )
    if len(live) > 1:
        ids = ", ".join(c["VpnConnectionId"] for c in live)
        raise VpnlabError(
            f"{len(live)} VPN connections carry lab '{lab}''s tag on the {where} "
            f"target ({ids}): which one the other company connects to is not for vpnlab "
            "to guess; remove the others (vpnlab destroy --force-cleanup)"
        )
    return live[0]


def _described(lab: Lab, connection: dict, ec2, where: str) -> Connection:
    """``connection`` as the API describes it; AWS's side as a VGW lab's (callers
    replace what a Transit Gateway's differs in)."""
    options = connection["Options"]
    by_inside = {o["TunnelInsideCidr"]: o for o in options["TunnelOptions"]}
    ordered = [by_inside.pop(str(t.inside_cidr), None) for t in lab.tunnels]
    ordered = [o for o in ordered if o] + list(by_inside.values())
    gateway = ec2.describe_customer_gateways(CustomerGatewayIds=[connection["CustomerGatewayId"]])[
        "CustomerGateways"
    ][0]
    routes = [r["DestinationCidrBlock"] for r in connection.get("Routes", [])]
    return Connection(
        origin=("v.origin_api", {"id": connection["VpnConnectionId"], "where": where}),
        tunnels=tuple(tunnel_of(o) for o in ordered),
        outside_addresses=tuple(o["OutsideIpAddress"] for o in ordered),
        customer_gateway_ip=gateway["IpAddress"],
        static_routes_only=bool(options.get("StaticRoutesOnly")),
        static_routes=tuple(ipaddress.ip_network(r) for r in routes),
        local_network_cidr=ipaddress.ip_network(options.get("LocalIpv4NetworkCidr", "0.0.0.0/0")),
        remote_network_cidr=ipaddress.ip_network(options.get("RemoteIpv4NetworkCidr", "0.0.0.0/0")),
        customer_gateway_asn=int(gateway.get("BgpAsn") or 65000),
        amazon_side_asn=64512,  # the caller's: its gateway's
        aws_networks=(lab.aws.vpc_cidr,),
    )
