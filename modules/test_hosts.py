"""A test host on each side: answers ping from the other side, reachable by SSM."""

from constructs import Construct

from driver.lab import security_groups
from driver.lab.model import Host, Lab
from driver.render.cloud_init import test_host_user_data
from modules.aws import resource
from modules.instance import anything_out, hardened_instance
from modules.naming import Naming
from modules.user_data import user_data

security_group = resource("security_group")


class TestHost(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        side: str,
        host: Host,
        vpc_id: str,
        subnet_id: str,
        ami: str,
        instance_profile: str,
        build_dir,
        group: security_groups.Group | None = None,
        template: str | None = None,
    ):
        """``group``: its security group (default: the VGW lab's, from the other side);
        ``template``: its user data's file name (unique in a stack)."""
        super().__init__(scope, id_)
        group = group or security_groups.test_host(lab, side)  # the local data plane's too
        self.security_group = security_group.SecurityGroup(
            self,
            "sg",
            name=naming.name(side, "test-host"),
            vpc_id=vpc_id,
            description=group.description,
            ingress=[
                security_group.SecurityGroupIngress(
                    protocol="icmp",
                    from_port=-1,
                    to_port=-1,
                    cidr_blocks=[r.cidr for r in group.ingress],
                    description=group.ingress[0].description,
                )
            ]
            if group.ingress
            else [],
            egress=[anything_out()],
            tags=naming.tags(side, "test-host"),
        )
        self.instance = hardened_instance(
            self,
            "instance",
            ami=ami,
            instance_type=host.instance_type,
            subnet_id=subnet_id,
            vpc_security_group_ids=[self.security_group.id],
            iam_instance_profile=instance_profile,
            user_data=user_data(
                self, template or f"{side}-test-host", test_host_user_data(lab), build_dir, {}
            ),
            tags=naming.tags(side, "test-host"),
        )
