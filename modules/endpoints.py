"""SSM's interface endpoints in a VPC, so instances without internet access
(the private test hosts) are reachable by SSM Run Command: verify's ping runs
through them, with no SSH keys and no inbound SSH.

Private DNS makes the regional SSM names resolve to the endpoints, so the
agent needs no configuration. Each endpoint is billed per hour (pricing.py).
"""

from constructs import Construct

from modules.aws import resource
from modules.naming import Naming

security_group = resource("security_group")
vpc_endpoint = resource("vpc_endpoint")

SERVICES = ("ssm", "ssmmessages", "ec2messages")


class SsmEndpoints(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        naming: Naming,
        *,
        side: str,
        region: str,
        vpc_id: str,
        vpc_cidr: str,
        subnet_id: str,
    ):
        super().__init__(scope, id_)
        self.security_group = security_group.SecurityGroup(
            self,
            "sg",
            name=naming.name(side, "ssm-endpoints"),
            vpc_id=vpc_id,
            description=f"{side} SSM endpoints: HTTPS from the VPC",
            ingress=[
                security_group.SecurityGroupIngress(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[vpc_cidr],
                    description="the SSM agent, from inside the VPC",
                )
            ],
            tags=naming.tags(side, "ssm-endpoints"),
        )
        self.endpoints = [
            vpc_endpoint.VpcEndpoint(
                self,
                service,
                vpc_id=vpc_id,
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[subnet_id],
                security_group_ids=[self.security_group.id],
                tags=naming.tags(side, service),
            )
            for service in SERVICES
        ]
