"""What of a local lab is up: ``vpnlab status``, and the tunnels' states for
``vpnlab diagram`` when the lab is deployed."""

from __future__ import annotations

from driver.checks.report import Report
from driver.checks.runner import CheckResult
from driver.core.errors import VpnlabError
from driver.core.state import LabState
from driver.lab.model import Lab
from driver.local import kept_dataplane
from driver.local.target import running_emulator, terraform_of
from driver.render.diagram import TunnelState


def status(lab: Lab) -> Report:
    """A row per part of the local lab: the emulator, Terraform's state, the data
    plane's namespaces, each tunnel, the last verify. It passes when the lab is up:
    its emulator answers and nothing is down."""
    state = LabState(lab.name)
    rows: list[CheckResult] = []

    def row(name: str, status: str, detail: str) -> None:
        rows.append(CheckResult(name, status != "FAIL", 0.0, detail, skipped=status == "SKIP"))

    record = state.read("emulator.json")
    emulator = running_emulator(state)
    if emulator and emulator.outdated():
        row("emulator", "FAIL", f"running on {emulator.url} (pid {emulator.pid}), with vpnlab's "
            "code from before an update: `vpnlab destroy`, then `vpnlab apply`")  # fmt: skip
    elif emulator:
        row("emulator", "PASS", f"running on {emulator.url} (pid {emulator.pid})")
    elif record:
        row("emulator", "FAIL", f"recorded (pid {record['pid']}) but not answering")
    else:
        row("emulator", "SKIP", "not running")
    tfstate = state.terraform_dir / "terraform.tfstate"
    if tfstate.exists():
        listed = terraform_of(lab, state).run("state", "list", check=False).stdout.split()
        row("terraform", "PASS", f"{len(listed)} resources in state")
    else:
        row("terraform", "SKIP", "no state")
    place = kept_dataplane.of_lab(lab.name)
    if isinstance(place, kept_dataplane.InGuest):
        guest = place.guest
        if guest.running() and guest.outdated():
            row("guest", "FAIL", f"running (pid {guest.identity.pid}), with vpnlab's code from "
                "before an update: `vpnlab apply` again boots a new one")  # fmt: skip
            place = None
        elif guest.running():
            row("guest", "PASS", f"running (pid {guest.identity.pid}): {guest.machine}")
        else:
            row("guest", "FAIL", f"{guest.gone()}; `vpnlab destroy` removes what is left")
            place = None
    try:
        namespaces = place.namespaces(lab.name) if place else []
        row(
            "data plane",
            "PASS" if namespaces else "SKIP",
            f"{len(namespaces)} namespaces" + (f" ({', '.join(namespaces)})" if namespaces else ""),
        )
        for t in kept_dataplane.tunnel_reports(place.tunnels(lab)) if namespaces else []:
            up = t.state == "ESTABLISHED" and t.child == "INSTALLED"
            row(f"{t.name} {t.address}", "PASS" if up else "FAIL", f"{t.state}/{t.child}")
    except OSError as exc:
        row("tunnels", "FAIL", f"VGW charon not answering ({exc.strerror})")
    except VpnlabError as exc:  # the guest stopped answering
        row("data plane", "FAIL", str(exc))
    last = state.read("last-verify.json")
    if last:
        failed = f" ({', '.join(last['failed'])})" if last["failed"] else ""
        verdict = "PASSED" if last["passed"] else "FAILED"
        said = f"{verdict} at {last['at']}{failed}"
        row("last verify", "PASS" if last["passed"] else "FAIL", said)
    up = emulator is not None and all(r.passed for r in rows)
    return Report(lab.name, up, rows, command="status")


def status_text(report: Report) -> str:
    """As ``vpnlab status`` prints it: the lab, then each part on its line."""
    lines = [f"lab {report.lab} (local target), state in {LabState(report.lab).root}"]
    lines += [f"  {r.name}: {r.detail}" for r in report.checks]
    return "\n".join(lines)


def deployed_tunnels(lab: Lab) -> list[TunnelState] | None:
    """Tunnel addresses and states of the locally deployed lab, if it is up."""
    place = kept_dataplane.of_lab(lab.name)
    try:
        if not place.built():
            return None
        tunnels = kept_dataplane.tunnel_reports(place.tunnels(lab))
    except (OSError, VpnlabError):
        return None
    return [
        TunnelState(
            t.address, "UP" if t.state == "ESTABLISHED" and t.child == "INSTALLED" else "DOWN"
        )
        for t in tunnels
    ]
