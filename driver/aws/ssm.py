"""SSM Run Command: shell commands on the lab's instances without SSH keys or
inbound ports (the instances' roles carry AmazonSSMManagedInstanceCore, and
the private test hosts reach SSM through the VPCs' interface endpoints).

API calls: DescribeInstanceInformation, SendCommand (AWS-RunShellScript),
GetCommandInvocation.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from driver.aws_api.waiting import QUICK, Backoff, Progress, wait_until
from driver.core.errors import VpnlabError

DONE = {"Success", "Failed", "Cancelled", "TimedOut", "Undeliverable", "Terminated"}
# Right after SendCommand the invocation may not be visible yet.
NOT_YET = {"InvocationDoesNotExist"}


@dataclass
class Invocation:
    status: str
    code: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.status == "Success"


class Ssm:
    def __init__(self, client, progress: Progress, backoff: Backoff = QUICK):
        self.client, self.progress, self.backoff = client, progress, backoff

    def online(self, instance_ids: list[str]) -> set[str]:
        """Which of these instances' SSM agents report Online."""
        found = self.client.describe_instance_information(
            Filters=[{"Key": "InstanceIds", "Values": instance_ids}]
        )["InstanceInformationList"]
        return {i["InstanceId"] for i in found if i.get("PingStatus") == "Online"}

    def run(self, instance_id: str, commands: list[str], timeout: int = 60) -> Invocation:
        """Run ``commands`` (AWS-RunShellScript, as root) and wait for the result."""
        try:
            command_id = self.client.send_command(
                InstanceIds=[instance_id],
                DocumentName="AWS-RunShellScript",
                Comment="vpnlab verify",
                Parameters={"commands": commands, "executionTimeout": [str(timeout)]},
            )["Command"]["CommandId"]
        except ClientError as exc:
            raise VpnlabError(
                f"SSM Run Command on {instance_id} refused: {exc.response['Error']['Message']}"
            ) from None
        result: dict = {}

        def finished() -> tuple[bool, str]:
            try:
                answer = self.client.get_command_invocation(
                    CommandId=command_id, InstanceId=instance_id
                )
            except ClientError as exc:
                if exc.response["Error"]["Code"] in NOT_YET:
                    return False, "not delivered yet"
                raise
            result.update(answer)
            return answer["Status"] in DONE, answer["Status"]

        outcome = wait_until(
            finished, timeout + 30, f"SSM command on {instance_id}", self.progress, self.backoff
        )
        if not outcome.done:
            return Invocation("TimedOut", -1, result.get("StandardOutputContent", ""), "")
        return Invocation(
            result["Status"],
            int(result.get("ResponseCode", -1)),
            result.get("StandardOutputContent", ""),
            result.get("StandardErrorContent", ""),
        )
