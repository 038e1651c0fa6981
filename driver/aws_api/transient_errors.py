"""AWS errors that go away on their own, and only those: throttling, and AWS's
eventual consistency (a dependency not yet released, an id not yet visible).
Anything else is final and is reported, never retried."""

from __future__ import annotations

from botocore.exceptions import ClientError

TRANSIENT = {
    "Throttling": "AWS is throttling requests",
    "ThrottlingException": "AWS is throttling requests",
    "RequestLimitExceeded": "the request rate limit was hit",
    "DependencyViolation": "a dependent resource is still being released",
    "IncorrectState": "the resource is still changing state",
    "InvalidInstanceID.NotFound": "the instance is not visible yet",
}


def transient_reason(exc: BaseException) -> str | None:
    """Why this error is worth a retry, or None when it is not."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code in TRANSIENT:
            return f"{TRANSIENT[code]} ({code})"
    return None
