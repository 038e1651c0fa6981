"""What a kept guest's agent answers (driver/guest_agent.py): the applied
lab's data plane in the guest's kernel (driver/local/kept_dataplane.py's
``OnHost``, here the guest's host), and what the emulator reads of it
(driver/local/emulator/lab_nodes.py). Each takes keyword arguments and
``progress``; each returns what JSON carries.
"""

from __future__ import annotations

import subprocess

from driver.lab.model import Lab
from driver.local.applied_dataplane import Applied
from driver.local.applied_transit import AppliedTransit
from driver.local.emulator import lab_nodes
from driver.local.kept_dataplane import OnHost
from driver.local.shared import node_access


def build(applied: Applied | AppliedTransit, progress) -> str:
    return OnHost(applied.lab.name).build(applied, progress)


def built(lab: str, progress) -> bool:
    return OnHost(lab).built()


def checks(lab: Lab, telemetry_passed: bool, timeout: float, progress) -> str:
    return OnHost(lab.name).checks(lab, telemetry_passed, timeout, progress)


def transit_checks(lab: Lab, tables, progress) -> str:
    return OnHost(lab.name).transit_checks(lab, tables, progress)


def reroute(lab: Lab, routing, progress) -> None:
    OnHost(lab.name).reroute(lab, routing)


def tunnels(lab: Lab, progress) -> list[dict]:
    return OnHost(lab.name).tunnels(lab)


def namespaces(lab: str, progress) -> list[str]:
    return node_access.lab_namespaces(lab)


def teardown(lab: Lab, progress) -> list[str]:
    return OnHost(lab.name).teardown(lab)


# --- what the emulator reads (driver/local/emulator/lab_nodes.py's answers in this kernel)


def tunnel_states(lab: str, progress) -> dict[str, bool]:
    return lab_nodes.local_tunnel_states(lab)


def vtysh(lab: str, commands: list[str], progress, tunnels: list[str] = ()) -> str:
    return lab_nodes.local_vtysh(lab, *commands, tunnels=tunnels)


def names(lab: str, progress) -> dict:
    return lab_nodes.recorded_names(lab)


def shell(lab: str, node: str, script: str, timeout: float, progress) -> dict | None:
    """``sh -c script`` as the node (SSM Run Command): its exit code and output."""
    prefix = lab_nodes.local_node_shell(lab, node)
    if prefix is None:
        return None
    try:
        done = subprocess.run(
            [*prefix, script], capture_output=True, text=True, timeout=timeout, errors="replace"
        )
    except subprocess.TimeoutExpired as exc:
        return {"timeout": True, "stdout": _text(exc.stdout), "stderr": _text(exc.stderr)}
    return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value or ""


OPERATIONS = {
    f.__name__: f
    for f in (
        build,
        built,
        checks,
        transit_checks,
        reroute,
        tunnels,
        namespaces,
        teardown,
        tunnel_states,
        vtysh,
        names,
        shell,
    )
}
