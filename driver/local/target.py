"""The local target: the synthesized Terraform applied to the embedded AWS
emulator, joined to the data plane in namespaces: on this host's kernel, or in
a guest kernel kept for the lab when this one cannot run it (driver/local/
placement.py chooses, as for a check; driver/local/kept_dataplane.py).

* apply: synth -> init -> apply (progress from Terraform's -json events) ->
  the data plane built from what was applied (driver/local/applied_dataplane.py; a
  Transit Gateway lab's: applied_transit.py); a guest boots meanwhile. Re-running
  apply converges.
* verify: both tunnels UP through ``DescribeVpnConnections`` -> ``VgwTelemetry``
  (the call the AWS target uses), the VPC routers given EC2's route tables as
  they are now, then the lab's declared checks where the data plane runs (a
  Transit Gateway lab's: each site's, its gateway routing by the emulator's tables:
  driver/local/transit_target.py).
* destroy: terraform destroy, data plane down, guest and emulator stopped by
  PID, state directory removed, then a leak check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import BotoCoreError

from driver.aws_api.leaks import leftovers
from driver.checks.report import Report
from driver.checks.runner import TUNNEL_TIMEOUT
from driver.checks.telemetry import wait_for_telemetry
from driver.core import interrupts
from driver.core.errors import Fault, VpnlabError
from driver.core.invocation import command
from driver.core.state import LabState
from driver.lab.model import Lab
from driver.local import (
    applied_dataplane,
    applied_transit,
    kept_dataplane,
    placement,
    transit_target,
)
from driver.local.applied_dataplane import clients
from driver.local.dataplane import kernel, ownership
from driver.local.emulator.process import Emulator, write_provider_override
from driver.local.guest import kept
from driver.local.shared import node_access
from driver.synth.synthesis import copy_stack, synth
from driver.synth.terraform import Terraform, key_variables, resource_progress

Progress = Callable[[str], None]
TELEMETRY_TIMEOUT = 30.0
AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


@dataclass
class Phases:
    """Seconds spent in each phase, for progress lines and the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, action):
        started = time.monotonic()
        try:
            return action()
        finally:
            self.seconds[name] = round(time.monotonic() - started, 2)


def terraform_of(lab: Lab, state: LabState) -> Terraform:
    """Terraform in the lab's directory, with the recorded emulator's key (if any)."""
    emulator = recorded_emulator(state, progress=lambda message: None)
    credentials = emulator.environment() if emulator else {}
    return Terraform(state.terraform_dir, env={**credentials, **key_variables(lab)})


def recorded_emulator(state: LabState, progress: Progress = print) -> Emulator | None:
    """The emulator the lab's state records, if it is still that process; a stale
    record (the PID gone or reused after a reboot) is reported and dropped."""
    record = state.read("emulator.json")
    if not record:
        return None
    emulator = Emulator.from_record(record)
    if emulator.ours():
        return emulator
    if emulator.alive():
        progress(
            f"the recorded emulator (pid {emulator.pid}) is gone and its PID now belongs to "
            "another process, which is left alone; dropping the stale record"
        )
    state.forget("emulator.json")
    return None


def running_emulator(state: LabState, progress: Progress = print) -> Emulator | None:
    emulator = recorded_emulator(state, progress)
    return emulator if emulator and emulator.answers() else None


def _ready_emulator(
    state: LabState, running: Emulator | None, region: str, progress: Progress
) -> Emulator:
    """The lab's ``running`` emulator, or a new one; its lazy data (the AMI parameters,
    IAM's managed policies) loaded, so Terraform does not wait for it."""
    emulator = running
    if emulator is None:
        state.logs.mkdir(parents=True, exist_ok=True)
        emulator = Emulator.start(state.logs / "emulator.log")
        state.write("emulator.json", emulator.record())
        progress(f"AWS emulator on {emulator.url} (pid {emulator.pid})")
    session = emulator.session(region)
    session.client("ssm", endpoint_url=emulator.url).get_parameter(Name=AL2023_PARAMETER)
    session.client("iam", endpoint_url=emulator.url).list_policies(MaxItems=1)
    return emulator


# --- apply ---------------------------------------------------------------------------


def apply(
    lab_path: Path, lab: Lab, progress: Progress = print, dataplane: str | None = None
) -> Phases:
    """Apply the lab; interrupted (Ctrl-C, SIGTERM, SIGHUP), it tears down what it
    built, so nothing is left (Terraform, told as in a terminal, saved its state).
    ``dataplane``: host | vm, else the host when its kernel can run the lab."""
    # Before anything is applied: a lab this host cannot run, with no guest, is refused.
    where = placement.choose(lab, None, None, dataplane, kernel.probe())
    try:
        return _apply(lab_path, lab, where, progress)
    except KeyboardInterrupt:
        progress("interrupted: tearing down what apply built")
        destroy(lab, progress)
        raise


def _apply(lab_path: Path, lab: Lab, where: placement.Placement, progress: Progress) -> Phases:
    state = LabState(lab.name)
    phases = Phases()
    with state.lock("apply"), ThreadPoolExecutor(max_workers=1) as pool:
        if ownership.kept_by_check(lab.name) and node_access.lab_namespaces(lab.name):
            raise VpnlabError(  # before anything is created: the namespaces are a check's
                f"lab '{lab.name}' already has namespaces: "
                f"{ownership.namespaces_owner(lab.name)}; nothing was changed"
            )
        running = running_emulator(state, progress)
        _refuse_outdated(lab, running, lab_path)
        started = time.monotonic()
        # The guest boots while the emulator starts, cdktf synthesizes and Terraform
        # applies: all of them wait on child processes.
        guest = kept_dataplane.start_guest(lab.name, where, progress) if where.guest else None
        emulator_ready = pool.submit(
            phases.run, "emulator", lambda: _ready_emulator(state, running, lab.region, progress)
        )
        stack = phases.run("synth", lambda: synth(lab_path, state.root / "cdktf.out"))
        progress(f"synthesized {lab_path} ({phases.seconds['synth']:.1f} s)")
        copy_stack(stack, state.terraform_dir)
        emulator = emulator_ready.result()
        write_provider_override(state.terraform_dir, emulator)
        tf = terraform_of(lab, state)
        phases.run("init", tf.init)
        progress(f"terraform apply against the emulator ({state.terraform_dir})")
        on_event = resource_progress(progress, started)
        try:
            phases.run("apply", lambda: tf.stream("apply", "-auto-approve", on_event=on_event))
            place = phases.run("guest", lambda: _place(lab, guest, progress))
            of = applied_transit if lab.transit_gateway is not None else applied_dataplane
            applied = of.applied(lab, emulator, tf.outputs())
            phases.run("dataplane", lambda: place.build(applied, progress))
        except VpnlabError as exc:  # resources may exist now: a failed run, not a refusal
            also = ", and the guest kernel while it runs" if where.guest else ""
            raise Fault(
                f"{exc}; apply did not finish, and what it created stays in the emulator "
                f"(which keeps running{also}): `{command('destroy', lab_path, root=True)}` "
                "removes it"
            ) from None
        built = phases.seconds["dataplane"]
        progress(
            (
                transit_target.up_line(lab, place.kernel, built)
                if lab.transit_gateway is not None
                else f"data plane up: {lab.name}'s VGW and VPN server charons in "
                f"{place.kernel} ({built:.1f} s)"
            )
            + f"; applied in {time.monotonic() - started:.1f} s"
        )
    return phases


def _refuse_outdated(lab: Lab, emulator: Emulator | None, lab_path: Path) -> None:
    """An emulator started by an older vpnlab asks a kept guest, and answers Terraform,
    with that code; it holds the lab's resources in memory, so only a destroy and an
    apply replace it."""
    if emulator is not None and emulator.outdated():
        destroy_it, apply_it = (command(verb, lab_path, root=True) for verb in ("destroy", "apply"))
        raise VpnlabError(
            f"lab '{lab.name}''s AWS emulator (pid {emulator.pid}) runs vpnlab's code from "
            f"before an update: `{destroy_it}`, then `{apply_it}`; nothing was changed"
        )


def _place(lab: Lab, guest, progress: Progress):
    """Where the data plane goes: the guest once booted, or this host. A data plane
    the lab has elsewhere (applied before with the other choice) is stopped."""
    if guest is None:
        if kept.recorded(LabState(lab.name)):
            kept_dataplane.stop(lab, progress)
        return kept_dataplane.OnHost(lab.name)
    if not guest.done():
        progress("waiting for the guest kernel to boot")
    booted = guest.result()
    applied_dataplane.stop_dataplane(lab, LabState(lab.name))  # one the host ran before
    return kept_dataplane.InGuest(lab.name, booted)


# --- verify --------------------------------------------------------------------------


def verify(
    lab: Lab, progress: Progress = print, timeout: float | None = None, lab_path: Path | None = None
) -> Report:
    """``lab_path``: the lab's file as the user named it, for the commands said next."""
    state = LabState(lab.name)
    with state.lock("verify"):
        return _verify(lab, state, progress, timeout, lab_path or Path(f"{lab.name}.yml"))


def _verify(lab: Lab, state: LabState, progress, timeout, lab_path: Path) -> Report:
    emulator = running_emulator(state)
    apply, destroy = (command(verb, lab_path, root=True) for verb in ("apply", "destroy"))
    if emulator is None:
        raise VpnlabError(f"lab '{lab.name}' is not applied (no emulator runs for it): `{apply}`")
    _refuse_outdated(lab, emulator, lab_path)
    place = kept_dataplane.of_lab(lab.name)
    if isinstance(place, kept_dataplane.InGuest) and not place.guest.running():
        raise Fault(f"{place.guest.gone()}; `{apply}` again boots it and rebuilds the data plane")
    try:
        if not place.built():
            raise VpnlabError(
                f"lab '{lab.name}' has its resources in the emulator (pid {emulator.pid}) but "
                f"no data plane: an apply did not finish; `{apply}` again builds it, "
                f"`{destroy}` removes the lab"
            )
        return _verify_applied(lab, lab_path, state, emulator, place, progress, timeout)
    except Fault as fault:
        raise Fault(f"{fault}; the lab stays applied: `{apply}` again rebuilds it") from None
    except BotoCoreError as exc:  # the emulator died or stopped answering mid-verify
        alive = "is still running but stopped answering" if emulator.alive() else "has exited"
        raise Fault(
            f"the lab's AWS emulator (pid {emulator.pid}, {emulator.url}) {alive} ({exc}); "
            f"its log: {state.logs}; `{destroy}` then `{apply}` rebuilds the lab"
        ) from None


def _verify_applied(lab, lab_path, state, emulator, place, progress, timeout) -> Report:
    """Telemetry from the emulator (which reads the data plane, wherever it runs),
    then the lab's checks where the data plane runs."""
    outputs = terraform_of(lab, state).outputs()
    bound = (timeout or TELEMETRY_TIMEOUT) * place.slowdown
    if lab.transit_gateway is not None:
        report = transit_target.verify_applied(
            lab, lab_path, emulator, place, outputs, progress, bound
        )
    else:
        report = _verify_vgw(lab, emulator, place, outputs, progress, bound)
    state.write(
        "last-verify.json",
        {
            "passed": report.passed,
            "seconds": report.seconds,
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "failed": [c.name for c in report.checks if not c.passed],
        },
    )
    return report


def _verify_vgw(lab, emulator, place, outputs, progress, bound) -> Report:
    """A VGW lab's: its connection's telemetry, then its declared checks."""
    started = time.monotonic()
    ec2, _ = clients(lab, emulator)
    telemetry = wait_for_telemetry(ec2, outputs["vpn_connection_id"], bound, progress)
    # The VPC routers route by EC2's tables as they are now: with BGP, the VGW's
    # propagated routes are what it learned while the sessions were up.
    place.reroute(lab, applied_dataplane.applied(lab, emulator, outputs).view)
    found = Report.from_json(place.checks(lab, telemetry.passed, TUNNEL_TIMEOUT, progress))
    if not telemetry.passed and found.diagnostics:
        telemetry.detail += f": {found.diagnostics}"
    report = Report(
        lab.name,
        False,
        [telemetry, *found.checks],
        command="verify",
        tunnels=found.tunnels,
        customer_gateway="the VPN server instance's user data",
        esp=found.esp,
        dataplane=place.where(),
    )
    report.passed = all(c.passed for c in report.checks)
    report.seconds = round(time.monotonic() - started, 2)
    return report


# --- destroy -------------------------------------------------------------------------


def destroy(lab: Lab, progress: Progress = print) -> list[str]:
    """Tear everything down; return what is left (empty when clean).

    Resources the emulator holds that Terraform's state does not know (an
    apply killed before Terraform saved its state created them) are reported,
    and go with the emulator: locally nothing outlives it. On AWS they would
    be real leaks, which is why they are listed.
    """
    state = LabState(lab.name)
    leaks: list[str] = []
    # A signal during destroy waits until it is done: half a teardown helps nobody.
    with interrupts.deferred(), state.lock("destroy"):
        started = time.monotonic()
        emulator = running_emulator(state, progress)
        if emulator and (state.terraform_dir / "terraform.tfstate").exists():
            progress("terraform destroy against the emulator")
            # The emulator is the only copy of these resources: no refresh needed.
            terraform_of(lab, state).stream(
                "destroy",
                "-auto-approve",
                "-refresh=false",
                on_event=resource_progress(progress, started),
            )
        elif not emulator:
            progress("no emulator running: the lab's emulated resources are already gone")
        if emulator:
            orphans = tagged_leftovers(lab, emulator)
            if orphans:
                progress(
                    f"not in Terraform's state (an interrupted apply made them), removed "
                    f"with the emulator: {'; '.join(orphans)}"
                )
        leaks += kept_dataplane.stop(lab, progress)
        stopped = recorded_emulator(state, progress)
        if stopped:
            stopped.stop()
            if stopped.ours():
                leaks.append(f"emulator pid {stopped.pid} still running")
        if ownership.kept_by_check(lab.name):  # a kept check's lab is not apply's
            progress(f"left alone: {ownership.namespaces_owner(lab.name)}")
            state.remove(keep=(ownership.CHECK_DIR, "lock"))
        else:
            leaks += [f"namespace {n}" for n in node_access.lab_namespaces(lab.name)]
            state.remove()
        progress(
            f"destroyed lab {lab.name} in {time.monotonic() - started:.1f} s; "
            + ("nothing left" if not leaks else f"LEFT: {'; '.join(leaks)}")
        )
    return leaks


def tagged_leftovers(lab: Lab, emulator: Emulator) -> list[str]:
    return leftovers(emulator.session(lab.region), lab.name, emulator.url)
