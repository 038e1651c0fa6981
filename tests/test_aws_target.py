"""TARGET=aws code paths, with the embedded emulator standing in for the account."""

import boto3
import pytest
from botocore.exceptions import ClientError

from driver.aws_target import AwsTarget
from driver.errors import VpnlabError
from driver.model import load_lab
from tests.test_model import lab_with

pytestmark = pytest.mark.terraform


@pytest.fixture
def account(emulator, monkeypatch):
    """The emulator as 'the account': every AWS call of the AWS target goes there."""
    monkeypatch.setenv("VPNLAB_AWS_ENDPOINT_URL", emulator.url)
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AUTO_APPROVE", raising=False)
    return emulator


def lab_file(tmp_path, name):
    path = tmp_path / f"{name}.yml"
    path.write_text(lab_with(("name", name)))
    return path, load_lab(path)


def test_apply_preflight_refusal_leak_check_and_force_cleanup(account, tmp_path):
    path, lab = lab_file(tmp_path, "awslab")
    said: list[str] = []
    target = AwsTarget(lab, progress=said.append)
    try:
        target.apply(path, yes=True)
        preflight = "\n".join(said)
        assert "account 123456789012" in preflight and "region ap-northeast-1" in preflight
        assert "1 aws_vpn_connection" in preflight and "3 aws_instance" in preflight
        assert "Site-to-Site VPN connection" in preflight and "total" in preflight
        assert "holds the tunnels' pre-shared keys" in preflight

        # Another checkout (no local state) must not apply the same lab twice.
        state = target.workdir / "terraform" / "terraform.tfstate"
        saved = state.read_bytes()
        state.unlink()
        with pytest.raises(VpnlabError, match="already exists in this account"):
            AwsTarget(lab, progress=said.append).apply(path, yes=True)
        state.write_bytes(saved)

        # Something carrying the lab's tag that Terraform does not know about.
        ec2 = boto3.client("ec2", endpoint_url=account.url, region_name=lab.region)
        stray = ec2.create_vpc(
            CidrBlock="10.77.0.0/16",
            TagSpecifications=[
                {"ResourceType": "vpc", "Tags": [{"Key": "vpnlab:lab", "Value": lab.name}]}
            ],
        )
        stray_id = stray["Vpc"]["VpcId"]
        left = target.destroy()
        assert left == [f"vpc {stray_id}"]
        assert any("LEFT in the account" in line and stray_id in line for line in said)
    finally:
        left = target.destroy(force_cleanup=True)
    assert left == []
    assert not target.state.root.exists()


def test_without_a_terminal_confirmation_needs_yes(account, tmp_path):
    path, lab = lab_file(tmp_path, "noconfirm")
    target = AwsTarget(lab, progress=lambda m: None)
    try:
        with pytest.raises(VpnlabError, match="pass --yes"):
            target.apply(path, yes=False)
    finally:
        assert target.destroy() == []  # nothing was created


def test_only_transient_errors_are_retried_with_the_reason(tmp_path):
    _, lab = lab_file(tmp_path, "retries")
    said: list[str] = []
    target = AwsTarget(lab, progress=said.append)
    calls = []

    def flaky(**arguments):
        calls.append(arguments)
        if len(calls) == 1:
            raise ClientError(
                {"Error": {"Code": "DependencyViolation", "Message": "in use"}}, "DeleteVpc"
            )
        return "done"

    flaky.__name__ = "delete_vpc"
    assert target._call(flaky, VpcId="vpc-1") == "done" and len(calls) == 2
    assert "delete_vpc: a dependent resource is still being released" in said[0]

    def broken(**arguments):
        raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "no"}}, "X")

    with pytest.raises(ClientError, match="UnauthorizedOperation"):
        target._call(broken)
