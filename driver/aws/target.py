"""The AWS target: the same synthesized Terraform on a real account.

apply: the user's normal credentials and region (profile or environment, as
the AWS CLI does) -> pre-flight (account, region, what will be created, an
estimated hourly cost; confirmation unless --yes / AUTO_APPROVE=1) ->
synth -> init -> apply. destroy: terraform destroy, then a leak check by the
lab's tag that lists anything left (exit 1); --force-cleanup deletes what
carries the lab's tag.

verify: driver/aws/verify.py (SSM agents, user data finished, VgwTelemetry,
ping over SSM Run Command, Reachability Analyzer); a Transit Gateway lab's,
driver/aws/transit_verify.py (the same per site, pings through the gateway).

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

from driver.aws import cleanup, pricing, transit_verify
from driver.aws import verify as aws_verify
from driver.aws_api.leaks import leftovers
from driver.checks.report import Report
from driver.core.errors import VpnlabError
from driver.core.state import LabState
from driver.lab.model import Lab
from driver.synth.provider_override import endpoint_provider, write_override
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
                pricing.table(pricing.estimate(self.lab), pricing.analyses(self.lab)),
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
            try:  # a plan holds the keys too: it never outlives this apply
                tf.run("plan", "-input=false", "-no-color", f"-out={plan_file.name}")
                plan = json.loads(tf.run("show", "-json", plan_file.name).stdout)
                self.progress(self.preflight(_plan_summary(plan)))
                if not state_bucket:
                    self.progress(
                        f"state: {workdir / 'terraform.tfstate'} (local, readable by you "
                        "only). It holds the tunnels' pre-shared keys: keep it safe, or use "
                        "--state-bucket."
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
            finally:
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
            content |= endpoint_provider(self.endpoint)
        if content:
            write_override(override, content)
        else:
            override.unlink(missing_ok=True)

    # --- verify -------------------------------------------------------------------------

    def verify(self, timeout: float | None = None) -> Report:
        if self.lab.transit_gateway is not None:  # each site's connection, the gateway's tables
            return transit_verify.verify(self, timeout)
        return aws_verify.verify(self, timeout)

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
                cleanup.force_cleanup(self.lab.name, self.client, self._call, self.progress)
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

    def _call(self, operation, attempts: int = 6, **arguments):
        return cleanup.call_retrying(self.progress, operation, attempts, **arguments)


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
