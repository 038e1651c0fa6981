"""The optional firewall appliance in the AWS VPC (the seed's appendix).

The private subnet routes 0.0.0.0/0 to it; its own subnet learns the VPN's
routes from the VGW; with ``ingress_route``, a gateway route table on the
VGW sends traffic for the private subnet through it. Whether both directions
then pass it is what `vpnlab lint` traces (driver/analysis/path_analysis.py).
"""

from constructs import Construct

from driver.lab import security_groups
from driver.lab.model import Lab
from driver.render.cloud_init import firewall_user_data
from modules.aws import resource
from modules.instance import anything_out, hardened_instance
from modules.naming import Naming
from modules.user_data import user_data

subnet = resource("subnet")
security_group = resource("security_group")
route_table = resource("route_table")
route = resource("route")
route_table_association = resource("route_table_association")
vpn_gateway_route_propagation = resource("vpn_gateway_route_propagation")


class FirewallAppliance(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        vpc_id: str,
        zone: str,
        private_route_table_id: str,
        vgw_id: str,
        ami: str,
        instance_profile: str,
        build_dir,
    ):
        super().__init__(scope, id_)
        fw = lab.firewall
        self.subnet = subnet.Subnet(
            self,
            "subnet",
            vpc_id=vpc_id,
            cidr_block=str(fw.subnet_cidr),
            availability_zone=zone,
            tags=naming.tags("firewall"),
        )
        group = security_groups.firewall(lab)  # what the local data plane enforces
        self.security_group = security_group.SecurityGroup(
            self,
            "sg",
            name=naming.name("firewall"),
            vpc_id=vpc_id,
            description=group.description,
            ingress=[
                security_group.SecurityGroupIngress(
                    protocol="-1",
                    from_port=0,
                    to_port=0,
                    cidr_blocks=[r.cidr for r in group.ingress],
                    description=group.ingress[0].description,
                )
            ],
            egress=[anything_out()],
            tags=naming.tags("firewall"),
        )
        self.instance = hardened_instance(
            self,
            "instance",
            ami=ami,
            instance_type=fw.instance_type,
            subnet_id=self.subnet.id,
            vpc_security_group_ids=[self.security_group.id],
            source_dest_check=False,  # it forwards packets that are not its own
            iam_instance_profile=instance_profile,
            user_data=user_data(self, "firewall", firewall_user_data(lab), build_dir, {}),
            tags=naming.tags("firewall"),
        )
        interface = self.instance.primary_network_interface_id

        table = route_table.RouteTable(self, "rt", vpc_id=vpc_id, tags=naming.tags("firewall-rt"))
        route_table_association.RouteTableAssociation(
            self, "rta", subnet_id=self.subnet.id, route_table_id=table.id
        )
        vpn_gateway_route_propagation.VpnGatewayRoutePropagation(
            self, "propagation", vpn_gateway_id=vgw_id, route_table_id=table.id
        )
        route.Route(
            self,
            "private-default",
            route_table_id=private_route_table_id,
            destination_cidr_block="0.0.0.0/0",
            network_interface_id=interface,
        )
        if fw.ingress_route:
            edge = route_table.RouteTable(
                self, "vgw-edge-rt", vpc_id=vpc_id, tags=naming.tags("vgw-edge-rt")
            )
            route_table_association.RouteTableAssociation(
                self, "vgw-edge", gateway_id=vgw_id, route_table_id=edge.id
            )
            route.Route(
                self,
                "vgw-edge-to-firewall",
                route_table_id=edge.id,
                destination_cidr_block=str(lab.aws.private_subnet_cidr),
                network_interface_id=interface,
            )
