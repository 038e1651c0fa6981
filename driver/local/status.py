"""What of a local lab is up: ``vpnlab status``, and the tunnels' states for
``vpnlab diagram`` when the lab is deployed."""

from __future__ import annotations

from driver.core.state import LabState
from driver.lab.model import Lab
from driver.local.dataplane.network import DataPlane
from driver.local.dataplane_runner import DataPlaneRunner
from driver.local.shared.node_access import lab_namespaces, sa_up
from driver.local.target import running_emulator, terraform_of
from driver.render.diagram import TunnelState


def status(lab: Lab) -> str:
    state = LabState(lab.name)
    lines = [f"lab {lab.name} (local target), state in {state.root}"]
    record = state.read("emulator.json")
    emulator = running_emulator(state)
    if emulator:
        lines.append(f"  emulator: running on {emulator.url} (pid {emulator.pid})")
    elif record:
        lines.append(f"  emulator: recorded (pid {record['pid']}) but not answering")
    else:
        lines.append("  emulator: not running")
    tfstate = state.terraform_dir / "terraform.tfstate"
    if tfstate.exists():
        listed = terraform_of(lab, state).run("state", "list", check=False).stdout.split()
        lines.append(f"  terraform: {len(listed)} resources in state")
    else:
        lines.append("  terraform: no state")
    namespaces = lab_namespaces(lab.name)
    lines.append(
        f"  data plane: {len(namespaces)} namespaces"
        + (f" ({', '.join(namespaces)})" if namespaces else "")
    )
    record = state.read("dataplane.json")
    if record and namespaces:
        runner = DataPlaneRunner(DataPlane.attach(lab, state.dataplane_dir, record))
        try:
            for t in runner.tunnels():
                lines.append(f"  {t.name} {t.address}: {t.state}/{t.child}")
        except OSError as exc:
            lines.append(f"  tunnels: VGW charon not answering ({exc.strerror})")
    last = state.read("last-verify.json")
    if last:
        lines.append(
            f"  last verify: {'PASSED' if last['passed'] else 'FAILED'} at "
            f"{last['at']}" + (f" ({', '.join(last['failed'])})" if last["failed"] else "")
        )
    return "\n".join(lines)


def deployed_tunnels(lab: Lab) -> list[TunnelState] | None:
    """Tunnel addresses and states of the locally deployed lab, if it is up."""
    state = LabState(lab.name)
    record = state.read("dataplane.json")
    if not record:
        return None
    runner = DataPlaneRunner(DataPlane.attach(lab, state.dataplane_dir, record))
    try:
        sas = runner.sas("vgw")
        return [
            TunnelState(address, "UP" if sa_up(sas.get(f"Tunnel{n}", {})) else "DOWN")
            for n, address in enumerate(runner.dp.plan.tunnel_addresses, start=1)
        ]
    except OSError:
        return [TunnelState(a, "unknown") for a in record["plan"]["tunnel_addresses"]]
