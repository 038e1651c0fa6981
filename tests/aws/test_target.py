"""TARGET=aws code paths, with the embedded emulator standing in for the account."""

import os
import re
import signal

import boto3
import pytest
from botocore.exceptions import ClientError

from driver.aws.ssm import Ssm
from driver.aws.target import AwsTarget
from driver.aws_api.leaks import leftovers
from driver.aws_api.waiting import wait_until
from driver.checks import remote_commands
from driver.checks.terminal import plain_text
from driver.core.errors import VpnlabError
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local import applied_dataplane
from driver.local.dataplane.netns import Namespace
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.terraform, pytest.mark.applies]


def as_the_account(emulator, monkeypatch: pytest.MonkeyPatch):
    """The emulator as 'the account': every AWS call of the AWS target goes there."""
    monkeypatch.setenv("VPNLAB_AWS_ENDPOINT_URL", emulator.url)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    for key, value in emulator.environment().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AUTO_APPROVE", raising=False)


@pytest.fixture
def account(emulator, monkeypatch):
    as_the_account(emulator, monkeypatch)
    return emulator


@pytest.fixture(scope="module")
def applied(emulator, tmp_path_factory):
    """One lab applied to the emulated account for the tests that read it, change
    it, and finally lose its state (an apply and a destroy cost ~55 s); whatever
    they leave, --force-cleanup removes it, and nothing may remain."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        as_the_account(emulator, monkeypatch)
        path, lab = lab_file(tmp_path_factory.mktemp("applied"), "awslab")
        said: list[str] = []
        target = AwsTarget(lab, progress=said.append)
        try:
            target.apply(path, yes=True)
            yield path, lab, target, said
        finally:
            left = target.destroy(force_cleanup=True)
        assert left == []
        assert not target.state.root.exists()


def lab_file(tmp_path, name):
    path = tmp_path / f"{name}.yml"
    path.write_text(lab_with(("name", name)))
    return path, load_lab(path)


def test_apply_shows_the_account_region_cost_and_keys_first(applied):
    _, _, _, said = applied
    preflight = "\n".join(said)
    assert "account 123456789012" in preflight and "region ap-northeast-1" in preflight
    assert "1 aws_vpn_connection" in preflight and "3 aws_instance" in preflight
    assert "6 aws_vpc_endpoint" in preflight and "6 SSM interface endpoints" in preflight
    assert "Site-to-Site VPN connection" in preflight and "total" in preflight
    assert "holds the tunnels' pre-shared keys" in preflight


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


def ec2_of(account, lab):
    return boto3.client("ec2", endpoint_url=account.url, region_name=lab.region)


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_verify_over_ssm_telemetry_and_reachability_analyzer(applied, emulator):
    """verify --target aws end to end: the emulated account's instances are the
    data plane's namespaces, so SSM Run Command really pings and the analyses
    come from the emulator's own route tables and security groups; then a
    telemetry that never turns UP."""
    _, lab, target, said = applied
    account, state = emulator, LabState(lab.name)
    ec2 = ec2_of(account, lab)
    try:
        outputs = target.terraform().outputs()

        # The instances have not booted: no SSM agent answers; the wait is bounded.
        report = target.verify(timeout=1)
        checks = {c.name: c for c in report.checks}
        assert not report.passed
        assert "not yet online: aws" in checks["SSM agents online"].detail
        assert "SSM agent of" in checks["aws: ping {onprem_test_ip}"].detail
        # Reachability Analyzer needs no agent: its answers are already there.
        reachability = [c for c in report.checks if c.name.startswith("Reachability")]
        assert [c.passed for c in reachability] == [True, True]

        # The instances boot: the lab's data plane stands in for them.
        applied_dataplane.build_dataplane(lab, state, account, outputs)
        said.clear()
        report = target.verify(timeout=60)
        assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]
        checks = {c.name: c for c in report.checks}
        assert checks["VPN server user data finished"].detail.startswith("READY")
        assert checks["VgwTelemetry: both tunnels UP"].detail.count(" UP") == 2
        onprem_ip, aws_ip = outputs["onprem_test_private_ip"], outputs["aws_test_private_ip"]
        # Replies from the other side's test host. A reply later than ping's 1 s is
        # not counted (CI, under load: 2/3); a ping passes on any reply, as on AWS.
        for name, address in (("aws: ping {onprem_test_ip}", onprem_ip),
                              ("onprem: ping {aws_test_ip}", aws_ip)):  # fmt: skip
            assert re.match(rf"[123]/3 replies from {re.escape(address)}\b", checks[name].detail)
        path_found = checks["Reachability Analyzer: AWS test host → VGW (tcp/443)"]
        assert path_found.passed and outputs["vpn_gateway_id"] in path_found.detail
        assert ec2.describe_network_insights_analyses()["NetworkInsightsAnalyses"] == []
        assert "PASSED" in plain_text(report)

        # A security group that no longer admits the on-prem side: the analysis says why.
        server = ec2.describe_instances(InstanceIds=[outputs["vpn_server_instance_id"]])
        group = server["Reservations"][0]["Instances"][0]["SecurityGroups"][0]["GroupId"]
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])
        for rule in rules["SecurityGroupRules"]:
            if not rule["IsEgress"] and rule.get("CidrIpv4") == str(lab.onprem.vpc_cidr):
                ec2.revoke_security_group_ingress(
                    GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]]
                )
        report = target.verify(timeout=60)
        blocked = {c.name: c for c in report.checks}[
            "Reachability Analyzer: on-prem test host → VPN server (tcp/443)"
        ]
        assert not blocked.passed
        assert f"ENI_SG_RULES_MISMATCH: the security groups {group}" in blocked.detail
        assert "do not allow this traffic (ingress)" in blocked.detail

        # Telemetry that never turns UP (the server's keys are not AWS's): a bounded
        # wait, then the server's setup log, SAs and charon log, fetched over SSM.
        ssm = boto3.client("ssm", endpoint_url=account.url, region_name=lab.region)
        wrong = "typed.by_hand_wrong"
        for name in outputs["psk_parameter_names"]:
            ssm.put_parameter(Name=name, Value=wrong, Type="SecureString", Overwrite=True)
        applied_dataplane.build_dataplane(lab, state, account, outputs)
        said.clear()
        report = target.verify(timeout=4)
        checks = {c.name: c for c in report.checks}
        telemetry = checks["VgwTelemetry: both tunnels UP"]
        assert not telemetry.passed
        assert "DOWN" in telemetry.detail and "after 4 s" in telemetry.detail
        assert checks["VPN server user data finished"].passed
        assert "== tail of /var/log/cloud-init-output.log" in report.diagnostics
        assert "vpnlab: VPN server ready" in report.diagnostics
        assert "== swanctl --list-sas" in report.diagnostics
        assert "Security Associations (0 up" in report.diagnostics  # ipsec statusall
        assert "AUTHENTICATION_FAILED" in report.diagnostics  # from the charon log
        assert "from the VPN server (over SSM)" in plain_text(report)
        assert wrong not in report.to_json() and wrong not in "\n".join(said)

        # strongSwan died on the server: SSM still reaches the instance's own /var.
        server = Namespace(lab.name, "server")
        for pid in server.pids():  # starter and charon
            os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: (not server.pids(), ""), 5, "", print).done
        dump = Ssm(boto3.client("ssm", endpoint_url=account.url, region_name=lab.region), print)
        answer = dump.run(outputs["vpn_server_instance_id"], remote_commands.DIAGNOSTICS)
        assert answer.ok and "vpnlab: VPN server ready" in answer.stdout
        assert "AUTHENTICATION_FAILED" in answer.stdout  # its log outlives it
    finally:
        applied_dataplane.stop_dataplane(lab, state)


def test_lost_state_refused_leaks_listed_then_force_cleanup(applied, emulator):
    """Last of the applied account's tests: it loses the state."""
    path, lab, target, said = applied
    ec2 = boto3.client("ec2", endpoint_url=emulator.url, region_name=lab.region)
    try:
        # An analysis a killed verify left behind, and a VPC Terraform never knew.
        path_id = target.terraform().outputs()["path_aws_to_vgw_id"]
        ec2.start_network_insights_analysis(NetworkInsightsPathId=path_id)
        stray = ec2.create_vpc(
            CidrBlock="10.77.0.0/16",
            TagSpecifications=[
                {"ResourceType": "vpc", "Tags": [{"Key": "vpnlab:lab", "Value": lab.name}]}
            ],
        )["Vpc"]["VpcId"]

        # The state is lost (another checkout): the same lab must not be applied twice…
        (target.workdir / "terraform" / "terraform.tfstate").unlink()
        with pytest.raises(VpnlabError, match="already exists in this account"):
            AwsTarget(lab, progress=said.append).apply(path, yes=True)
        # …and destroy cannot remove what it does not know: the leak check lists it all.
        said.clear()
        left = target.destroy()
        kinds = {entry.rsplit(" ", 1)[0] for entry in left}
        assert {
            "instance",
            "Elastic IP",
            "VPN connection",
            "virtual private gateway",
            "customer gateway",
            "VPC endpoint",
            "vpc",
            "subnet",
            "security group",
            "SSM parameter",
            "IAM role",
            "network insights path",
        } <= kinds
        assert f"vpc {stray}" in left
        assert any("LEFT in the account" in line and stray in line for line in said)
    finally:
        # --force-cleanup deletes by tag, dependencies first (every delete call above).
        left = target.destroy(force_cleanup=True)
    assert left == []
    found = ec2.describe_network_insights_analyses(NetworkInsightsPathId=path_id)
    assert found["NetworkInsightsAnalyses"] == []
    assert not target.state.root.exists()


def test_force_cleanup_deletes_by_the_lab_tag_never_by_a_name_prefix(account, tmp_path):
    """A role named like the lab but without its tag (someone's production role) is
    listed by neither the leak check nor --force-cleanup, and survives it."""
    iam = boto3.client("iam", endpoint_url=account.url, region_name="ap-northeast-1")
    trust = '{"Version":"2012-10-17","Statement":[]}'
    tag = [{"Key": "vpnlab:lab", "Value": "owned"}]
    iam.create_role(RoleName="owned-vpn-server", AssumeRolePolicyDocument=trust, Tags=tag)
    iam.create_instance_profile(InstanceProfileName="owned-vpn-server", Tags=tag)
    # a Transit Gateway site's (modules/naming.py's account_name)
    iam.create_role(RoleName="owned.osaka-vpn-server", AssumeRolePolicyDocument=trust, Tags=tag)
    iam.create_role(RoleName="owned-payments-prod-admin", AssumeRolePolicyDocument=trust)
    iam.create_instance_profile(InstanceProfileName="owned-payments-prod-admin")
    try:
        _, lab = lab_file(tmp_path, "owned")
        said: list[str] = []
        target = AwsTarget(lab, progress=said.append)
        assert sorted(leftovers(target.session, "owned", account.url)) == [
            "IAM instance profile owned-vpn-server",
            "IAM role owned-vpn-server",
            "IAM role owned.osaka-vpn-server",
        ]
        assert target.destroy(force_cleanup=True) == []
        names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
        assert "owned-payments-prod-admin" in names and "owned-vpn-server" not in names
        assert "owned.osaka-vpn-server" not in names
        profiles = {
            p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]
        }
        assert "owned-payments-prod-admin" in profiles and "owned-vpn-server" not in profiles
        skipped = [line for line in said if "left alone" in line]
        assert any("IAM role owned-payments-prod-admin" in line for line in skipped)
        assert any("IAM instance profile owned-payments-prod-admin" in line for line in skipped)
    finally:
        iam.delete_instance_profile(InstanceProfileName="owned-payments-prod-admin")
        iam.delete_role(RoleName="owned-payments-prod-admin")


def test_a_declined_apply_leaves_no_plan_file(account, tmp_path, monkeypatch):
    """The plan holds the keys: declining the pre-flight deletes it."""
    path, lab = lab_file(tmp_path, "declined")
    target = AwsTarget(lab, progress=lambda m: None)
    monkeypatch.setattr("driver.aws.target._confirm", lambda: False)
    with pytest.raises(VpnlabError, match="not confirmed: nothing was created"):
        target.apply(path, yes=False)
    workdir = target.workdir / "terraform"
    assert not (workdir / "vpnlab.tfplan").exists()
    assert not (workdir / "terraform.tfstate").exists()
    target.state.remove()
