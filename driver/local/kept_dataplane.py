"""Where an applied lab's data plane runs: this host's kernel, or a guest kept for
the lab (driver/local/guest/kept.py). Both answer the same questions, so apply,
verify, status and destroy do not know which they talk to; in the guest, its
agent answers them with the very ``OnHost`` of its own kernel.
"""

from __future__ import annotations

import dataclasses
import platform
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from driver.checks.report import Report
from driver.checks.runner import TUNNEL_TIMEOUT, TunnelReport
from driver.core.errors import VpnlabError
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.lab.expectations import of_lab as expectations_of_lab
from driver.lab.model import Lab
from driver.local import applied_dataplane, applied_transit
from driver.local.applied_dataplane import Applied
from driver.local.applied_transit import AppliedTransit
from driver.local.dataplane import kernel
from driver.local.dataplane.network import DataPlane
from driver.local.dataplane.network_view import NetworkView
from driver.local.dataplane_runner import DataPlaneRunner
from driver.local.emulation import EMULATED_SLOWDOWN, stretched
from driver.local.gateway_tables import GatewayTables
from driver.local.guest import kept
from driver.local.guest.kept import KeptGuest
from driver.local.placement import Placement
from driver.local.shared.node_access import lab_namespaces
from driver.local.transit_check import checked
from driver.local.transit_dataplane import TransitDataPlane

Progress = Callable[[str], None]
# s: the guest's answers (its imports are done: these are the operations' own bounds)
BUILD_TIMEOUT = 600.0
TEARDOWN_TIMEOUT = 120.0
QUESTION_TIMEOUT = 60.0


class OnHost:
    """The data plane in this kernel, recorded in the lab's state."""

    slowdown = 1  # its waits' bounds, against this host's
    kernel = "this host's kernel"

    def __init__(self, lab: str):
        self.state = LabState(lab)

    def where(self) -> str:
        return f"this host's kernel {platform.release()} ({kernel.probe().describe()})"

    def build(self, applied: Applied | AppliedTransit, progress: Progress) -> str:
        """Build it (replacing a running one); what ESP it uses."""
        if isinstance(applied, AppliedTransit):
            return applied_transit.build(applied, self.state).kernel.describe()
        return applied_dataplane.build(applied, self.state).kernel.describe()

    def built(self) -> bool:
        """Did an apply finish building it?"""
        return self.state.read(DATAPLANE_RECORD) is not None

    def checks(self, lab: Lab, telemetry_passed: bool, timeout: float, progress: Progress) -> str:
        """The lab's declared checks on the running data plane, as a report's JSON
        (tunnels included); ``diagnostics``: why the tunnels are down, when telemetry
        said so. Under the guest's emulation IKE waits stretch."""
        runner = DataPlaneRunner(self._running(lab), progress)
        report = Report(lab.name, False, [], command="verify", esp=kernel.probe().describe())
        if not telemetry_passed:
            report.diagnostics = "; ".join(d.text() for d in runner.diagnoses())
        bound = stretched(timeout)
        report.checks = runner.run(expectations_of_lab(lab.checks.expect, lab.vpn.routing), bound)
        report.tunnels = runner.tunnels()
        return report.to_json()

    def _running(self, lab: Lab) -> DataPlane | TransitDataPlane:
        """The data plane the apply built, refused when the lab's file no longer
        matches it (a site added, renamed or moved, a VGW lab made a Transit Gateway
        one): what runs would not be what the file says."""
        found = applied_dataplane.attached(lab, self.state)
        sites = getattr(found, "sites", [])
        if found is None or len(sites) != len(lab.sites):
            raise VpnlabError(
                f"lab '{lab.name}': its file no longer matches the data plane its apply "
                "built (sites or the gateway changed since): apply it again, then verify"
            )
        return found

    def transit_checks(self, lab: Lab, tables: GatewayTables, progress: Progress) -> str:
        """A Transit Gateway lab's rows on the running data plane, its gateway routing
        by ``tables`` (the emulator's as they are now), as a report's JSON (tunnels
        included). No rekeys: they would change what it verifies."""
        tdp = self._rerouted(lab, tables)
        rows, tunnels = checked(tdp, lifecycle=False, failover=False, progress=progress)
        esp = kernel.probe().describe()
        return Report(lab.name, False, rows, command="verify", tunnels=tunnels, esp=esp).to_json()

    def reroute(self, lab: Lab, routing: NetworkView | GatewayTables) -> None:
        """Route by EC2's tables as they are now: a VGW lab's VPC routers by ``routing``'s
        view, a Transit Gateway lab's gateway by its tables."""
        self._rerouted(lab, routing)

    def _rerouted(
        self, lab: Lab, routing: NetworkView | GatewayTables
    ) -> DataPlane | TransitDataPlane:
        dp = self._running(lab)
        dp.reroute(routing)
        self.state.write(DATAPLANE_RECORD, dp.record())
        return dp

    def tunnels(self, lab: Lab) -> list[dict]:
        """Each tunnel's state at the VGW; [] with no data plane. OSError: the VGW's
        charon does not answer."""
        found = applied_dataplane.attached(lab, self.state)
        if found is None:
            planes = []
        elif lab.transit_gateway is not None:  # each site's, named after it
            planes = [(f"site {p.site.name}: ", p.dp) for p in found.sites]
        else:
            planes = [("", found)]
        return [
            vars(dataclasses.replace(t, name=prefix + t.name))
            for prefix, dp in planes
            for t in DataPlaneRunner(dp).tunnels()
        ]

    def namespaces(self, lab: str) -> list[str]:
        return lab_namespaces(lab)

    def teardown(self, lab: Lab) -> list[str]:
        """Stop it; what is left."""
        return applied_dataplane.stop_dataplane(lab, self.state)


class InGuest:
    """The data plane in the lab's kept guest: each question goes to its agent."""

    def __init__(self, lab: str, guest: KeptGuest):
        self.lab, self.guest = lab, guest
        self.slowdown = EMULATED_SLOWDOWN if guest.emulated else 1
        self.kernel = "the guest kernel"

    def where(self) -> str:
        return self.guest.machine

    def build(self, applied: Applied | AppliedTransit, progress: Progress) -> str:
        return self.guest.call("build", BUILD_TIMEOUT, progress, applied=applied)

    def built(self) -> bool:
        return self.guest.call("built", QUESTION_TIMEOUT, lab=self.lab)

    def checks(self, lab: Lab, telemetry_passed: bool, timeout: float, progress: Progress) -> str:
        bound = timeout * self.slowdown + BUILD_TIMEOUT
        return self.guest.call(
            "checks", bound, progress, lab=lab, telemetry_passed=telemetry_passed, timeout=timeout
        )

    def transit_checks(self, lab: Lab, tables: GatewayTables, progress: Progress) -> str:
        bound = TUNNEL_TIMEOUT * len(lab.sites) * self.slowdown + BUILD_TIMEOUT
        return self.guest.call("transit_checks", bound, progress, lab=lab, tables=tables)

    def reroute(self, lab: Lab, routing: NetworkView | GatewayTables) -> None:
        self.guest.call("reroute", QUESTION_TIMEOUT, lab=lab, routing=routing)

    def tunnels(self, lab: Lab) -> list[dict]:
        return self.guest.call("tunnels", QUESTION_TIMEOUT, lab=lab)

    def namespaces(self, lab: str) -> list[str]:
        return self.guest.call("namespaces", QUESTION_TIMEOUT, lab=lab)

    def teardown(self, lab: Lab) -> list[str]:
        return self.guest.call("teardown", TEARDOWN_TIMEOUT, lab=lab)


def of_lab(lab: str) -> OnHost | InGuest:
    """Where the applied lab ``lab``'s data plane is: its recorded guest's, or here."""
    guest = kept.recorded(LabState(lab))
    return InGuest(lab, guest) if guest else OnHost(lab)


def tunnel_reports(rows: list[dict]) -> list[TunnelReport]:
    return [TunnelReport(**row) for row in rows]


# --- the guest's lifetime (apply boots it, destroy stops it) ----------------------------


def start_guest(lab: str, placement: Placement, progress: Progress) -> Future[KeptGuest]:
    """The lab's running guest, or one booting in the background (the emulator and
    Terraform go on meanwhile); recorded in the lab's state as soon as its qemu runs.
    A recorded guest that is gone is dropped first."""
    state, booting = LabState(lab), Future()
    guest = kept.recorded(state)
    if guest is not None and guest.running() and not guest.outdated():
        progress(f"the lab's guest kernel is running (pid {guest.identity.pid}): reusing it")
        booting.set_result(guest)
        return booting
    if guest is not None:
        if guest.running():  # its agent's code is not this checkout's: stopped, data plane and all
            progress(
                f"the lab's guest kernel (pid {guest.identity.pid}) runs vpnlab's code from "
                "before an update: booting a new one"
            )
        else:
            progress(f"{guest.gone()}: booting a new one")
        guest.stop()
        state.forget(kept.RECORD)
    progress(f"booting the {placement.reason} for the data plane")

    def boot() -> None:
        started = time.monotonic()
        try:
            booted = KeptGuest.boot(
                placement.guest,
                lab,
                placement.reason,
                state.logs,
                on_start=lambda g: state.write(kept.RECORD, g.record()),
            )
        except BaseException as exc:  # the apply waiting for it raises it
            booting.set_exception(exc)
            return
        progress(f"guest kernel up: booted in {time.monotonic() - started:.1f} s")
        booting.set_result(booted)

    threading.Thread(target=boot, name="guest-boot", daemon=True).start()
    return booting


def stop(lab: Lab, progress: Progress) -> list[str]:
    """Stop the applied lab's data plane wherever it runs, and its guest; what is left."""
    state = LabState(lab.name)
    leaks: list[str] = []
    guest = kept.recorded(state)
    if guest is not None:
        if guest.running() and guest.outdated():  # its agent would not understand: its end
            progress("the lab's guest kernel runs vpnlab's code from before an update: stopping it")
        elif guest.running():
            try:
                leaks += InGuest(lab.name, guest).teardown(lab)
            except VpnlabError as exc:  # the guest's end takes its data plane with it
                progress(f"the guest's data plane did not stop cleanly ({exc}): stopping it")
        else:
            progress(f"{guest.gone()}: removing what is left of it")
        leaks += guest.stop()
        state.forget(kept.RECORD)
        progress(f"stopped the guest kernel ({guest.name})")
    return leaks + applied_dataplane.stop_dataplane(lab, state)
