"""The Transit Gateway, its route tables, and what the lab puts in them:
associations, propagations, static and blackhole routes.

The default route table is the gateway's own (``association_default_route_table_id``).
A site's VPN attachment is created by its VPN connection and takes the gateway's
defaults; naming it in another table replaces that association, as AWS allows.
The lab's convention for a static site (driver/lab/transit_routes.py): its
``vpn.static_routes`` are static routes to it in every table it propagates to.
"""

from constructs import Construct

from driver.lab import transit_routes
from driver.lab.model import Lab
from modules.aws import resource
from modules.naming import Naming

transit_gateway = resource("ec2_transit_gateway")
route_table = resource("ec2_transit_gateway_route_table")
association = resource("ec2_transit_gateway_route_table_association")
propagation = resource("ec2_transit_gateway_route_table_propagation")
tgw_route = resource("ec2_transit_gateway_route")


def _switch(on: bool) -> str:
    return "enable" if on else "disable"


class TransitGateway(Construct):
    def __init__(self, scope: Construct, id_: str, lab: Lab, naming: Naming):
        super().__init__(scope, id_)
        gateway = lab.transit_gateway
        self.gateway = transit_gateway.Ec2TransitGateway(
            self,
            "tgw",
            amazon_side_asn=gateway.amazon_side_asn,
            vpn_ecmp_support=_switch(gateway.ecmp),
            default_route_table_association=_switch(gateway.default_route_table_association),
            default_route_table_propagation=_switch(gateway.default_route_table_propagation),
            description=f"vpnlab lab {lab.name}",
            tags=naming.tags("tgw"),
        )
        self.tables = {transit_routes.DEFAULT: self.gateway.association_default_route_table_id}
        for table in gateway.route_tables:
            self.tables[table.name] = route_table.Ec2TransitGatewayRouteTable(
                self,
                f"rt-{table.name}",
                transit_gateway_id=self.gateway.id,
                tags=naming.tags("tgw-rt", table.name),
            ).id

    def wire(self, lab: Lab, attachment_ids: dict[str, str]) -> None:
        """The lab's associations, propagations and routes, once every attachment exists
        (``attachment_ids``: ``site:<name>``/``vpc:<name>`` to its attachment's ID)."""
        gateway = lab.transit_gateway
        for table in gateway.route_tables:
            for name in table.associations:
                association.Ec2TransitGatewayRouteTableAssociation(
                    self,
                    f"assoc-{table.name}-{_id(name)}",
                    transit_gateway_attachment_id=attachment_ids[name],
                    transit_gateway_route_table_id=self.tables[table.name],
                    # A VPN attachment starts in the default table when defaults are on.
                    replace_existing_association=gateway.default_route_table_association,
                )
            for name in table.propagations:
                propagation.Ec2TransitGatewayRouteTablePropagation(
                    self,
                    f"prop-{table.name}-{_id(name)}",
                    transit_gateway_attachment_id=attachment_ids[name],
                    transit_gateway_route_table_id=self.tables[table.name],
                )
        for table, table_id in self.tables.items():
            for route in transit_routes.routes(lab, table):
                if route.kind != "static":
                    continue  # propagated: the gateway makes those
                target = (
                    {"blackhole": True}
                    if route.attachment is None
                    else {"transit_gateway_attachment_id": attachment_ids[route.attachment]}
                )
                tgw_route.Ec2TransitGatewayRoute(
                    self,
                    f"route-{table}-{_id(str(route.cidr))}",
                    destination_cidr_block=str(route.cidr),
                    transit_gateway_route_table_id=table_id,
                    **target,
                )


def _id(text: str) -> str:
    """A Terraform name part from an attachment name or a CIDR."""
    return text.replace(":", "-").replace("/", "-").replace(".", "-")
