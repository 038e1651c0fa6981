"""Reachability Analyzer paths the verify step analyses (the seed's last check).

AWS analyses TCP and UDP only, not ICMP, so the paths probe the lab's port.
"""

from constructs import Construct

from driver.lab.model import Lab
from modules.aws import resource
from modules.naming import Naming

path = resource("ec2_network_insights_path")


class ReachabilityPaths(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        aws_test_instance: str,
        vgw: str,
        onprem_test_instance: str,
        vpn_server_interface: str,
    ):
        super().__init__(scope, id_)
        port = lab.checks.probe_port
        self.aws_to_vgw = path.Ec2NetworkInsightsPath(
            self,
            "aws-to-vgw",
            source=aws_test_instance,
            destination=vgw,
            protocol="tcp",
            destination_port=port,
            tags=naming.tags("path-aws-to-vgw"),
        )
        self.onprem_to_server = path.Ec2NetworkInsightsPath(
            self,
            "onprem-to-vpn-server",
            source=onprem_test_instance,
            destination=vpn_server_interface,
            protocol="tcp",
            destination_port=port,
            tags=naming.tags("path-onprem-to-vpn-server"),
        )


class TransitPaths(Construct):
    """A Transit Gateway lab's paths: from each VPC's test host to each site's VPN
    attachment, for the address of the site's test host (a VPN attachment has none of
    its own): AWS's analyzer follows the VPC's route table, the VPC's attachment, its
    associated table and that table's route for the address, and stops at the
    attachment (the tunnels and the site beyond are the pings')."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        vpc_hosts: dict[str, str],
        site_attachments: dict[str, tuple[str, str]],
    ):
        """``vpc_hosts``: each VPC's test instance; ``site_attachments``: each site's
        VPN attachment and its test host's address."""
        super().__init__(scope, id_)
        self.ids: dict[str, str] = {}
        for vpc, instance in vpc_hosts.items():
            for site, (attachment, address) in site_attachments.items():
                self.ids[f"vpc:{vpc} → site:{site}"] = path.Ec2NetworkInsightsPath(
                    self,
                    f"{vpc}-to-{site}",
                    source=instance,
                    destination=attachment,
                    destination_ip=address,
                    protocol="tcp",
                    destination_port=lab.checks.probe_port,
                    tags=naming.tags(f"path-{vpc}-to-{site}"),
                ).id
