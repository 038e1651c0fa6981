"""The AWS side: VPC, private subnet and its route table (the seed's 10.0.0.0/16)."""

from constructs import Construct

from driver.lab.model import Lab
from modules.aws import resource
from modules.naming import Naming

vpc = resource("vpc")
subnet = resource("subnet")
route_table = resource("route_table")
route_table_association = resource("route_table_association")


class AwsVpc(Construct):
    def __init__(self, scope: Construct, id_: str, lab: Lab, naming: Naming, zone: str):
        super().__init__(scope, id_)
        side = lab.aws
        self.vpc = vpc.Vpc(
            self,
            "vpc",
            cidr_block=str(side.vpc_cidr),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=naming.tags("aws-vpc"),
        )
        self.private_subnet = subnet.Subnet(
            self,
            "private",
            vpc_id=self.vpc.id,
            cidr_block=str(side.private_subnet_cidr),
            availability_zone=zone,
            tags=naming.tags("aws-private"),
        )
        # Routes to on-prem are propagated from the virtual private gateway (vpn.py).
        self.private_route_table = route_table.RouteTable(
            self, "private-rt", vpc_id=self.vpc.id, tags=naming.tags("aws-private-rt")
        )
        route_table_association.RouteTableAssociation(
            self,
            "private-rta",
            subnet_id=self.private_subnet.id,
            route_table_id=self.private_route_table.id,
        )
