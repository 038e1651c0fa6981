"""Only vpnlab itself talks to the emulator (driver/local/emulator/auth.py): a
request signed with another key, or not signed, gets AWS's own refusal, and
moto's dashboard and reset endpoints are not served."""

import subprocess
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import requires_root

REGION = "ap-northeast-1"
OTHER = {"aws_access_key_id": "AKIAOTHERLOCALUSER00", "aws_secret_access_key": "x" * 40}


def refusal(call) -> tuple[int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    answer = caught.value.response
    return answer["ResponseMetadata"]["HTTPStatusCode"], answer["Error"]["Code"]


def test_the_labs_own_key_is_answered(emulator):
    session = emulator.session(REGION)
    assert "Vpcs" in session.client("ec2", endpoint_url=emulator.url).describe_vpcs()
    identity = session.client("sts", endpoint_url=emulator.url).get_caller_identity()
    assert identity["Account"] == "123456789012"


@pytest.mark.parametrize(
    "service,call,code",
    [
        ("ec2", "describe_vpn_connections", (401, "AuthFailure")),
        ("ssm", "describe_instance_information", (403, "UnrecognizedClientException")),
        ("iam", "list_roles", (403, "InvalidClientTokenId")),
        ("sts", "get_caller_identity", (403, "InvalidClientTokenId")),
    ],
)
def test_another_key_gets_awss_refusal(emulator, service, call, code):
    client = boto3.Session(region_name=REGION, **OTHER).client(service, endpoint_url=emulator.url)
    assert refusal(getattr(client, call)) == code


def test_the_right_key_id_with_a_wrong_secret_fails_the_signature(emulator):
    forged = {
        "aws_access_key_id": emulator.credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": "y" * 40,
    }
    ec2 = boto3.Session(region_name=REGION, **forged).client("ec2", endpoint_url=emulator.url)
    assert refusal(ec2.describe_vpn_connections) == (401, "AuthFailure")  # moto's check


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", "/moto-api/data.json", None),
        ("POST", "/moto-api/reset", b""),
        ("POST", "/", b"Action=DescribeVpnConnections&Version=2016-11-15"),  # unsigned
    ],
)
def test_unsigned_requests_and_motos_own_endpoints_get_nothing(emulator, method, path, body):
    request = urllib.request.Request(emulator.url + path, data=body, method=method)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code in (401, 403)
    assert b"PreSharedKey" not in caught.value.read()


@pytest.mark.root
@requires_root()
def test_another_local_user_gets_neither_the_api_nor_the_key(emulator):
    # Debian's own python3: the project's virtual environment is root's.
    probe = (
        "import sys, urllib.request, urllib.error\n"
        "for path, body in (('/', b'Action=DescribeVpnConnections&Version=2016-11-15'),"
        " ('/moto-api/data.json', None)):\n"
        "    try:\n"
        "        urllib.request.urlopen(sys.argv[1] + path, data=body, timeout=5)\n"
        "        print('ANSWERED', path)\n"
        "    except urllib.error.HTTPError as exc:\n"
        "        print(exc.code, exc.read().decode())\n"
    )
    answer = subprocess.run(
        ["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", probe, emulator.url],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp"},
    )
    assert "AuthFailure" in answer.stdout and "ANSWERED" not in answer.stdout, answer.stderr
    assert "PreSharedKey" not in answer.stdout
    environ = subprocess.run(
        ["runuser", "-u", "nobody", "--", "cat", f"/proc/{emulator.pid}/environ"],
        capture_output=True,
    )
    assert environ.returncode != 0  # the emulator's key is in its environment: root's alone
    arguments = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert emulator.credentials["AWS_SECRET_ACCESS_KEY"] not in arguments
