"""The Terraform override that points the AWS provider at another endpoint.

The synthesized Terraform is never edited for a target: the local target (and
the AWS target's tests) write this override file beside the stack, and the
AWS provider then talks to the embedded emulator and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

# Every service the lab's Terraform calls. A service missing here would make
# the provider call real AWS, so this list is checked by a test.
SERVICES = ("ec2", "iam", "ssm", "sts")


def endpoint_provider(url: str, keys: tuple[str, str] | None = None) -> dict:
    """The provider block: every service at ``url``, no account look-ups; with
    ``keys`` (access key, secret key) set in the block itself.

    ``max_retries`` is low because the emulator answers what it does not
    implement with HTTP 500, which the provider would retry for minutes.
    """
    aws: dict = {"endpoints": [{service: url for service in SERVICES}]}
    if keys:
        aws |= {"access_key": keys[0], "secret_key": keys[1]}
    aws |= {
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
        "max_retries": 2,
    }
    return {"provider": {"aws": aws}}


def write_override(path: Path, content: dict) -> Path:
    path.write_text(json.dumps(content, indent=2) + "\n")
    return path
