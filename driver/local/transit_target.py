"""The local target for a Transit Gateway lab: what differs from a VGW lab's.

apply and destroy are the VGW lab's (driver/local/target.py: the emulator, Terraform,
the leak check); the data plane is built from what was applied
(driver/local/applied_transit.py), in this host's kernel. verify asks the emulator
for each site's ``VgwTelemetry``, then runs ``vpnlab check``'s rows on the running
data plane (driver/local/transit_check.py ``checked``: each site's tunnels, the pings
through the gateway as the lab's tables decide, ECMP where shown), with the route
tables as the emulator holds them now.

Not yet (refused before anything is created, naming what works): a data plane in a
kept guest (a route-based site on a host without the kernel's ESP), and BGP sites,
whose learned prefixes reach the emulated gateway's tables in ``vpnlab check`` only.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from driver.checks.report import Report
from driver.checks.telemetry import wait_for_telemetry
from driver.core.errors import VpnlabError
from driver.core.invocation import command
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.lab.model import Lab
from driver.lab.transit_routes import output_key
from driver.local import applied_transit
from driver.local.applied_dataplane import attached, clients
from driver.local.dataplane import kernel
from driver.local.emulator.process import Emulator
from driver.local.kept_dataplane import OnHost
from driver.local.placement import Placement
from driver.local.transit_check import checked

Progress = Callable[[str], None]


def refuse_unsupported(lab_path: Path, lab: Lab, where: Placement) -> None:
    """What the local target cannot apply of a Transit Gateway lab yet, said before
    anything is created."""
    check = command("check", lab_path, root=True)
    if where.guest:
        raise VpnlabError(
            f"lab '{lab.name}' is a Transit Gateway lab whose data plane needs the guest "
            f"kernel ({where.reason}): the local target builds a Transit Gateway lab in "
            f"this host's kernel only, for now; `{check}` runs it in the guest. Nothing "
            "was changed"
        )
    bgp = [s.name for s in lab.sites if s.vpn.routing == "bgp"]
    if bgp:
        raise VpnlabError(
            f"lab '{lab.name}' has BGP sites ({', '.join(bgp)}): the local target does not "
            "yet carry what their sessions learn into the emulated Transit Gateway's "
            f"route tables; `{check}` runs them. Nothing was changed"
        )


def up_line(lab: Lab, seconds: float) -> str:
    return (
        f"data plane up: {lab.name}'s Transit Gateway (its route tables as applied), "
        f"{len(lab.sites)} sites' VGW and VPN server charons and {len(lab.vpcs)} VPCs in "
        f"this host's kernel ({seconds:.1f} s)"
    )


def verify_applied(
    lab: Lab,
    state: LabState,
    emulator: Emulator,
    outputs: dict,
    progress: Progress,
    timeout: float,
) -> Report:
    """Each site's connection UP in ``VgwTelemetry``, then the check's rows on the
    running data plane, whose gateway routes by the emulator's tables as they are now
    (as a VGW lab's VPC routers do by EC2's)."""
    started = time.monotonic()
    ec2, _ = clients(lab, emulator)
    rows = []
    for site in lab.sites:
        key = output_key(site.name)
        telemetry = wait_for_telemetry(ec2, outputs[f"{key}_vpn_connection_id"], timeout, progress)
        rows.append(dataclasses.replace(telemetry, name=f"site {site.name}: {telemetry.name}"))
    tdp = attached(lab, state)
    tdp.reroute(applied_transit.gateway_tables(ec2, outputs))
    state.write(DATAPLANE_RECORD, tdp.record())
    found, tunnels = checked(tdp, lifecycle=False, failover=False, progress=progress)
    report = Report(
        lab.name,
        False,
        rows + found,
        command="verify",
        tunnels=tunnels,
        customer_gateway="each site's VPN server instance's user data",
        esp=kernel.probe().describe(),
        dataplane=OnHost(lab.name).where(),
    )
    report.passed = all(c.passed for c in report.checks)
    report.seconds = round(time.monotonic() - started, 2)
    return report
