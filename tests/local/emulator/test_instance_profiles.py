"""IAM's RemoveRoleFromInstanceProfile as AWS answers it
(driver/local/emulator/instance_profiles.py)."""

import pytest
from botocore.exceptions import ClientError


def test_removing_a_role_the_profile_does_not_hold_is_no_such_entity(emulator):
    """The tear-down of an apply interrupted before the role was added: AWS says
    NoSuchEntity (the provider takes it as done), not a server error."""
    iam = emulator.session("us-east-1").client("iam", endpoint_url=emulator.url)
    iam.create_role(RoleName="profiled", AssumeRolePolicyDocument="{}")
    iam.create_instance_profile(InstanceProfileName="profiled")
    with pytest.raises(ClientError) as refused:
        iam.remove_role_from_instance_profile(InstanceProfileName="profiled", RoleName="profiled")
    assert refused.value.response["Error"]["Code"] == "NoSuchEntity"
    iam.add_role_to_instance_profile(InstanceProfileName="profiled", RoleName="profiled")
    iam.remove_role_from_instance_profile(InstanceProfileName="profiled", RoleName="profiled")
    profile = iam.get_instance_profile(InstanceProfileName="profiled")["InstanceProfile"]
    assert profile["Roles"] == []
    iam.delete_instance_profile(InstanceProfileName="profiled")
    iam.delete_role(RoleName="profiled")
