"""The simulated on-premises side: VPC, public and private subnets, internet gateway."""

from constructs import Construct

from driver.lab.model import Lab
from modules.aws import resource
from modules.naming import Naming

vpc = resource("vpc")
subnet = resource("subnet")
internet_gateway = resource("internet_gateway")
route_table = resource("route_table")
route = resource("route")
route_table_association = resource("route_table_association")


class OnPremVpc(Construct):
    def __init__(self, scope: Construct, id_: str, lab: Lab, naming: Naming, zone: str):
        super().__init__(scope, id_)
        side = lab.onprem
        self.vpc = vpc.Vpc(
            self,
            "vpc",
            cidr_block=str(side.vpc_cidr),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=naming.tags("onprem-vpc"),
        )
        self.public_subnet = subnet.Subnet(
            self,
            "public",
            vpc_id=self.vpc.id,
            cidr_block=str(side.public_subnet_cidr),
            availability_zone=zone,
            tags=naming.tags("onprem-public"),
        )
        self.private_subnet = subnet.Subnet(
            self,
            "private",
            vpc_id=self.vpc.id,
            cidr_block=str(side.private_subnet_cidr),
            availability_zone=zone,
            tags=naming.tags("onprem-private"),
        )
        igw = internet_gateway.InternetGateway(
            self, "igw", vpc_id=self.vpc.id, tags=naming.tags("onprem-igw")
        )

        public_rt = route_table.RouteTable(
            self, "public-rt", vpc_id=self.vpc.id, tags=naming.tags("onprem-public-rt")
        )
        route.Route(
            self,
            "public-default",
            route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
        )
        route_table_association.RouteTableAssociation(
            self, "public-rta", subnet_id=self.public_subnet.id, route_table_id=public_rt.id
        )

        # Its route to the AWS CIDR goes to the VPN server's interface (vpn_server.py).
        self.private_route_table = route_table.RouteTable(
            self, "private-rt", vpc_id=self.vpc.id, tags=naming.tags("onprem-private-rt")
        )
        route_table_association.RouteTableAssociation(
            self,
            "private-rta",
            subnet_id=self.private_subnet.id,
            route_table_id=self.private_route_table.id,
        )
