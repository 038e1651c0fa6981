"""What every emulator extension shares: AWS's timestamps, the lab a resource
belongs to, and the EC2 backend behind a response handler."""

from __future__ import annotations

from datetime import UTC, datetime

from driver.lab.model import LAB_TAG


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def lab_tag(resource) -> str | None:
    return resource.ec2_backend.tags.get(resource.id, {}).get(LAB_TAG)


def ec2_backend(response):
    """The EC2 backend of the account and region a (non-EC2) response serves."""
    from moto.ec2.models import ec2_backends

    return ec2_backends[response.current_account][response.region]
