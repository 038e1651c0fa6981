"""One cdktf stack per lab: wires the constructs and declares the driver's outputs."""

from pathlib import Path

from cdktf import LocalBackend, TerraformOutput, TerraformStack
from constructs import Construct

from driver.lab.model import Lab
from modules.ami import amazon_linux_2023
from modules.aws import resource
from modules.aws_vpc import AwsVpc
from modules.endpoints import SsmEndpoints
from modules.firewall import FirewallAppliance
from modules.instance_role import InstanceRole
from modules.naming import Naming
from modules.onprem_vpc import OnPremVpc
from modules.reachability_paths import ReachabilityPaths
from modules.test_hosts import TestHost
from modules.vpn import Vpn
from modules.vpn_server import VpnServer, VpnServerAddress

provider = resource("provider")


class LabStack(TerraformStack):
    def __init__(self, scope: Construct, lab: Lab, build_dir: Path):
        super().__init__(scope, lab.name)
        naming = Naming(lab)
        # Relative: state lives in whatever directory Terraform runs in (the
        # driver's per-lab state directory, or the HCL hand-off directory).
        LocalBackend(self, path="terraform.tfstate")
        provider.AwsProvider(self, "aws", region=lab.region)
        zone = f"{lab.region}a"
        ami = amazon_linux_2023(self)

        aws = AwsVpc(self, "aws-side", lab, naming, zone)
        onprem = OnPremVpc(self, "onprem-side", lab, naming, zone)
        address = VpnServerAddress(self, "vpn-server-address", naming)
        vpn = Vpn(
            self,
            "vpn",
            lab,
            naming,
            aws_vpc_id=aws.vpc.id,
            aws_route_table_id=aws.private_route_table.id,
            customer_ip=address.eip.public_ip,
        )
        server = VpnServer(
            self,
            "vpn-server",
            lab,
            naming,
            address=address,
            vpc_id=onprem.vpc.id,
            subnet_id=onprem.public_subnet.id,
            private_route_table_id=onprem.private_route_table.id,
            ami=ami,
            tunnel_addresses=vpn.tunnel_addresses,
            parameter_arns=[p.arn for p in vpn.psk_parameters + vpn.address_parameters],
            build_dir=build_dir,
        )
        test_role = InstanceRole(self, "test-host-role", naming, "test-host")
        hosts = {
            side: TestHost(
                self,
                f"{side}-test-host",
                lab,
                naming,
                side=side,
                host=cfg.test_host,
                vpc_id=vpc.vpc.id,
                subnet_id=vpc.private_subnet.id,
                ami=ami,
                instance_profile=test_role.profile.name,
                build_dir=build_dir,
            )
            for side, cfg, vpc in (("aws", lab.aws, aws), ("onprem", lab.onprem, onprem))
        }
        if lab.firewall:
            FirewallAppliance(
                self,
                "firewall",
                lab,
                naming,
                vpc_id=aws.vpc.id,
                zone=zone,
                private_route_table_id=aws.private_route_table.id,
                vgw_id=vpn.attached_vgw_id,
                ami=ami,
                instance_profile=test_role.profile.name,
                build_dir=build_dir,
            )
        for side, cfg, vpc in (("aws", lab.aws, aws), ("onprem", lab.onprem, onprem)):
            SsmEndpoints(
                self,
                f"{side}-ssm-endpoints",
                naming,
                side=side,
                region=lab.region,
                vpc_id=vpc.vpc.id,
                vpc_cidr=str(cfg.vpc_cidr),
                subnet_id=vpc.private_subnet.id,
            )
        paths = ReachabilityPaths(
            self,
            "reachability",
            lab,
            naming,
            aws_test_instance=hosts["aws"].instance.id,
            vgw=vpn.vgw.id,
            onprem_test_instance=hosts["onprem"].instance.id,
            vpn_server_interface=server.instance.primary_network_interface_id,
        )

        outputs = {
            "vpn_connection_id": vpn.connection.id,
            "vpn_gateway_id": vpn.vgw.id,
            "customer_gateway_id": vpn.cgw.id,
            "tunnel1_address": vpn.connection.tunnel1_address,
            "tunnel2_address": vpn.connection.tunnel2_address,
            "vpn_server_public_ip": address.eip.public_ip,
            "vpn_server_instance_id": server.instance.id,
            "vpn_server_private_ip": server.instance.private_ip,
            "vpn_server_interface_id": server.instance.primary_network_interface_id,
            "aws_test_instance_id": hosts["aws"].instance.id,
            "aws_test_private_ip": hosts["aws"].instance.private_ip,
            "onprem_test_instance_id": hosts["onprem"].instance.id,
            "onprem_test_private_ip": hosts["onprem"].instance.private_ip,
            "path_aws_to_vgw_id": paths.aws_to_vgw.id,
            "path_onprem_to_vpn_server_id": paths.onprem_to_server.id,
        }
        for name, value in outputs.items():
            TerraformOutput(self, name, value=value)
        TerraformOutput(
            self,
            "psk_parameter_names",
            value=[p.name for p in vpn.psk_parameters],
            description="SSM SecureString parameters holding the tunnel keys",
        )
