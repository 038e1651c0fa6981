"""The Amazon Linux 2023 AMI, looked up through AWS's public SSM parameter."""

from constructs import Construct

from modules.aws import resource

data_aws_ssm_parameter = resource("data_aws_ssm_parameter")

AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def amazon_linux_2023(scope: Construct) -> str:
    return data_aws_ssm_parameter.DataAwsSsmParameter(
        scope, "al2023-ami", name=AL2023_PARAMETER
    ).value
