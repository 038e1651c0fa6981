"""Instance roles: SSM agent access, plus whatever a role's instances must read.

Policies go through ``jsonencode()`` rather than JSON strings: it is what an
HCL author writes, and cdktf's HCL output cannot quote JSON strings.
"""

from cdktf import Fn
from constructs import Construct

from modules.aws import resource
from modules.naming import Naming

iam_role = resource("iam_role")
iam_role_policy = resource("iam_role_policy")
iam_role_policy_attachment = resource("iam_role_policy_attachment")
iam_instance_profile = resource("iam_instance_profile")

SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


class InstanceRole(Construct):
    """A role and instance profile; ``readable_parameters`` get ssm:GetParameter."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        naming: Naming,
        purpose: str,
        readable_parameters: list[str] = (),
    ):
        super().__init__(scope, id_)
        assume = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        role = iam_role.IamRole(
            self,
            "role",
            name=naming.account_name(purpose),
            assume_role_policy=Fn.jsonencode(assume),
            # An apply interrupted while an attachment was in flight leaves it unknown
            # to the state: without this, destroy fails on IAM's DeleteConflict.
            force_detach_policies=True,
            tags=naming.tags(purpose),
        )
        iam_role_policy_attachment.IamRolePolicyAttachment(
            self, "ssm-core", role=role.name, policy_arn=SSM_CORE
        )
        if readable_parameters:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "ssm:GetParameter",
                        "Resource": list(readable_parameters),
                    }
                ],
            }
            iam_role_policy.IamRolePolicy(
                self,
                "read-parameters",
                name=naming.name(purpose, "parameters"),
                role=role.id,
                policy=Fn.jsonencode(policy),
            )
        self.profile = iam_instance_profile.IamInstanceProfile(
            self,
            "profile",
            name=naming.account_name(purpose),
            role=role.name,
            tags=naming.tags(purpose),
        )
