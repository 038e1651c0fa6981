"""A VPC attached to the Transit Gateway: its private subnet (the test host's and
the attachment's), its route table with a route to the gateway for every other
network of the lab (what a BGP site advertises too), and the attachment itself."""

from constructs import Construct

from driver.lab import transit_routes
from driver.lab.model import AttachedVpc, Lab
from modules.aws import resource
from modules.naming import Naming

vpc = resource("vpc")
subnet = resource("subnet")
route_table = resource("route_table")
route = resource("route")
route_table_association = resource("route_table_association")
vpc_attachment = resource("ec2_transit_gateway_vpc_attachment")


class TransitVpc(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        entry: AttachedVpc,
        naming: Naming,
        *,
        zone: str,
        transit_gateway_id: str,
    ):
        super().__init__(scope, id_)
        self.vpc = vpc.Vpc(
            self,
            "vpc",
            cidr_block=str(entry.vpc_cidr),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=naming.tags("vpc"),
        )
        self.private_subnet = subnet.Subnet(
            self,
            "private",
            vpc_id=self.vpc.id,
            cidr_block=str(entry.private_subnet_cidr),
            availability_zone=zone,
            tags=naming.tags("private"),
        )
        self.private_route_table = route_table.RouteTable(
            self, "private-rt", vpc_id=self.vpc.id, tags=naming.tags("private-rt")
        )
        route_table_association.RouteTableAssociation(
            self,
            "private-rta",
            subnet_id=self.private_subnet.id,
            route_table_id=self.private_route_table.id,
        )
        name = f"vpc:{entry.name}"
        gateway = lab.transit_gateway
        self.attachment = vpc_attachment.Ec2TransitGatewayVpcAttachment(
            self,
            "attachment",
            transit_gateway_id=transit_gateway_id,
            vpc_id=self.vpc.id,
            subnet_ids=[self.private_subnet.id],
            # The gateway's defaults, unless a route table names this VPC.
            transit_gateway_default_route_table_association=(
                transit_routes.association(lab, name) == transit_routes.DEFAULT
            ),
            transit_gateway_default_route_table_propagation=gateway.default_route_table_propagation,
            tags=naming.tags("tgw-attachment"),
        )
        for cidr in transit_routes.networks_beyond(lab, name):
            route.Route(
                self,
                f"to-{str(cidr).replace('/', '-').replace('.', '-')}",
                route_table_id=self.private_route_table.id,
                destination_cidr_block=str(cidr),
                transit_gateway_id=transit_gateway_id,
                depends_on=[self.attachment],  # EC2 refuses a route to a gateway not attached
            )
