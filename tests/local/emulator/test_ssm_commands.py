"""SSM Run Command in the lab's namespaces (driver/local/emulator/ssm_commands.py)."""

import pytest

from driver.checks import remote_commands


def test_ssm_run_command_runs_only_vpnlabs_commands_on_managed_instances(emulator, ec2, gateways):
    """The commands really run in the lab's namespaces (tests/aws/test_target.py);
    here: what is refused, and that no agent is online without a data plane."""
    ssm = emulator.session("ap-northeast-1").client("ssm", endpoint_url=emulator.url)
    subnet = ec2.create_subnet(VpcId=gateways["vpc"], CidrBlock="10.9.3.0/24")["Subnet"]
    instance = ec2.run_instances(
        ImageId=ec2.describe_images()["Images"][0]["ImageId"],
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet["SubnetId"],
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [
                    {"Key": "vpnlab:lab", "Value": "no-such-lab"},
                    {"Key": "Name", "Value": "no-such-lab-aws-test-host"},
                ],
            }
        ],
    )["Instances"][0]["InstanceId"]
    found = ssm.describe_instance_information(
        Filters=[{"Key": "InstanceIds", "Values": [instance]}]
    )
    assert found["InstanceInformationList"] == []

    def send(commands):
        return ssm.send_command(
            InstanceIds=[instance],
            DocumentName="AWS-RunShellScript",
            Parameters={"commands": commands},
        )

    for foreign in (["id"], ["ping -n -c 3 -i 0.2 -W 1 10.0.0.1; id"], ["cat /etc/shadow"]):
        with pytest.raises(ssm.exceptions.ClientError, match="only vpnlab's own commands"):
            send(foreign)
    with pytest.raises(ssm.exceptions.ClientError, match="InvalidInstanceId"):
        send(remote_commands.ping("10.0.0.1"))
