"""The local target for a Transit Gateway lab: what differs from a VGW lab's.

apply and destroy are the VGW lab's (driver/local/target.py: the emulator, Terraform,
the leak check, a guest kept for a lab this host's kernel cannot run); the data plane
is built from what was applied (driver/local/applied_transit.py), where the lab's
placement puts it (driver/local/kept_dataplane.py). verify asks the emulator for each
site's ``VgwTelemetry`` (a BGP site's with its session, read from the site's own
VGW), then runs ``vpnlab check``'s rows on the running data plane (driver/local/
transit_check.py ``checked``: each site's tunnels and BGP, the pings through the
gateway as the lab's tables decide, ECMP where shown), with the route tables as the
emulator holds them now: a BGP site's propagated routes are what its VGW learned.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from driver.checks.report import Report
from driver.checks.telemetry import wait_for_accepted_routes, wait_for_telemetry
from driver.core.invocation import command
from driver.lab.model import Lab
from driver.lab.transit_routes import output_key, refuse_unless_applied
from driver.local import applied_transit
from driver.local.applied_dataplane import clients
from driver.local.emulator.process import Emulator
from driver.local.kept_dataplane import InGuest, OnHost

Progress = Callable[[str], None]


def up_line(lab: Lab, kernel_name: str, seconds: float) -> str:
    return (
        f"data plane up: {lab.name}'s Transit Gateway (its route tables as applied), "
        f"{len(lab.sites)} sites' VGW and VPN server charons and {len(lab.vpcs)} VPCs in "
        f"{kernel_name} ({seconds:.1f} s)"
    )


def verify_applied(
    lab: Lab,
    lab_path: Path,
    emulator: Emulator,
    place: OnHost | InGuest,
    outputs: dict,
    progress: Progress,
    timeout: float,
) -> Report:
    """Each site's connection UP in ``VgwTelemetry``, then the check's rows on the
    running data plane, whose gateway routes by the emulator's tables as they are now
    (as a VGW lab's VPC routers do by EC2's)."""
    again = f"`{command('apply', lab_path, root=True)}`"
    refuse_unless_applied(lab, outputs, "applied stack", again)
    started = time.monotonic()
    ec2, _ = clients(lab, emulator)
    rows = []
    for site in lab.sites:
        connection = outputs[f"{output_key(site.name)}_vpn_connection_id"]
        telemetry = wait_for_telemetry(ec2, connection, timeout, progress)
        rows.append(dataclasses.replace(telemetry, name=f"site {site.name}: {telemetry.name}"))
        if site.vpn.routing == "bgp" and telemetry.passed:  # its propagated routes, read next
            wait_for_accepted_routes(ec2, connection, timeout, progress)
    tables = applied_transit.gateway_tables(lab, ec2, outputs)
    found = Report.from_json(place.transit_checks(lab, tables, progress))
    report = Report(
        lab.name,
        False,
        rows + found.checks,
        command="verify",
        tunnels=found.tunnels,
        customer_gateway="each site's VPN server instance's user data",
        esp=found.esp,
        dataplane=place.where(),
    )
    report.passed = all(c.passed for c in report.checks)
    report.seconds = round(time.monotonic() - started, 2)
    return report
