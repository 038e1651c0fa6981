"""``vpnlab check``: build the lab's data plane, run its checks, tear it down."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from driver.cgw.detect import implementation
from driver.cgw.libreswan.install import tool
from driver.checks import identity, selectors
from driver.checks.negotiated import judge, suite
from driver.checks.report import Report
from driver.checks.runner import TUNNEL_TIMEOUT, CheckResult
from driver.checks.vici_fields import text
from driver.core.errors import Fault
from driver.core.invocation import command
from driver.lab.aws_rules import generate_psk
from driver.lab.expectations import of_lab as expectations_of_lab
from driver.lab.model import Lab
from driver.lab.nodes import VGW_ENDPOINTS
from driver.local import daemon_logs, lint_rows, replacement
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel, ownership
from driver.local.dataplane.network import DataPlane
from driver.local.dataplane.pluto import CONTROL
from driver.local.dataplane_runner import DataPlaneRunner
from driver.local.emulation import stretched
from driver.local.host_limits import refuse_what_this_host_cannot_run
from driver.local.lifecycle import run_lifecycle
from driver.local.shared import tunnel_record
from driver.local.shared.node_access import lab_prefix, namespace_name, sa_up, vici_socket
from driver.render.cloud_init import CharonOptions

# The VPN server's charon in the local lab: AWS's values where they matter,
# quicker retransmits so a dead tunnel is noticed in seconds (docs/architecture.md).
SERVER_RETRANSMITS = {"retransmit_tries": 3, "retransmit_timeout": 2.0, "retransmit_base": 1.4}


def aws_side(lab: Lab, addresses: tuple[str, str], psks: tuple[str, str]) -> Lab:
    """The lab as the emulated VGW holds it: each tunnel through the record AWS would
    store for it (driver/local/shared/tunnel_record.py), as the local target reads it back."""
    tunnels = tuple(
        tunnel_record.tunnel_of(
            tunnel_record.record(tunnel_record.request_of(t), address, str(t.inside_cidr), psk)
        )
        for t, address, psk in zip(lab.tunnels, addresses, psks, strict=True)
    )
    return dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))


def negotiated(sas: dict[str, dict], lab: Lab, public_ip: str) -> list[CheckResult]:
    """Each established tunnel's negotiated suite, judged by the independent table,
    and the identity the customer gateway presented, judged as AWS would."""
    rows = []
    for n, tunnel in enumerate(lab.tunnels, start=1):
        sa = sas.get(f"Tunnel{n}")
        if not sa or not sa_up(sa):
            continue
        wrong = judge(sa, tunnel.options)
        detail = suite(sa) + (f"; not in the tunnel options: {'; '.join(wrong)}" if wrong else "")
        version = f"IKEv{text(sa.get('version'))}"
        questionable, who = identity.judge(version, text(sa.get("remote-id")), public_ip)
        rows.append(
            CheckResult(
                f"vgw: Tunnel{n} negotiated",
                not wrong,
                0.0,
                f"{detail}; {who}",
                warning=questionable and not wrong,
            )
        )
    return rows


def keys_not_compared(tunnels: list[int], vpn: str = "vpn") -> list[CheckResult]:
    """A row of its own when the VGW had no key of the lab's and took the customer's:
    then a tunnel that comes up says nothing of the keys. ``vpn``: where the lab file
    holds the connection (``sites[0].vpn`` for a Transit Gateway lab's site)."""
    if not tunnels:
        return []
    keys = " and ".join(f"{vpn}.tunnels[{n}].preshared_key" for n in tunnels)
    numbers = " and ".join(str(n + 1) for n in tunnels)
    which = f"tunnel{'s' if len(tunnels) > 1 else ''} {numbers}"
    return [
        CheckResult(
            "pre-shared keys",
            True,
            0.0,
            f"not compared: the lab sets no key for {which}, "
            f"so the VGW used the customer's own; to compare them with AWS's, set {keys} "
            "to the VPN connection's keys",
            skipped=True,
        )
    ]


def configuration_loaded(dp: DataPlane, config: Path | None) -> list[CheckResult]:
    """A row for the customer's files: did its implementation load all of it?"""
    if config is None:
        return []
    server = dp.charons["server"]
    refused, release = server.refused(), server.version()
    name = release.split()[0]  # strongSwan, Libreswan
    detail = "; ".join(refused) if refused else f"{release} loaded every connection"
    return [CheckResult(f"server: {name} loads the configuration", not refused, 0.0, detail)]


def workdir(lab: Lab) -> Path:
    return ownership.check_dir(lab.name)


def kept_help(lab: Lab, lab_path: Path) -> str:
    """How to look into a kept lab, and how to remove it."""
    charons = {"server": "server"} | dict.fromkeys(VGW_ENDPOINTS, "vgw")  # name -> node
    pluto = workdir(lab) / "server" / "run" / CONTROL
    look = "\n".join(
        f"  {tool('whack')} --ctlsocket {pluto} --status"
        if name == "server" and pluto.parent.is_dir()
        else f"  ip netns exec {namespace_name(lab.name, node)} swanctl --list-sas "
        f"--uri unix://{vici_socket(workdir(lab), name)}"
        for name, node in charons.items()
    )
    remove = command("check", lab_path, "--cleanup", root=True)
    return (
        f"kept: namespaces {lab_prefix(lab.name)}*, daemon logs in {workdir(lab)}/*/run/; "
        f"look inside with:\n{look}\nremove with: {remove}"
    )


def run_check(
    lab: Lab,
    *,
    cgw_config: Path | None = None,
    cgw_secrets: Path | None = None,
    keep: bool = False,
    failover: bool = False,
    replace_endpoint: bool = False,
    lifecycle: bool = True,
    lint: bool = True,
    server_psks: tuple[str, str] | None = None,
    progress: Callable[[str], None] = lambda m: None,
    dataplane: str = "",
    cgw_daemon: str | None = None,
    logs: Path | None = None,
) -> Report:
    """Build, check, tear down (unless ``keep``), prove nothing is left.

    ``server_psks`` gives the VPN server other keys than the VGW's (the tests'
    wrong-key case); normally both sides hold the same keys. ``lint``: lint's
    findings are rows too (driver/local/lint_rows.py). ``cgw_daemon``: the
    implementation that plays the customer (strongswan | libreswan), else detected.
    ``logs``: a folder for each daemon's log as the check ended (driver/local/daemon_logs.py).
    """
    started = time.monotonic()
    features = kernel.probe()
    charon = CharonOptions(
        libipsec=not features.esp, log_file="/run/charon.log", af_alg=False, **SERVER_RETRANSMITS
    )
    vgw_psks = tuple(t.preshared_key or generate_psk() for t in lab.tunnels)
    uncompared: list[int] = []  # tunnels whose keys come from the customer's files
    refuse_what_this_host_cannot_run(lab, cgw_config, cgw_secrets, features, cgw_daemon)
    found = lint_rows.findings(lab, cgw_config, cgw_secrets, cgw_daemon) if lint else []
    if cgw_config:
        gateway, vgw_psks, uncompared = customer_gateway(
            lab, cgw_config, cgw_secrets, cgw_daemon, charon
        )
    else:
        gateway = cgw_module.rendered(lab, server_psks or vgw_psks, charon)
    dp = DataPlane(
        aws_side(lab, gateway.tunnel_addresses, vgw_psks), gateway, vgw_psks, workdir(lab), features
    )
    report = Report(
        lab.name,
        False,
        [],
        customer_gateway=gateway.source,
        esp=features.describe(),
        dataplane=dataplane,
    )
    dp.claim()  # before the try: a refusal tears down nothing of anyone else's
    try:
        daemons = (
            "VGW charons and the VPN server's pluto"
            if gateway.style == "libreswan"
            else "VGW and VPN server charons"
        )
        progress(
            f"building lab {lab.name}: {len(dp.ns)} namespaces, {daemons} ({features.describe()})"
        )
        dp.build()
        report.customer_gateway += f", run by {dp.charons['server'].version()}"
        runner = DataPlaneRunner(dp, progress)
        expectations = expectations_of_lab(lab.checks.expect, lab.vpn.routing)
        # starter has added its conns by then; under the guest's emulation IKE is slower
        bound = stretched(TUNNEL_TIMEOUT)
        checks = runner.run(expectations, bound)
        report.checks = lint_rows.rows(found) + keys_not_compared(uncompared)
        report.checks += configuration_loaded(dp, cgw_config)
        report.checks += checks
        report.tunnels = runner.tunnels()
        if failover:  # first: from the tunnels as they came up, as on a first cut-over
            timeout = max(t.options.dpd_timeout for t in lab.tunnels) + 30
            seconds, detail = runner.failover(report.tunnels, timeout)
            report.failover_seconds = seconds
            report.checks.append(
                CheckResult("failover", seconds is not None, seconds or 0.0, detail)
            )
        if replace_endpoint:
            report.checks.append(replacement.replace_endpoint(runner))
        up = [name for name, sa in runner.sas("vgw").items() if sa_up(sa)]
        # The cut tunnel's SAs are still settling (DPD, a restart) once its path is
        # back: its rekeys would collide with them and say nothing of the configuration.
        steady = [name for name in up if name != runner.cut]
        if lifecycle and steady:
            report.checks += run_lifecycle(runner, sorted(steady))
        report.checks += negotiated(runner.sas("vgw"), dp.lab, gateway.public_ip)
        report.checks += selectors.rows(
            dp.vgw_log(),
            str(dp.lab.vpn.local_network_cidr),
            str(dp.lab.vpn.remote_network_cidr),
            sorted(up),
        )
        lint_rows.cite(report.checks, found)
        dp.assert_daemons_running()
        report.passed = bool(report.checks) and all(c.passed for c in report.checks)
    except Fault as fault:
        after = (
            "the lab is kept as it failed"
            if keep
            else "the lab was torn down; run the check again, with --keep to look into the node"
        )
        raise Fault(f"{fault}; {after}") from None
    finally:
        kept = daemon_logs.gathered(dp) if logs else {}  # before teardown takes them
        if not keep:
            torn_down(dp, report)
        if logs:
            daemon_logs.keep(kept, logs)
        report.seconds = round(time.monotonic() - started, 2)
    return report


def customer_gateway(
    lab: Lab, config: Path, secrets: Path | None, daemon: str | None, charon: CharonOptions
) -> tuple[cgw_module.CustomerGateway, tuple[str, ...], list[int]]:
    """The customer's files as their implementation runs them, the keys AWS's endpoints
    hold (the lab's; where it has none, the customer's, so nothing of AWS's side comes
    from their files but a key the lab leaves open), and the tunnels whose keys are
    then not compared."""
    played_by = implementation(config, secrets, daemon)
    gateway = cgw_module.vendor(lab, config, secrets, charon, played_by)
    pairs = list(zip(lab.tunnels, gateway.tunnel_addresses, strict=True))
    uncompared = [n for n, (t, a) in enumerate(pairs) if not t.preshared_key and a in gateway.psks]
    vgw_psks = tuple(t.preshared_key or gateway.psks.get(a) or generate_psk() for t, a in pairs)
    return gateway, vgw_psks, uncompared


def torn_down(dp, report: Report) -> None:
    """The data plane (a VGW lab's or a Transit Gateway lab's) torn down, and what it
    left, if anything, a failed row of the report."""
    dp.teardown()
    with contextlib.suppress(OSError):  # the lab's state directory, if now empty
        dp.workdir.parent.rmdir()
    report.leaks = dp.leaks()
    if report.leaks:
        report.passed = False
        report.checks.append(
            CheckResult("teardown leaves nothing", False, 0.0, "; ".join(report.leaks))
        )
