"""The strongSwan VPN server: Elastic IP, security group, instance, on-prem route.

The Elastic IP is created first (``VpnServerAddress``): the customer gateway
needs its address before the VPN connection exists. The instance does not
wait for the VPN connection: it builds strongSwan while AWS provisions the
connection, and reads the tunnel addresses and keys from SSM when they exist.
Only the security group rules name the tunnel addresses.
"""

from constructs import Construct

from driver.lab import security_groups
from driver.lab.model import Lab
from driver.render.cloud_init import ServerValues, vpn_server_user_data
from modules.aws import resource
from modules.instance import hardened_instance
from modules.instance_role import InstanceRole
from modules.naming import Naming
from modules.user_data import user_data

eip = resource("eip")
eip_association = resource("eip_association")
security_group = resource("security_group")
ingress_rule = resource("vpc_security_group_ingress_rule")
egress_rule = resource("vpc_security_group_egress_rule")
route = resource("route")


class VpnServerAddress(Construct):
    def __init__(self, scope: Construct, id_: str, naming: Naming):
        super().__init__(scope, id_)
        self.eip = eip.Eip(self, "eip", domain="vpc", tags=naming.tags("vpn-server-eip"))


class VpnServer(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        address: VpnServerAddress,
        vpc_id: str,
        subnet_id: str,
        private_route_table_id: str,
        ami: str,
        tunnel_addresses: list[str],
        parameter_arns: list[str],
        build_dir,
        template: str = "vpn-server",
        aws_networks: tuple = (),
    ):
        """``template``: its user data's file name (unique in a stack); ``aws_networks``:
        a Transit Gateway site's networks across the gateway (ServerValues)."""
        super().__init__(scope, id_)
        self.security_group = security_group.SecurityGroup(
            self,
            "sg",
            name=naming.name("vpn-server"),
            vpc_id=vpc_id,
            description="VPN server: IKE/NAT-T from the two tunnels, forwarding on-prem",
            tags=naming.tags("vpn-server"),
        )
        # Rules as their own resources: the group does not depend on the VPN
        # connection, so on destroy the connection and the instance go in parallel.
        # The rules the local data plane enforces too (driver/lab/security_groups.py).
        group = security_groups.vpn_server(lab, tuple(tunnel_addresses))
        for rule in group.ingress:
            id_ = rule.key
            ingress_rule.VpcSecurityGroupIngressRule(
                self,
                f"in-{id_}",
                security_group_id=self.security_group.id,
                ip_protocol=rule.protocol,
                from_port=rule.port,
                to_port=rule.port,
                cidr_ipv4=rule.cidr,
                description=rule.description,
                tags=naming.tags("vpn-server", id_),
            )
        egress_rule.VpcSecurityGroupEgressRule(
            self,
            "out-all",
            security_group_id=self.security_group.id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            description="anything out",
            tags=naming.tags("vpn-server", "out"),
        )
        role = InstanceRole(self, "role", naming, "vpn-server", readable_parameters=parameter_arns)
        # No tunnel address in user data: the instance does not wait for the VPN
        # connection (it reads the addresses from SSM at boot).
        rendered = vpn_server_user_data(lab, ServerValues.at_boot(aws_networks))
        self.instance = hardened_instance(
            self,
            "instance",
            ami=ami,
            instance_type=lab.onprem.vpn_server.instance_type,
            subnet_id=subnet_id,
            **(
                {"private_ip": str(lab.onprem.vpn_server.private_ip)}
                if lab.onprem.vpn_server.private_ip
                else {}
            ),
            vpc_security_group_ids=[self.security_group.id],
            source_dest_check=False,  # it forwards packets that are not its own
            iam_instance_profile=role.profile.name,
            user_data=user_data(
                self,
                template,
                rendered,
                build_dir,
                {"public_ip": address.eip.public_ip},
            ),
            tags=naming.tags("vpn-server"),
        )
        eip_association.EipAssociation(
            self,
            "eip-association",
            instance_id=self.instance.id,
            allocation_id=address.eip.allocation_id,
        )
        # The seed's on-prem route: the AWS side via the VPN server's interface.
        route.Route(
            self,
            "onprem-to-aws",
            route_table_id=private_route_table_id,
            destination_cidr_block=str(lab.vpn.remote_network_cidr),
            network_interface_id=self.instance.primary_network_interface_id,
        )
