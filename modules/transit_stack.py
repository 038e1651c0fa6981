"""One cdktf stack for a Transit Gateway lab: the gateway and its route tables,
each VPC with its attachment and test host, each site with its VPN connection and
VPN server, then the lab's associations, propagations and routes; and the
driver's outputs, per VPC and per site (``<name>_…``)."""

from pathlib import Path

from cdktf import LocalBackend, TerraformOutput, TerraformStack
from constructs import Construct

from driver.lab import security_groups
from driver.lab.model import Lab
from driver.lab.transit_routes import output_key
from modules.ami import amazon_linux_2023
from modules.aws import resource
from modules.endpoints import SsmEndpoints
from modules.instance_role import InstanceRole
from modules.naming import Naming
from modules.reachability_paths import TransitPaths
from modules.test_hosts import TestHost
from modules.transit_gateway import TransitGateway
from modules.transit_site import TransitSite
from modules.transit_vpc import TransitVpc

provider = resource("provider")


class TransitLabStack(TerraformStack):
    def __init__(self, scope: Construct, lab: Lab, build_dir: Path):
        super().__init__(scope, lab.name)
        naming = Naming(lab)
        LocalBackend(self, path="terraform.tfstate")
        provider.AwsProvider(self, "aws", region=lab.region)
        zone = f"{lab.region}a"
        ami = amazon_linux_2023(self)
        hub = TransitGateway(self, "transit-gateway", lab, naming)
        test_role = InstanceRole(self, "test-host-role", naming, "test-host")
        attachments, outputs = {}, {"transit_gateway_id": hub.gateway.id}
        vpc_hosts: dict[str, str] = {}  # each VPC's test instance
        site_attachments: dict[str, tuple[str, str]] = {}  # each site's attachment, test host
        for entry in lab.vpcs:
            within = naming.within(entry.name)
            vpc = TransitVpc(
                self,
                f"vpc-{entry.name}",
                lab,
                entry,
                within,
                zone=zone,
                transit_gateway_id=hub.gateway.id,
            )
            attachments[f"vpc:{entry.name}"] = vpc.attachment.id
            host = TestHost(
                self,
                f"vpc-{entry.name}-test-host",
                lab,
                within,
                side="aws",
                host=entry.test_host,
                vpc_id=vpc.vpc.id,
                subnet_id=vpc.private_subnet.id,
                ami=ami,
                instance_profile=test_role.profile.name,
                build_dir=build_dir,
                group=security_groups.transit_test_host(lab, f"vpc:{entry.name}", entry.test_host),
                template=f"{entry.name}-test-host",
            )
            SsmEndpoints(
                self,
                f"vpc-{entry.name}-ssm-endpoints",
                within,
                side="aws",
                region=lab.region,
                vpc_id=vpc.vpc.id,
                vpc_cidr=str(entry.vpc_cidr),
                subnet_id=vpc.private_subnet.id,
            )
            key = output_key(entry.name)
            vpc_hosts[entry.name] = host.instance.id
            outputs[f"{key}_test_instance_id"] = host.instance.id
            outputs[f"{key}_test_private_ip"] = host.instance.private_ip
        for index, entry in enumerate(lab.sites):
            site = TransitSite(
                self,
                f"site-{entry.name}",
                lab,
                index,
                naming,
                zone=zone,
                ami=ami,
                transit_gateway_id=hub.gateway.id,
                test_host_profile=test_role.profile.name,
                build_dir=build_dir,
            )
            attachments[f"site:{entry.name}"] = site.connection.transit_gateway_attachment_id
            site_attachments[entry.name] = (
                site.connection.transit_gateway_attachment_id,
                site.test_host.instance.private_ip,
            )
            key = output_key(entry.name)
            outputs |= {
                f"{key}_vpn_connection_id": site.connection.id,
                f"{key}_customer_gateway_id": site.cgw.id,
                f"{key}_tunnel1_address": site.connection.tunnel1_address,
                f"{key}_tunnel2_address": site.connection.tunnel2_address,
                f"{key}_vpn_server_public_ip": site.address.eip.public_ip,
                f"{key}_vpn_server_instance_id": site.server.instance.id,
                f"{key}_vpn_server_private_ip": site.server.instance.private_ip,
                f"{key}_onprem_test_instance_id": site.test_host.instance.id,
                f"{key}_onprem_test_private_ip": site.test_host.instance.private_ip,
            }
            TerraformOutput(
                self,
                f"{key}_psk_parameter_names",
                value=[p.name for p in site.psk_parameters],
                description=f"SSM SecureString parameters holding site {entry.name}'s tunnel keys",
            )
        hub.wire(lab, attachments)
        paths = TransitPaths(
            self, "reachability", lab, naming, vpc_hosts=vpc_hosts,
            site_attachments=site_attachments,
        )  # fmt: skip
        TerraformOutput(self, "reachability_path_ids", value=paths.ids)
        for name, value in outputs.items():
            TerraformOutput(self, name, value=value)
        # What the local target's gateway routes by: the tables as applied, by name
        TerraformOutput(self, "transit_gateway_attachment_ids", value=attachments)
        TerraformOutput(self, "transit_gateway_route_table_ids", value=hub.tables)
