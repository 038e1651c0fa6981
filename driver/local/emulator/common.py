"""What every emulator extension shares: AWS's timestamps, the lab a resource
belongs to, the EC2 backend behind a response handler, and how an answer that
moto does not make waits for the request."""

from __future__ import annotations

from datetime import UTC, datetime

from driver.lab.model import LAB_TAG


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def lab_tag(resource) -> str | None:
    return resource.ec2_backend.tags.get(resource.id, {}).get(LAB_TAG)


def outside_addresses(connection) -> list[str]:
    """A VPN connection's tunnels' outside addresses: they name its VGW node in the data
    plane (a Transit Gateway lab has one per site)."""
    return [o["OutsideIpAddress"] for o in (connection.options or {}).get("TunnelOptions", [])]


def ec2_backend(response):
    """The EC2 backend of the account and region a (non-EC2) response serves."""
    from moto.ec2.models import ec2_backends

    return ec2_backends[response.current_account][response.region]


# An AWS API request is a few kilobytes; a body this large is not read for an answer
# that does not need it (the client's write then fails, as it should).
MAX_UNREAD_BODY = 1 << 20


def read_request_body(environ) -> None:
    """Read the request's body before answering without moto (a replayed answer, a
    refusal): Go's transport sends the body after the headers, from another goroutine,
    and an answer that comes first lets the client close the request body under that
    write; the failed write closes the connection under the client's read of the answer
    (``read tcp …: use of closed network connection``, seen in CI on a DeleteParameter)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if 0 < length <= MAX_UNREAD_BODY:
        environ["wsgi.input"].read(length)
