"""``vpnlab verify --target aws``: the lab's checks on the account it was applied to.

1. the three instances' SSM agents Online (``DescribeInstanceInformation``);
2. the VPN server's user data finished (``/var/lib/vpnlab/ready``, read over
   SSM Run Command) and both tunnels UP in ``VgwTelemetry``; when either wait
   runs out, the server's cloud-init tail and its SAs (``swanctl --list-sas``
   or ``ipsec statusall``) are fetched over SSM and shown;
3. the lab's expectations with the same runner as local (driver/checks/runner.py):
   ping from the test hosts over SSM Run Command, the VGW's tunnels from
   ``VgwTelemetry``, the server's from ``swanctl`` over SSM;
4. Reachability Analyzer on the lab's two paths (driver/checks/reachability.py).

Every wait is bounded (``--timeout`` covers steps 1–2) and says how long it
has waited. Against the emulator (``VPNLAB_AWS_ENDPOINT_URL``), SSM runs the
commands in the lab's namespaces and the analyses come from vpnlab's own
path analysis, so this whole path runs in CI.
"""

from __future__ import annotations

import json
import re
import time
from typing import Protocol

from driver.aws.ssm import Ssm
from driver.aws_api.waiting import Backoff, Progress, wait_until
from driver.checks import remote_commands
from driver.checks.reachability import analyse_paths
from driver.checks.report import Report
from driver.checks.runner import TUNNEL_TIMEOUT, CheckResult, ExpectationRunner, Unsupported
from driver.checks.telemetry import describe, statuses, wait_for_telemetry
from driver.core.errors import VpnlabError
from driver.lab.expectations import Expectation
from driver.lab.expectations import of_lab as expectations_of_lab
from driver.lab.model import Lab
from driver.lab.topology import aws_inside_addresses
from driver.synth.terraform import Terraform, TerraformError


class Account(Protocol):
    """What verify needs of the target it checks (``AwsTarget``)."""

    lab: Lab
    progress: Progress

    def client(self, service: str): ...

    def terraform(self) -> Terraform: ...


# A source build of strongSwan on a small instance takes minutes (README, "on AWS").
DEFAULT_TIMEOUT = 900.0
REACHABILITY_TIMEOUT = 300.0
INSTANCES = {
    "aws": "aws_test_instance_id",
    "onprem": "onprem_test_instance_id",
    "server": "vpn_server_instance_id",
}
SLOW = Backoff(first=0.2, factor=1.5, longest=10.0)


class SsmRunner(ExpectationRunner):
    """Expectations on AWS: instances over SSM, the VGW through VgwTelemetry."""

    def __init__(
        self, ssm: Ssm, ec2, outputs: dict, online: set[str], progress: Progress, lab: Lab
    ):
        self.ssm, self.ec2, self.outputs, self.online = ssm, ec2, outputs, online
        self.progress, self.lab = progress, lab

    def placeholders(self) -> dict[str, str]:
        o = self.outputs
        return {
            "aws_test_ip": o["aws_test_private_ip"],
            "onprem_test_ip": o["onprem_test_private_ip"],
            "server_ip": o["vpn_server_private_ip"],
            "public_ip": o["vpn_server_public_ip"],
            "tunnel1_address": o["tunnel1_address"],
            "tunnel2_address": o["tunnel2_address"],
        }

    def instance(self, node: str) -> str:
        if node not in INSTANCES:
            raise Unsupported(
                f"node '{node}' exists only in the local lab (on AWS: aws, onprem, server, vgw)"
            )
        return self.outputs[INSTANCES[node]]

    def run_on(self, node: str, commands: list[str]) -> str:
        instance = self.instance(node)
        if instance not in self.online:
            raise VpnlabError(f"the SSM agent of {instance} ({node}) is not online")
        return self.ssm.run(instance, commands).stdout

    def ping_output(self, node: str, address: str) -> str:
        return self.run_on(node, remote_commands.ping(address))

    def _ping(self, e: Expectation) -> tuple[bool, str]:
        try:
            return super()._ping(e)
        except VpnlabError as exc:
            return False, str(exc)

    def _tunnel(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        if e.node == "server":
            try:
                out = self.run_on("server", remote_commands.tunnel_status(e.argument))
            except VpnlabError as exc:
                return False, str(exc)
            up = "ESTABLISHED" in out and "INSTALLED" in out
            return up, (out.strip().splitlines() or ["no output"])[0]
        number = re.fullmatch(r"Tunnel([12])", e.argument)
        if not number:
            raise Unsupported(f"the VGW's tunnels are Tunnel1 and Tunnel2, not {e.argument}")
        address = self.outputs[f"tunnel{number.group(1)}_address"]

        def up() -> tuple[bool, str]:
            entry = statuses(self.ec2, self.outputs["vpn_connection_id"]).get(address, {})
            return entry.get("Status") == "UP", f"{address} {describe(entry)} in VgwTelemetry"

        outcome = wait_until(up, timeout, f"{e.argument} UP", self.progress)
        return outcome.done, outcome.status

    def _bgp(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        """The VGW's side from VgwTelemetry: with dynamic routing a tunnel is UP only
        while its BGP session is established, and AcceptedRouteCount is what the VGW
        took from it (user guide, "Site-to-Site VPN tunnel status")."""
        if e.node == "server":
            return self._server_bgp(e, timeout)
        passed, detail = self._tunnel(e, timeout)
        number = re.fullmatch(r"Tunnel([12])", e.argument)
        address = self.outputs[f"tunnel{number.group(1)}_address"]
        entry = statuses(self.ec2, self.outputs["vpn_connection_id"]).get(address, {})
        return passed, f"{detail}; {entry.get('AcceptedRouteCount', 0)} routes accepted"

    def _server_bgp(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        """The VPN server's FRR, over SSM: its session with AWS's inside address."""
        peers = {f"Tunnel{n}": str(a) for n, a in enumerate(aws_inside_addresses(self.lab), 1)}
        if e.argument not in peers:
            raise Unsupported(f"the tunnels are Tunnel1 and Tunnel2, not {e.argument}")
        peer = peers[e.argument]

        def established() -> tuple[bool, str]:
            try:
                out = self.run_on("server", remote_commands.bgp_neighbor(peer))
            except VpnlabError as exc:
                return False, str(exc)
            try:
                neighbor = json.loads(out or "{}").get(peer, {})
            except ValueError:  # FRR not running yet: vtysh says so in words
                return False, f"vtysh answered: {out.strip()[:200]}"
            state = neighbor.get("bgpState", "no such neighbour")
            family = neighbor.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
            accepted = family.get("acceptedPrefixCounter", 0)
            return state == "Established", f"{state} with {peer}; {accepted} prefixes accepted"

        outcome = wait_until(established, timeout, f"BGP with {peer}", self.progress)
        return outcome.done, outcome.status


def applied_outputs(target: Account, key: str) -> dict:
    """The applied stack's outputs; refused when ``key`` (its gateway's or connection's
    ID) is not among them: the lab is not applied to AWS from this checkout."""
    try:
        outputs = target.terraform().outputs()
    except (TerraformError, FileNotFoundError):
        outputs = {}
    if key not in outputs:
        raise VpnlabError(
            f"lab '{target.lab.name}' is not applied to AWS from this checkout: run "
            "`make apply TARGET=aws` first"
        )
    return outputs


def verify(target: Account, timeout: float | None = None) -> Report:
    lab, progress = target.lab, target.progress
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    outputs = applied_outputs(target, "vpn_connection_id")
    started = time.monotonic()
    ec2 = target.client("ec2")
    ssm = Ssm(target.client("ssm"), progress, SLOW)
    report = Report(
        lab.name,
        False,
        [],
        command="verify",
        customer_gateway="the VPN server instance (EC2)",
        esp=f"AWS {lab.region}",
    )
    ids = {node: outputs[key] for node, key in INSTANCES.items()}

    def remaining() -> float:
        return max(timeout - (time.monotonic() - started), 0.0)

    agents, online = wait_for_agents(ssm, ids, remaining(), progress)
    report.checks.append(agents)
    server = ids["server"]
    setup = wait_for_setup(ssm, server, server in online, remaining(), progress, timeout)
    report.checks.append(setup)
    # The verdict names the verify's bound, not what was left of it (deterministic).
    telemetry = wait_for_telemetry(
        ec2, outputs["vpn_connection_id"], remaining(), progress, bound=timeout
    )
    report.checks.append(telemetry)
    if not (setup.passed and telemetry.passed) and server in online:
        report.diagnostics = server_diagnostics(ssm, server, lab.tunnels, progress)
    runner = SsmRunner(ssm, ec2, outputs, online, progress, lab)
    expectations = expectations_of_lab(lab.checks.expect, lab.vpn.routing)
    report.checks += runner.run(expectations, TUNNEL_TIMEOUT)
    report.checks += analyse_paths(
        ec2,
        {
            "AWS test host → VGW": outputs["path_aws_to_vgw_id"],
            "on-prem test host → VPN server": outputs["path_onprem_to_vpn_server_id"],
        },
        REACHABILITY_TIMEOUT,
        progress,
    )
    report.passed = all(c.passed for c in report.checks)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def wait_for_agents(
    ssm: Ssm, ids: dict[str, str], timeout: float, progress: Progress
) -> tuple[CheckResult, set[str]]:
    """Until every instance's SSM agent is online (``ids``: each instance by what it
    is): the row, and the instances online at its end."""
    online: set[str] = set()

    def agents() -> tuple[bool, str]:
        online.clear()
        online.update(ssm.online(list(ids.values())))
        missing = [f"{what} ({i})" for what, i in ids.items() if i not in online]
        return not missing, "not yet online: " + ", ".join(missing) if missing else "all online"

    outcome = wait_until(agents, timeout, "the instances' SSM agents", progress, SLOW)
    row = CheckResult("SSM agents online", outcome.done, outcome.seconds, outcome.status)
    return row, online


def wait_for_setup(
    ssm: Ssm, server: str, online: bool, timeout: float, progress: Progress, bound: float
) -> CheckResult:
    """Until vpnlab-setup on the VPN server has finished (ready or failed)."""
    name = "VPN server user data finished"
    if not online:
        return CheckResult(name, False, 0.0, f"cannot ask: the SSM agent of {server} is offline")

    def finished() -> tuple[bool, str]:
        answer = ssm.run(server, remote_commands.SETUP_STATE)
        state = answer.stdout.strip() or f"no answer ({answer.status})"
        return state.startswith(("READY", "FAILED")), state

    outcome = wait_until(finished, timeout, "the VPN server's user data", progress, SLOW)
    passed = outcome.done and outcome.status.startswith("READY")
    detail = outcome.status.replace("\n", " ")
    if not outcome.done:
        detail += f" after {bound:.0f} s"
    return CheckResult(name, passed, outcome.seconds, detail)


def server_diagnostics(ssm: Ssm, server: str, tunnels, progress: Progress, whose: str = "") -> str:
    """The VPN server's cloud-init log, SAs and charon log, over SSM, for a setup or a
    telemetry that failed (``whose``: a Transit Gateway lab's site)."""
    progress(f"fetching {whose or 'the'} VPN server's cloud-init log and SAs over SSM...")
    fetched = ssm.run(server, remote_commands.DIAGNOSTICS)
    # The dump is built to hold no key; the lab's own keys are masked anyway.
    text = _masked(
        fetched.stdout or f"(no output: {fetched.status})",
        [t.preshared_key for t in tunnels if t.preshared_key],
    )
    progress(text.rstrip())
    return text


def _masked(text: str, keys: list[str]) -> str:
    for key in keys:
        text = text.replace(key, "********")
    return text
