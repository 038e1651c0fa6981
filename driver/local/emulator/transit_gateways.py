"""Transit Gateway route tables as AWS keeps them, where moto 5.2.5 does not
(Amazon EC2 API reference: CreateTransitGateway, GetTransitGatewayRouteTable-
Associations/-Propagations, SearchTransitGatewayRoutes; Transit Gateways guide,
"Route evaluation order").

* A new attachment (a VPC's, or the one ``CreateVpnConnection`` makes on a Transit
  Gateway) follows the gateway's ``DefaultRouteTableAssociation`` and
  ``DefaultRouteTablePropagation``: associated with the default table and
  propagating into it when enabled, neither when disabled. moto associates every
  attachment with the default table, lists VPN attachments in none, and never
  propagates.
* An attachment's ``Association`` is the one the route tables hold (moto kept the
  default table after a disassociation); a deleted attachment leaves its tables
  and stays describable as ``deleted`` for a while, as on AWS (the provider's
  delete waits for that state).
* A static route names its attachment (moto's answer dropped it); a VPC attachment
  keeps its tags.
* Propagation becomes routes: a VPC attachment propagates its VPC's CIDR; a VPN
  attachment with BGP what the Transit Gateway learned over it (a static VPN's
  routes are the table's static routes, as AWS asks). For one destination the table
  holds the route AWS would use: static over VPC-propagated over VPN-propagated;
  equal VPN routes from several connections are one route over all of them with
  ``VpnEcmpSupport``, over the first without.
"""

from __future__ import annotations

from moto.ec2.models import transit_gateway_attachments as attachments_module
from moto.ec2.models import transit_gateway_route_tables as tables_module
from moto.ec2.responses import EC2Response

from driver.local.emulator import route_propagation

Attachments = attachments_module.TransitGatewayAttachmentBackend
Tables = tables_module.TransitGatewayRouteTableBackend
# After the longest prefix, lower wins (the guide's order).
PRIORITY = {"static": 0, "vpc": 1, "vpn": 2}

_create_vpn_attachment = Attachments.create_transit_gateway_vpn_attachment
_create_vpc_attachment = Attachments.create_transit_gateway_vpc_attachment
_search_routes = Tables.search_transit_gateway_routes
_delete_route = Tables.delete_transit_gateway_route
_create_vpc_attachment_response = EC2Response.create_transit_gateway_vpc_attachment
_associations = Tables.get_transit_gateway_route_table_associations
_propagations = Tables.get_transit_gateway_route_table_propagations


def _with_defaults(backend, attachment):
    """The gateway's default association and propagation, as AWS applies them."""
    options = backend.transit_gateways[attachment.transit_gateway_id].options
    table = options.get("AssociationDefaultRouteTableId")
    if attachment.id in backend.transit_gateways_route_tables[table].route_table_associations:
        backend.unset_route_table_association(table, attachment.id)  # moto's own, undone
    attachment.transit_gateway_route_table = None
    if options.get("DefaultRouteTableAssociation") == "enable":
        backend.associate_transit_gateway_route_table(attachment.id, table)
    if options.get("DefaultRouteTablePropagation") == "enable":
        backend.enable_transit_gateway_route_table_propagation(
            attachment.id, options["PropagationDefaultRouteTableId"]
        )
    return attachment


def create_transit_gateway_vpn_attachment(self, *args, **kwargs):
    return _with_defaults(self, _create_vpn_attachment(self, *args, **kwargs))


def create_transit_gateway_vpc_attachment(self, *args, **kwargs):
    deleted = {k: a for k, a in self.transit_gateway_attachments.items() if a.state == "deleted"}
    for key in deleted:  # moto would take a deleted attachment of the VPC for a duplicate
        del self.transit_gateway_attachments[key]
    try:
        return _with_defaults(self, _create_vpc_attachment(self, *args, **kwargs))
    finally:
        self.transit_gateway_attachments.update(deleted)


def create_vpc_attachment_response(self):
    """The attachment keeps the tags it was created with: moto reads them from the
    route table's tag specification (a typo), so leak checks by tag missed it."""
    result = _create_vpc_attachment_response(self)
    tags = self._parse_tag_specification().get("transit-gateway-attachment", {})
    result.result["TransitGatewayVpcAttachment"].add_tags(tags)
    return result


def _tags(self) -> list[dict[str, str]]:
    return self.get_tags()  # the answer's Tags (moto's attachments had none to give)


def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id: str):
    """Deleted, it leaves its route tables and stays describable as ``deleted`` (the
    provider waits for that state; moto forgot the attachment at once)."""
    attachment = self.transit_gateway_attachments[transit_gateway_attachment_id]
    relation = self.transit_gateway_associations.get(attachment.id)
    if relation is not None:
        self.disassociate_transit_gateway_route_table(
            attachment.id, relation.transit_gateway_route_table_id
        )
    for table in self.transit_gateways_route_tables.values():
        table.route_table_propagation = [
            p
            for p in table.route_table_propagation
            if p.transitGatewayAttachmentId != attachment.id
        ]
    attachment.state = "deleted"
    return attachment


def _association(self) -> dict[str, str] | None:
    relation = self.ec2_backend.transit_gateway_associations.get(self.id)
    if self.state == "deleted" or relation is None or relation.state != "associated":
        return None
    return {
        "State": "associated",
        "TransitGatewayRouteTableId": relation.transit_gateway_route_table_id,
    }


def get_transit_gateway_route_table_associations(self, table_ids, filters=None):
    return [
        a
        for a in _associations(self, table_ids, filters)
        if _live(self, a.transitGatewayAttachmentId)
    ]


def get_transit_gateway_route_table_propagations(self, table_id, filters=None):
    return [
        p
        for p in _propagations(self, table_id, filters)
        if _live(self, p.transitGatewayAttachmentId)
    ]


def _live(backend, attachment_id: str) -> bool:
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    return attachment is not None and attachment.state != "deleted"


def search_transit_gateway_routes(self, transit_gateway_route_table_id, filters, max_results=None):
    table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
    if table is None:
        return []
    own = dict(table.routes)
    try:
        table.routes = {**_propagated(self, table, exclude=set(own)), **_listed(own)}
        return _search_routes(self, transit_gateway_route_table_id, filters, max_results)
    finally:
        table.routes = own


def _listed(routes: dict[str, dict]) -> dict[str, dict]:
    """moto keeps a static route's attachment as one mapping where AWS answers a list
    (TransitGatewayRoute.TransitGatewayAttachments): the answer drops it otherwise."""
    out = {}
    for cidr, route in routes.items():
        target = route.get("transitGatewayAttachments")
        out[cidr] = (
            {**route, "transitGatewayAttachments": [target]} if isinstance(target, dict) else route
        )
    return out


def _propagated(backend, table, exclude: set[str]) -> dict[str, dict]:
    """The routes propagation gives the table, one per destination (AWS's choice)."""
    offers: dict[str, list[tuple[int, object]]] = {}
    for propagation in table.route_table_propagation:
        attachment = backend.transit_gateway_attachments.get(propagation.transitGatewayAttachmentId)
        if attachment is None or attachment.state == "deleted":
            continue
        for cidr, kind in _offered(backend, attachment):
            offers.setdefault(cidr, []).append((PRIORITY[kind], attachment))
    gateway = backend.transit_gateways.get(table.transit_gateway_id)
    ecmp = gateway is not None and gateway.options.get("VpnEcmpSupport") == "enable"
    routes = {}
    for cidr, offered in offers.items():
        if cidr in exclude:
            continue  # a static route for this destination wins
        best = min(rank for rank, _ in offered)
        chosen = [a for rank, a in offered if rank == best]
        if not (ecmp and best == PRIORITY["vpn"]):
            chosen = chosen[:1]
        routes[cidr] = {
            "destinationCidrBlock": cidr,
            "prefixListId": None,
            "state": "active",
            "type": "propagated",
            "transitGatewayAttachments": [_target(a) for a in chosen],
        }
    return routes


def _offered(backend, attachment) -> list[tuple[str, str]]:
    if attachment.resource_type == "vpc":
        vpc = backend.vpcs.get(attachment.resource_id)
        return [(vpc.cidr_block, "vpc")] if vpc is not None else []
    if attachment.resource_type == "vpn":
        connection = backend.vpn_connections.get(attachment.resource_id)
        if connection is None or connection.state == "deleted":
            return []
        if (connection.options or {}).get("StaticRoutesOnly", False):
            return []  # a static VPN's routes are the table's static routes
        return [(cidr, "vpn") for cidr in route_propagation.learned_routes(connection)]
    return []


def _target(attachment) -> dict[str, str]:
    return {
        "resourceId": attachment.resource_id,
        "resourceType": attachment.resource_type,
        "transitGatewayAttachmentId": attachment.id,
    }


def delete_transit_gateway_route(self, transit_gateway_route_table_id, destination_cidr_block):
    """A route that is not there is AWS's ``InvalidRoute.NotFound`` (moto failed with
    a KeyError, an HTTP 500): the provider's destroy takes that for already gone."""
    from moto.ec2.exceptions import EC2ClientError

    table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
    if table is None:
        raise EC2ClientError(
            "InvalidRouteTableID.NotFound",
            f"The transitGatewayRouteTable ID '{transit_gateway_route_table_id}' does not exist",
        )
    if destination_cidr_block not in table.routes:
        raise EC2ClientError(
            "InvalidRoute.NotFound",
            f"No route with destination-cidr-block {destination_cidr_block} in "
            f"Transit Gateway Route Table {transit_gateway_route_table_id}",
        )
    return _delete_route(self, transit_gateway_route_table_id, destination_cidr_block)


def install(patch=setattr) -> None:
    """``patch``: how to set each attribute (a test passes pytest's, which undoes it)."""
    patch(
        Attachments, "create_transit_gateway_vpn_attachment", create_transit_gateway_vpn_attachment
    )
    patch(
        Attachments, "create_transit_gateway_vpc_attachment", create_transit_gateway_vpc_attachment
    )
    patch(attachments_module.TransitGatewayAttachment, "association", property(_association))
    patch(attachments_module.TransitGatewayAttachment, "tags", property(_tags))
    patch(
        Tables,
        "get_transit_gateway_route_table_associations",
        get_transit_gateway_route_table_associations,
    )
    patch(
        Tables,
        "get_transit_gateway_route_table_propagations",
        get_transit_gateway_route_table_propagations,
    )
    patch(Tables, "search_transit_gateway_routes", search_transit_gateway_routes)
    patch(Tables, "delete_transit_gateway_route", delete_transit_gateway_route)
    patch(
        Attachments, "delete_transit_gateway_vpc_attachment", delete_transit_gateway_vpc_attachment
    )
    patch(EC2Response, "create_transit_gateway_vpc_attachment", create_vpc_attachment_response)
