"""The tunnels as AWS reports them: ``DescribeVpnConnections`` → ``VgwTelemetry``.

The same call on both targets: on AWS it is the VGW's own view; the emulator
answers it from its VGW charon's SAs (driver/local/emulator/server.py).
"""

from __future__ import annotations

from driver.aws_api.waiting import Progress, wait_until
from driver.checks.runner import CheckResult


def statuses(ec2, connection_id: str) -> dict[str, dict]:
    """Outside address -> that tunnel's telemetry entry."""
    connection = ec2.describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"][0]
    return {t["OutsideIpAddress"]: t for t in connection.get("VgwTelemetry", [])}


def describe(entry: dict) -> str:
    text = entry.get("Status", "?")
    return text + (f" ({entry['StatusMessage']})" if entry.get("StatusMessage") else "")


def wait_for_telemetry(
    ec2, connection_id: str, timeout: float, progress: Progress, bound: float | None = None
) -> CheckResult:
    """Bounded wait until both tunnels are UP. ``bound`` is the caller's whole time
    limit, named in the verdict when the wait runs out (``timeout`` may be less:
    what is left of it)."""

    def both_up() -> tuple[bool, str]:
        found = statuses(ec2, connection_id)
        text = ", ".join(f"{a} {describe(t)}" for a, t in found.items())
        return len(found) == 2 and all(t["Status"] == "UP" for t in found.values()), text

    outcome = wait_until(both_up, timeout, "VgwTelemetry UP", progress)
    detail = outcome.status + ("" if outcome.done else f" after {bound or timeout:.0f} s")
    return CheckResult("VgwTelemetry: both tunnels UP", outcome.done, outcome.seconds, detail)


def wait_for_accepted_routes(ec2, connection_id: str, timeout: float, progress: Progress) -> None:
    """Bounded wait until a BGP connection's UP tunnels report a route accepted: the
    session's first UPDATE follows its Established by a moment, and what the connection
    propagates is read after it. Run out, the pings that needed its routes say why."""

    def accepted() -> tuple[bool, str]:
        up = [t for t in statuses(ec2, connection_id).values() if t["Status"] == "UP"]
        count = max((t.get("AcceptedRouteCount", 0) for t in up), default=0)
        return count > 0, f"{count} routes accepted"

    wait_until(accepted, timeout, "a route accepted over BGP", progress)
