"""IAM's RemoveRoleFromInstanceProfile as AWS answers it.

An apply interrupted between CreateInstanceProfile and AddRoleToInstanceProfile
leaves a profile in Terraform's state that holds no role, and the tear-down's
destroy asks IAM to remove the role from it. moto 5.2.5 removes it from the
profile's list and, the role not being there, fails with a 500 that the AWS
provider retries and gives up on (seen under load: the tear-down failed). AWS
answers NoSuchEntity, which the provider takes as already done.
"""

from __future__ import annotations

from moto.iam.exceptions import NoSuchEntity
from moto.iam.models import IAMBackend


def _remove_role_from_instance_profile(self, profile_name: str, role_name: str) -> None:
    profile = self.get_instance_profile(profile_name)
    role = self.get_role(role_name)
    if role not in profile.roles:
        raise NoSuchEntity(f"The role {role_name} is not in instance profile {profile_name}.")
    profile.roles.remove(role)


def install() -> None:
    IAMBackend.remove_role_from_instance_profile = _remove_role_from_instance_profile
