"""Gateway route tables (ingress routing), where moto 5.2.5 falls short:
``AssociateRouteTable`` with a virtual private gateway is stored, but
``DescribeRouteTables`` names only subnets and internet gateways in its
associations. AWS answers ``GatewayId: vgw-…``, and the local data plane and
Reachability Analyzer read the VGW's gateway route table from it."""

from __future__ import annotations

from moto.ec2.models import route_tables

_original_associations = route_tables.RouteTable.associations


def _associations_with_vgws(self) -> list[dict]:
    items = _original_associations.fget(self)
    named = {item["RouteTableAssociationId"] for item in items if "GatewayId" in item}
    for item in items:
        target = self._associations.get(item["RouteTableAssociationId"], "")
        if target.startswith("vgw-") and item["RouteTableAssociationId"] not in named:
            item["GatewayId"] = target
    return items


def install() -> None:
    route_tables.RouteTable.associations = property(_associations_with_vgws)
