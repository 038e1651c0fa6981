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
