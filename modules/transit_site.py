"""One on-premises site of a Transit Gateway lab, built as a VGW lab builds its
on-prem side: its VPC, its VPN server (the customer gateway, with its Elastic IP),
its test host and SSM endpoints, and its own VPN connection on the Transit Gateway.

The site's resources are named ``<lab>-<site>-…`` and its VPN server's parameters
live under ``/vpnlab/<lab>/<site>/``: the code that renders one connection reads
the site's view of the lab (driver/lab/transit_routes.py ``site_view``), named
``<lab>/<site>``. A "/" no lab name holds: lab ``tgw-tokyo``'s parameters are never
lab ``tgw``'s site ``tokyo``'s, and the lab's path holds all its sites' (the leak
check and ``--force-cleanup`` read ``/vpnlab/<lab>/``).
"""

import dataclasses

from constructs import Construct

from driver.lab import security_groups, transit_routes
from driver.lab.model import Lab
from modules.aws import resource
from modules.endpoints import SsmEndpoints
from modules.naming import Naming
from modules.onprem_vpc import OnPremVpc
from modules.test_hosts import TestHost
from modules.vpn import connection, server_parameters
from modules.vpn_server import VpnServer, VpnServerAddress

customer_gateway = resource("customer_gateway")


def site_lab(lab: Lab, index: int) -> Lab:
    """The site's view of the lab, named ``<lab>/<site>`` (its parameters' path)."""
    view = transit_routes.site_view(lab, index)
    return dataclasses.replace(view, name=f"{lab.name}/{lab.sites[index].name}")


class TransitSite(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        index: int,
        naming: Naming,
        *,
        zone: str,
        ami: str,
        transit_gateway_id: str,
        test_host_profile: str,
        build_dir,
    ):
        super().__init__(scope, id_)
        site, view = lab.sites[index], site_lab(lab, index)
        naming = naming.within(site.name)
        onprem = OnPremVpc(self, "onprem", view, naming, zone)
        address = VpnServerAddress(self, "vpn-server-address", naming)
        self.cgw = customer_gateway.CustomerGateway(
            self,
            "cgw",
            bgp_asn=str(site.vpn.customer_gateway_asn),
            ip_address=address.eip.public_ip,
            type="ipsec.1",
            tags=naming.tags("cgw"),
        )
        self.connection = connection(
            self,
            view,
            gateway={
                "transit_gateway_id": transit_gateway_id,
                **({"enable_acceleration": True} if site.acceleration else {}),
            },
            cgw_id=self.cgw.id,
            naming=naming,
            variable_prefix=site.name,
        )
        self.psk_parameters, address_parameters = server_parameters(
            self, view, naming, self.connection
        )
        self.server = VpnServer(
            self,
            "vpn-server",
            view,
            naming,
            address=address,
            vpc_id=onprem.vpc.id,
            subnet_id=onprem.public_subnet.id,
            private_route_table_id=onprem.private_route_table.id,
            ami=ami,
            tunnel_addresses=[self.connection.tunnel1_address, self.connection.tunnel2_address],
            parameter_arns=[p.arn for p in self.psk_parameters + address_parameters],
            build_dir=build_dir,
            template=f"{site.name}-vpn-server",
            aws_networks=transit_routes.routed_to(lab, f"site:{site.name}"),
        )
        self.address = address
        self.test_host = TestHost(
            self,
            "test-host",
            view,
            naming,
            side="onprem",
            host=site.onprem.test_host,
            vpc_id=onprem.vpc.id,
            subnet_id=onprem.private_subnet.id,
            ami=ami,
            instance_profile=test_host_profile,
            build_dir=build_dir,
            group=security_groups.transit_test_host(
                lab, f"site:{site.name}", site.onprem.test_host
            ),
            template=f"{site.name}-test-host",
        )
        SsmEndpoints(
            self,
            "ssm-endpoints",
            naming,
            side="onprem",
            region=lab.region,
            vpc_id=onprem.vpc.id,
            vpc_cidr=str(site.onprem.vpc_cidr),
            subnet_id=onprem.private_subnet.id,
        )
