"""The AWS target: the same synthesized Terraform on a real account.

apply: the user's normal credentials and region (profile or environment, as
the AWS CLI does) -> pre-flight (account, region, what will be created, an
estimated hourly cost; confirmation unless --yes / AUTO_APPROVE=1) ->
synth -> init -> apply. destroy: terraform destroy, then a leak check by the
lab's tag that lists anything left (exit 1); --force-cleanup deletes what
carries the lab's tag.

verify: driver/aws/verify.py (SSM agents, user data finished, VgwTelemetry,
ping over SSM Run Command, Reachability Analyzer).

``VPNLAB_AWS_ENDPOINT_URL`` points every call (boto3 and the provider) at
another endpoint: the tests use the embedded emulator as the account.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from driver.aws import pricing
from driver.aws.leaks import leftovers
from driver.aws.transient_errors import transient_reason
from driver.errors import VpnlabError
from driver.lab.model import Lab
from driver.local.emulator.process import SERVICES
from driver.state import LabState
from driver.synth.synthesis import copy_stack, synth
from driver.synth.terraform import Terraform, key_variables, resource_progress

Progress = Callable[[str], None]
ENDPOINT_ENV = "VPNLAB_AWS_ENDPOINT_URL"


class AwsTarget:
    def __init__(self, lab: Lab, progress: Progress = print):
        self.lab = lab
        self.progress = progress
        self.endpoint = os.environ.get(ENDPOINT_ENV)
        self.state = LabState(lab.name)
        self.workdir = self.state.root / "aws"
        self.session = boto3.Session(region_name=lab.region)

    def client(self, service: str):
        return self.session.client(
            service, endpoint_url=self.endpoint, config=Config(retries={"mode": "standard"})
        )

    def terraform(self) -> Terraform:
        return Terraform(self.workdir / "terraform", env=key_variables(self.lab))

    # --- apply -----------------------------------------------------------------------

    def preflight(self, plan_summary: dict[str, int]) -> str:
        try:
            identity = self.client("sts").get_caller_identity()
        except Exception as exc:  # no credentials, expired session, no network
            raise VpnlabError(f"cannot use your AWS credentials: {exc}") from None
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(plan_summary.items()))
        return "\n".join(
            [
                f"account {identity['Account']} ({identity['Arn']}), region {self.lab.region}",
                f"will create: {created}",
                "estimated cost while it exists (list prices, see driver/aws/pricing.py):",
                pricing.table(pricing.estimate(self.lab)),
            ]
        )

    def apply(self, lab_path: Path, yes: bool, state_bucket: str | None = None) -> None:
        with self.state.lock("apply (aws)"):
            tfstate = self.workdir / "terraform" / "terraform.tfstate"
            if not tfstate.exists() and not state_bucket:
                existing = leftovers(self.session, self.lab.name, self.endpoint)
                if existing:
                    raise VpnlabError(
                        f"lab '{self.lab.name}' already exists in this account and region "
                        f"({len(existing)} resources, e.g. {existing[0]}) but not in this "
                        "checkout's state: rename the lab, or remove them with "
                        "`vpnlab destroy --target aws --force-cleanup`"
                    )
            stack = synth(lab_path, self.workdir / "cdktf.out")
            workdir = self.workdir / "terraform"
            copy_stack(stack, workdir)
            self._write_overrides(workdir, state_bucket)
            tf = self.terraform()
            tf.init()
            plan_file = workdir / "vpnlab.tfplan"
            tf.run("plan", "-input=false", "-no-color", f"-out={plan_file.name}")
            summary = _plan_summary(json.loads(tf.run("show", "-json", plan_file.name).stdout))
            self.progress(self.preflight(summary))
            if not state_bucket:
                self.progress(
                    f"state: {workdir / 'terraform.tfstate'} (local). It holds the "
                    "tunnels' pre-shared keys: keep it safe, or use --state-bucket."
                )
            if not (yes or os.environ.get("AUTO_APPROVE") == "1") and not _confirm():
                raise VpnlabError("not confirmed: nothing was created")
            started = time.monotonic()
            tf.stream(
                "apply",
                "-auto-approve",
                plan_file.name,
                on_event=resource_progress(self.progress, started),
            )
            plan_file.unlink(missing_ok=True)
            self.progress(
                f"applied lab {self.lab.name} to AWS in "
                f"{time.monotonic() - started:.0f} s; destroy it with "
                f"`make destroy TARGET=aws` (it costs money while it exists)"
            )

    def _write_overrides(self, workdir: Path, state_bucket: str | None) -> None:
        override = workdir / "vpnlab_aws_override.tf.json"
        content: dict = {}
        if state_bucket:
            content["terraform"] = {
                "backend": {
                    "s3": {
                        "bucket": state_bucket,
                        "key": f"vpnlab/{self.lab.name}/terraform.tfstate",
                        "region": self.lab.region,
                        "encrypt": True,
                    }
                }
            }
        if self.endpoint:  # tests: the emulator stands in for the account
            content["provider"] = {
                "aws": {
                    "endpoints": [{s: self.endpoint for s in SERVICES}],
                    "skip_credentials_validation": True,
                    "skip_requesting_account_id": True,
                    "skip_metadata_api_check": "true",
                    "max_retries": 2,
                }
            }
        if content:
            override.write_text(json.dumps(content, indent=2) + "\n")
        else:
            override.unlink(missing_ok=True)

    # --- verify -------------------------------------------------------------------------

    def verify(self, timeout: float | None = None):
        from driver.aws.verify import verify

        return verify(self, timeout)

    # --- destroy ------------------------------------------------------------------------

    def destroy(self, force_cleanup: bool = False) -> list[str]:
        with self.state.lock("destroy (aws)"):
            workdir = self.workdir / "terraform"
            if (workdir / "terraform.tfstate").exists() or (
                workdir / "vpnlab_aws_override.tf.json"
            ).exists():
                started = time.monotonic()
                self.terraform().stream(
                    "destroy", "-auto-approve", on_event=resource_progress(self.progress, started)
                )
            left = leftovers(self.session, self.lab.name, self.endpoint)
            if left and force_cleanup:
                self.progress(
                    f"--force-cleanup: deleting {len(left)} resources tagged "
                    f"vpnlab:lab={self.lab.name}"
                )
                self.force_cleanup()
                left = leftovers(self.session, self.lab.name, self.endpoint)
            if left:
                self.progress(
                    "LEFT in the account (they may cost money): "
                    + "; ".join(left)
                    + ". Remove them with `vpnlab destroy --target aws "
                    "--force-cleanup`"
                )
            else:
                self.progress(f"nothing of lab {self.lab.name} is left in the account")
                self.state.remove()
            return left

    def force_cleanup(self) -> None:
        """Delete everything carrying the lab's tag or names, dependencies first."""
        ec2, ssm, iam = self.client("ec2"), self.client("ssm"), self.client("iam")
        tag = [{"Name": "tag:vpnlab:lab", "Values": [self.lab.name]}]
        call = self._call
        for path in ec2.describe_network_insights_paths()["NetworkInsightsPaths"]:
            if {"Key": "vpnlab:lab", "Value": self.lab.name} in path.get("Tags", []):
                for analysis in ec2.describe_network_insights_analyses(
                    NetworkInsightsPathId=path["NetworkInsightsPathId"]
                )["NetworkInsightsAnalyses"]:
                    call(
                        ec2.delete_network_insights_analysis,
                        NetworkInsightsAnalysisId=analysis["NetworkInsightsAnalysisId"],
                    )
                call(
                    ec2.delete_network_insights_path,
                    NetworkInsightsPathId=path["NetworkInsightsPathId"],
                )
        ids = [
            i["InstanceId"]
            for r in ec2.describe_instances(Filters=tag)["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] not in ("terminated",)
        ]
        if ids:
            call(ec2.terminate_instances, InstanceIds=ids)
            ec2.get_waiter("instance_terminated").wait(InstanceIds=ids)
        for address in ec2.describe_addresses(Filters=tag)["Addresses"]:
            if address.get("AssociationId"):
                call(ec2.disassociate_address, AssociationId=address["AssociationId"])
            call(ec2.release_address, AllocationId=address["AllocationId"])
        for connection in ec2.describe_vpn_connections(Filters=tag)["VpnConnections"]:
            if connection["State"] != "deleted":
                call(ec2.delete_vpn_connection, VpnConnectionId=connection["VpnConnectionId"])
        for gateway in ec2.describe_vpn_gateways(Filters=tag)["VpnGateways"]:
            for attachment in gateway.get("VpcAttachments", []):
                if attachment["State"] in ("attached", "attaching"):
                    call(
                        ec2.detach_vpn_gateway,
                        VpcId=attachment["VpcId"],
                        VpnGatewayId=gateway["VpnGatewayId"],
                    )
            if gateway["State"] != "deleted":
                call(ec2.delete_vpn_gateway, VpnGatewayId=gateway["VpnGatewayId"])
        for gateway in ec2.describe_customer_gateways(Filters=tag)["CustomerGateways"]:
            if gateway["State"] != "deleted":
                call(ec2.delete_customer_gateway, CustomerGatewayId=gateway["CustomerGatewayId"])
        endpoints = [
            e["VpcEndpointId"]
            for e in ec2.describe_vpc_endpoints(Filters=tag)["VpcEndpoints"]
            if str(e.get("State", "")).lower() not in ("deleted", "deleting")
        ]
        if endpoints:
            call(ec2.delete_vpc_endpoints, VpcEndpointIds=endpoints)
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=tag)["Vpcs"]]
        if vpcs:  # interfaces left detached in the lab's VPCs (instances' are gone by now)
            for eni in ec2.describe_network_interfaces(
                Filters=[
                    {"Name": "vpc-id", "Values": vpcs},
                    {"Name": "status", "Values": ["available"]},
                ]
            )["NetworkInterfaces"]:
                call(ec2.delete_network_interface, NetworkInterfaceId=eni["NetworkInterfaceId"])
        for igw in ec2.describe_internet_gateways(Filters=tag)["InternetGateways"]:
            for attachment in igw.get("Attachments", []):
                call(
                    ec2.detach_internet_gateway,
                    InternetGatewayId=igw["InternetGatewayId"],
                    VpcId=attachment["VpcId"],
                )
            call(ec2.delete_internet_gateway, InternetGatewayId=igw["InternetGatewayId"])
        for sg in ec2.describe_security_groups(Filters=tag)["SecurityGroups"]:
            call(ec2.delete_security_group, GroupId=sg["GroupId"])
        for subnet in ec2.describe_subnets(Filters=tag)["Subnets"]:
            call(ec2.delete_subnet, SubnetId=subnet["SubnetId"])
        for table in ec2.describe_route_tables(Filters=tag)["RouteTables"]:
            for association in table.get("Associations", []):
                if not association.get("Main"):
                    call(
                        ec2.disassociate_route_table,
                        AssociationId=association["RouteTableAssociationId"],
                    )
            call(ec2.delete_route_table, RouteTableId=table["RouteTableId"])
        for vpc in vpcs:
            call(ec2.delete_vpc, VpcId=vpc)
        for parameter in ssm.get_parameters_by_path(
            Path=f"/vpnlab/{self.lab.name}/", Recursive=True
        )["Parameters"]:
            call(ssm.delete_parameter, Name=parameter["Name"])
        prefix = f"{self.lab.name}-"
        for profile in iam.list_instance_profiles()["InstanceProfiles"]:
            if profile["InstanceProfileName"].startswith(prefix):
                for role in profile.get("Roles", []):
                    call(
                        iam.remove_role_from_instance_profile,
                        RoleName=role["RoleName"],
                        InstanceProfileName=profile["InstanceProfileName"],
                    )
                call(
                    iam.delete_instance_profile, InstanceProfileName=profile["InstanceProfileName"]
                )
        for role in iam.list_roles()["Roles"]:
            if role["RoleName"].startswith(prefix):
                name = role["RoleName"]
                for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
                    call(iam.detach_role_policy, RoleName=name, PolicyArn=policy["PolicyArn"])
                for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
                    call(iam.delete_role_policy, RoleName=name, PolicyName=policy)
                call(iam.delete_role, RoleName=name)

    def _call(self, operation, attempts: int = 6, **arguments):
        """Call; retry only errors known to be transient, saying why."""
        for attempt in range(1, attempts + 1):
            try:
                return operation(**arguments)
            except ClientError as exc:
                reason = transient_reason(exc)
                if reason is None or attempt == attempts:
                    raise
                wait = min(2**attempt, 30)
                self.progress(f"  {operation.__name__}: {reason}; retrying in {wait} s")
                time.sleep(wait)


def _plan_summary(plan: dict) -> dict[str, int]:
    summary: dict[str, int] = {}
    for change in plan.get("resource_changes", []):
        if "create" in change["change"]["actions"]:
            summary[change["type"]] = summary.get(change["type"], 0) + 1
    return summary


def _confirm() -> bool:
    if not sys.stdin.isatty():
        raise VpnlabError(
            "confirmation needed but there is no terminal: pass --yes "
            "(or AUTO_APPROVE=1) once you have read the pre-flight"
        )
    return input("create these resources in AWS? type yes: ").strip() == "yes"
