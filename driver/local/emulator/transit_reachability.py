"""Reachability Analyzer's hops through a Transit Gateway, to one of its attachments
(a site's VPN attachment): what driver/local/emulator/reachability_answers.py asks
when a path's destination is ``tgw-attach-…``.

Read from what the emulator's Describe calls return, as AWS's analyzer reads the
configuration (it sends no packet):

* the source subnet's route table sends the destination address to the gateway
  (the VPC part, traced by reachability_answers.py);
* the source's VPC is attached to that gateway, the attachment available;
* the attachment is associated with a route table of the gateway;
* that table's longest prefix for the destination address goes to the destination
  attachment: not a blackhole, not another attachment.

Each block is named with AWS's explanation code (docs.aws.amazon.com/vpc/latest/
reachability/explanation-codes.html): TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION,
TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT (no route, or only to other attachments),
TGW_RTB_MORE_SPECIFIC_ROUTE (a route to the destination loses to a longer prefix
going elsewhere, a blackhole included), TGW_RTB_BAD_STATE_ROUTE (the one route that
matches is a blackhole); a VPC not attached, BAD_STATE_ATTACHMENT.

Not modelled: the return path, ECMP's choice among several attachments (any of them
reaching the destination will do), appliance mode, Connect and peering attachments.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

GONE = ("deleted", "deleting", "failed", "rejected")


@dataclass
class TransitView:
    """The gateway's attachments (by ID) and, per route table, its routes as
    SearchTransitGatewayRoutes answers them (active and blackhole)."""

    attachments: dict[str, dict]
    routes: dict[str, list[dict]]

    @classmethod
    def load(cls, ec2) -> TransitView:
        attachments = {
            a["TransitGatewayAttachmentId"]: a
            for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
            if a["State"] not in GONE
        }
        tables = ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]
        routes = {
            t["TransitGatewayRouteTableId"]: ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=t["TransitGatewayRouteTableId"],
                Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
            )["Routes"]
            for t in tables
            if t["State"] not in GONE
        }
        return cls(attachments, routes)

    def vpc_attachment(self, gateway_id: str, vpc_id: str) -> dict | None:
        return next(
            (
                a
                for a in self.attachments.values()
                if a["TransitGatewayId"] == gateway_id
                and a["ResourceType"] == "vpc"
                and a["ResourceId"] == vpc_id
            ),
            None,
        )


@dataclass
class TransitHops:
    components: list[str]  # in path order, after the source VPC's route table
    explanations: list[dict]


def hops(
    view: TransitView, gateway_id: str, vpc_id: str, destination: str, address: str
) -> TransitHops:
    """From the source VPC, through gateway ``gateway_id``, to attachment ``destination``
    for packets to ``address``: the components crossed and what blocks them."""
    attachment = view.vpc_attachment(gateway_id, vpc_id)
    if attachment is None or attachment["State"] != "available":
        code = {
            "ExplanationCode": "BAD_STATE_ATTACHMENT",
            "Component": {"Id": gateway_id},
            "Vpc": {"Id": vpc_id},
        }
        if attachment is not None:
            code["TransitGatewayAttachment"] = {"Id": attachment["TransitGatewayAttachmentId"]}
        return TransitHops([gateway_id], [code])
    source = attachment["TransitGatewayAttachmentId"]
    table_id = (attachment.get("Association") or {}).get("TransitGatewayRouteTableId")
    components = [source, gateway_id]
    if table_id is None or table_id not in view.routes:
        code = {
            "ExplanationCode": "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            "TransitGatewayAttachment": {"Id": source},
            "TransitGateway": {"Id": gateway_id},
        }
        return TransitHops(components, [code])
    components.append(table_id)
    routes = view.routes[table_id]
    address = ipaddress.ip_address(address)
    best = _longest_match(routes, address)
    to_destination = [r for r in routes if destination in _targets(r) and _holds(r, address)]
    where = {
        "TransitGatewayRouteTable": {"Id": table_id},
        "TransitGatewayAttachment": {"Id": destination},
    }
    if best is not None and best["State"] == "active" and destination in _targets(best):
        return TransitHops([*components, destination], [])
    if best is None or (best["State"] == "active" and not to_destination):
        code = "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT"  # none, or all to other attachments
    elif to_destination:
        code = "TGW_RTB_MORE_SPECIFIC_ROUTE"  # a longer prefix goes elsewhere, or nowhere
    else:
        code = "TGW_RTB_BAD_STATE_ROUTE"  # the route that matches is a blackhole
    if best is not None:
        where["TransitGatewayRouteTableRoute"] = _route_component(best)
    return TransitHops(components, [{"ExplanationCode": code, **where}])


def _targets(route: dict) -> list[str]:
    return [a["TransitGatewayAttachmentId"] for a in route.get("TransitGatewayAttachments", [])]


def _holds(route: dict, address) -> bool:
    return address in ipaddress.ip_network(route["DestinationCidrBlock"])


def _longest_match(routes: list[dict], address) -> dict | None:
    matching = [r for r in routes if address in ipaddress.ip_network(r["DestinationCidrBlock"])]
    return max(
        matching,
        key=lambda r: ipaddress.ip_network(r["DestinationCidrBlock"]).prefixlen,
        default=None,
    )


def _route_component(route: dict) -> dict:
    attachments = route.get("TransitGatewayAttachments") or [{}]
    return {
        "DestinationCidr": route["DestinationCidrBlock"],
        "State": route["State"],
        "RouteOrigin": route.get("Type", "static"),
        **({"AttachmentId": attachments[0]["TransitGatewayAttachmentId"]}
           if attachments[0] else {}),
    }  # fmt: skip
