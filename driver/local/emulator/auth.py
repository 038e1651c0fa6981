"""Only vpnlab itself talks to a lab's emulator: its keys, checked as AWS checks them.

The emulator holds the lab's pre-shared keys (``DescribeVpnConnections``
returns them, as AWS does), and it listens on 127.0.0.1, where every local
user can reach it. So each emulator gets an access key of its own, made at
start and known only to root (the emulator's record, 0600; the environment of
vpnlab's own processes): moto's IAM authentication, switched on from the first
request, checks each request's SigV4 signature against it. A request signed
with another key, or not signed, gets AWS's own answer (``AuthFailure``, 401,
from EC2, as moto's own EC2 signature check answers; 403
``UnrecognizedClientException`` from JSON services, 403
``InvalidClientTokenId`` from IAM and STS), and moto's dashboard and reset
endpoints (``/moto-api/``) are not served at all.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import uuid

from driver.local.emulator.common import read_request_body

ACCESS_KEY_ENV = "VPNLAB_EMULATOR_ACCESS_KEY_ID"
SECRET_KEY_ENV = "VPNLAB_EMULATOR_SECRET_ACCESS_KEY"
HEALTH_PATH = "/vpnlab/health"  # answers "ok" to anyone: it tells nothing
USER = "vpnlab-emulator"
ACCOUNT = "123456789012"  # moto's default account: what the lab's Terraform sees

_CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/\d{8}/[^/]+/([a-z0-9-]+)/aws4_request")


def new_credentials() -> dict[str, str]:
    """A key pair shaped like AWS's: AKIA + 16 of [A-Z2-7], and 40 characters."""
    key_alphabet = string.ascii_uppercase + "234567"
    secret_alphabet = string.ascii_letters + string.digits + "+/"
    return {
        "AWS_ACCESS_KEY_ID": "AKIA" + "".join(secrets.choice(key_alphabet) for _ in range(16)),
        "AWS_SECRET_ACCESS_KEY": "".join(secrets.choice(secret_alphabet) for _ in range(40)),
    }


def install() -> None:
    """In the emulator's process, before it serves: the lab's key as an IAM user's
    (allowed everything), and authentication from the first request on."""
    from moto import settings
    from moto.iam.models import iam_backends

    iam = iam_backends[ACCOUNT]["aws"]
    iam.create_user(region_name="us-east-1", user_name=USER)
    iam.put_user_policy(
        USER,
        "everything",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )
    key = iam.create_access_key(USER)
    key.access_key_id = os.environ[ACCESS_KEY_ENV]
    key.secret_access_key = os.environ[SECRET_KEY_ENV]
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0


def guarded(app):
    """WSGI: refuse what is not signed with the lab's key, before moto sees it
    (moto then checks the signature itself)."""
    ours = os.environ[ACCESS_KEY_ENV]

    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path.startswith("/moto-api"):
            read_request_body(environ)
            return _refuse(
                start_response, "sts", "not served: the emulator answers AWS's APIs only"
            )
        found = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        if found is None or found.group(1) != ours:
            service = found.group(2) if found else "ec2"
            read_request_body(environ)
            return _refuse(start_response, service, None)
        return app(environ, start_response)

    return wrapped


def _refuse(start_response, service: str, message: str | None):
    request_id = str(uuid.uuid4())
    status = "403 Forbidden"
    if service == "ec2":
        text = message or "AWS was not able to validate the provided access credentials"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>AuthFailure</Code><Message>{text}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        headers = [("Content-Type", "text/xml")]
        status = "401 Unauthorized"
    elif service in ("iam", "sts"):
        text = message or "The security token included in the request is invalid."
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
            f"<Message>{text}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        headers = [("Content-Type", "text/xml")]
    else:  # the JSON services (SSM)
        text = message or "The security token included in the request is invalid."
        body = json.dumps({"__type": "UnrecognizedClientException", "message": text})
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-ErrorType", "UnrecognizedClientException"),
        ]
    start_response(status, [*headers, ("x-amzn-RequestId", request_id)])
    return [body.encode()]
