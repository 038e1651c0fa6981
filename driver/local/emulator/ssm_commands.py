"""SSM Run Command, run for real in the lab's namespaces.

An instance is "managed" (its SSM agent online) when its lab's data plane
has its node: the test hosts are the namespaces "aws" and "onprem", the VPN
server is "server" (its charon's mount namespace: its own /var and files); a
Transit Gateway lab's are each VPC's and site's (``v0-aws``, ``s0-server`` …).
Only vpnlab's own commands run (driver/checks/remote_commands.py), as SSM would
run them: as root, in the background, polled with GetCommandInvocation.
"""

from __future__ import annotations

import subprocess
import threading
import time

from moto.core.responses import ActionResult
from moto.ssm.responses import SimpleSystemManagerResponse

from driver.lab.model import LAB_TAG
from driver.local.emulator import lab_nodes
from driver.local.emulator.common import ec2_backend, now
from driver.local.shared import node_access

OUTPUT_LIMIT = 24000  # GetCommandInvocation returns the first 24,000 characters
_invocations: dict[tuple[str, str], dict] = {}


def _node(backend, instance_id: str) -> tuple[str, str] | None:
    """(lab, node) of a running lab instance, from its tags."""
    tags = backend.tags.get(instance_id, {})
    lab = tags.get(LAB_TAG)
    if not lab:
        return None
    node = lab_nodes.instance_node(lab, tags.get("Name", "").removeprefix(f"{lab}-"))
    if not node:
        return None
    try:
        if backend.get_instance(instance_id).state != "running":
            return None
    except Exception:  # no such instance
        return None
    return lab, node


def _shell(lab_node: tuple[str, str] | None) -> list[str] | None:
    if lab_node is None:
        return None
    lab, node = lab_node
    return lab_nodes.node_shell(lab, node)


def _online(backend, instance_ids) -> set[str]:
    """The lab instances whose node is up: one namespace listing per lab."""
    namespaces: dict[str, list[str]] = {}
    online = set()
    for instance_id in instance_ids:
        lab_node = _node(backend, instance_id)
        if lab_node is None:
            continue
        lab, node = lab_node
        if lab not in namespaces:
            namespaces[lab] = lab_nodes.lab_namespaces(lab)
        if node_access.namespace_name(lab, node) in namespaces[lab]:
            online.add(instance_id)
    return online


def describe_instance_information(self) -> ActionResult:
    backend = ec2_backend(self)
    wanted: set[str] = set()
    for f in self._get_param("Filters", []) or []:
        if f.get("Key") == "InstanceIds":
            wanted |= set(f.get("Values", []))
    for f in self._get_param("InstanceInformationFilterList", []) or []:
        if f.get("key") == "InstanceIds":
            wanted |= set(f.get("valueSet", []))
    instances = [
        i for r in backend.all_reservations() for i in r.instances if not wanted or i.id in wanted
    ]
    online = _online(backend, [i.id for i in instances])
    found = [
        {
            "InstanceId": instance.id,
            "PingStatus": "Online",
            "LastPingDateTime": now(),
            "AgentVersion": "vpnlab-emulator",
            "PlatformType": "Linux",
            "PlatformName": "Amazon Linux",
            "ResourceType": "EC2Instance",
            "IPAddress": instance.private_ip,
        }
        for instance in instances
        if instance.id in online
    ]
    return ActionResult({"InstanceInformationList": found})


_original_send_command = None
_original_get_command_invocation = None


def send_command(self) -> ActionResult:
    from moto.ssm.exceptions import SSMException

    from driver.checks.remote_commands import is_vpnlab_command

    if self._get_param("DocumentName") != "AWS-RunShellScript":
        return _original_send_command(self)
    parameters = self._get_param("Parameters", {}) or {}
    commands = parameters.get("commands", [])
    backend = ec2_backend(self)
    instance_ids = self._get_param("InstanceIds", []) or []
    nodes = {i: _node(backend, i) for i in instance_ids}
    for lab_node in nodes.values():
        if not is_vpnlab_command(commands, lab_nodes.node_kind(lab_node[1]) if lab_node else ""):
            raise SSMException(
                "InvalidParameters",
                "the vpnlab emulator runs only vpnlab's own commands on each instance "
                "(driver/checks/remote_commands.py)",
            )
    shells = {i: _shell(lab_node) for i, lab_node in nodes.items()}
    offline = [i for i, shell in shells.items() if shell is None]
    if offline:
        raise SSMException(
            "InvalidInstanceId",
            f"Instances {offline} not in a valid state for account {self.current_account}",
        )
    timeout = min(int((parameters.get("executionTimeout") or ["60"])[0]), 600)
    result = _original_send_command(self)
    command_id = result.result["Command"]["CommandId"]
    for instance_id, shell in shells.items():
        invocation = {
            "CommandId": command_id,
            "InstanceId": instance_id,
            "Comment": self._get_param("Comment", ""),
            "DocumentName": "AWS-RunShellScript",
            "PluginName": "aws:runShellScript",
            "ResponseCode": -1,
            "ExecutionStartDateTime": now(),
            "Status": "InProgress",
            "StatusDetails": "InProgress",
            "StandardOutputContent": "",
            "StandardErrorContent": "",
        }
        _invocations[(command_id, instance_id)] = invocation
        threading.Thread(
            target=_execute, args=(invocation, shell, "\n".join(commands), timeout), daemon=True
        ).start()
    return result


def _execute(invocation: dict, shell: list[str], script: str, timeout: int) -> None:
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [*shell, script], capture_output=True, text=True, timeout=timeout, errors="replace"
        )
        code, out, err = proc.returncode, proc.stdout, proc.stderr
        status, details = ("Success", "Success") if code == 0 else ("Failed", "Failed")
    except subprocess.TimeoutExpired as exc:
        code, out, err = 1, _text(exc.stdout), _text(exc.stderr)
        status, details = "Failed", "ExecutionTimedOut"
    invocation.update(
        ResponseCode=code,
        StandardOutputContent=out[:OUTPUT_LIMIT],
        StandardErrorContent=err[:OUTPUT_LIMIT],
        ExecutionElapsedTime=f"PT{time.monotonic() - started:.3f}S",
        ExecutionEndDateTime=now(),
        StatusDetails=details,
        Status=status,  # last: a poller that sees it done sees the output too
    )


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value or ""


def get_command_invocation(self) -> ActionResult:
    key = (self._get_param("CommandId"), self._get_param("InstanceId"))
    if key in _invocations:
        return ActionResult(dict(_invocations[key]))
    return _original_get_command_invocation(self)


def install() -> None:
    global _original_send_command, _original_get_command_invocation
    _original_send_command = SimpleSystemManagerResponse.send_command
    _original_get_command_invocation = SimpleSystemManagerResponse.get_command_invocation
    for handler in (describe_instance_information, send_command, get_command_invocation):
        setattr(SimpleSystemManagerResponse, handler.__name__, handler)
