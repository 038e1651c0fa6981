"""AWS's tunnel endpoint replacement (tunnel maintenance), one tunnel at a time.

AWS runs each tunnel on its own endpoint and replaces them one at a time. The
old endpoint vanishes with its SAs; the new one holds none. It initiates only
with startup action ``start`` (IKEv2); otherwise it waits for the customer
gateway, which notices only by DPD: ``dpdaction=restart`` brings the tunnel back,
while a gateway that never initiates (``auto=add`` with DPD off or ``clear``)
leaves it down, as it stays on AWS (the team's design notes, "AWS endpoint replacement").

Emulated as it happens: the tunnel's path is cut, the endpoint's charon stops
(its DELETE is dropped in the cut, as a vanished device sends nothing), a new
charon starts from the same files, and the path comes back: the customer gateway
finds an endpoint that knows nothing of its SAs, while the other endpoint's daemon
ran on untouched.
"""

from __future__ import annotations

import time

from driver.checks.runner import CheckResult
from driver.checks.vici_fields import text
from driver.local.shared.node_access import sa_up

POLL = 0.1
BACK_WITHIN = 60.0  # the customer's DPD (delay + timeout) and a new negotiation fit in it
GIVEN_UP = 3.0  # a customer gateway without an SA this long after its DPD is not retrying


def replace_endpoint(runner, tunnel: str = "Tunnel1") -> CheckResult:
    dp = runner.dp
    n = int(tunnel.removeprefix("Tunnel"))
    address = dp.plan.tunnel_addresses[n - 1]
    name = f"endpoint replacement: {tunnel}"
    before = runner.sas("vgw").get(tunnel)
    if not before or not sa_up(before):
        return CheckResult(name, False, 0.0, f"{tunnel} was not up: nothing to replace")
    other = f"Tunnel{3 - n}"
    others_before = runner.sas("vgw").get(other, {})
    started = time.monotonic()
    dp.cut_tunnel_path(address)
    try:
        dp.replace_vgw_endpoint(tunnel)  # with startup action start, it initiates
    finally:
        dp.restore_tunnel_path(address)
    aws_starts = dp.lab.tunnels[n - 1].options.startup_action == "start"
    gave_up = None  # since when the customer gateway holds no SA to the endpoint
    while time.monotonic() - started < BACK_WITHIN:
        dp.assert_daemons_running()
        if aws_starts or _customer_holds_an_sa(runner, address):
            gave_up = None
        elif gave_up is None:
            gave_up = time.monotonic()
        elif time.monotonic() - gave_up > GIVEN_UP:
            break  # its DPD cleared the SA, and it is not negotiating again
        sa = runner.sas("vgw").get(tunnel)
        if sa and sa_up(sa):  # the new endpoint's: it started with none
            seconds = time.monotonic() - started
            who = "AWS's new endpoint initiated" if aws_starts else "the customer gateway"
            return CheckResult(
                name,
                True,
                round(seconds, 2),
                f"{tunnel} back {seconds:.0f} s after AWS replaced its endpoint ({who} "
                f"re-established it, IKE SA #{text(sa.get('uniqueid'))})"
                + _untouched(runner, other, others_before),
            )
        time.sleep(POLL)
    return CheckResult(
        name,
        False,
        round(time.monotonic() - started, 2),
        f"{tunnel} still down {time.monotonic() - started:.0f} s after AWS replaced its "
        "endpoint: the new endpoint holds no SA and, with startup action add, waits for the "
        "customer gateway, which "
        + ("dropped its SA and did not negotiate again" if gave_up else "still uses its old SA")
        + "; set dpdaction=restart (swanctl: dpd_action = restart) with DPD on, so it notices "
        "the endpoint is gone and starts over (or the tunnel's startup_action: start, IKEv2)",
    )


def _customer_holds_an_sa(runner, address: str) -> bool:
    """Does the customer gateway hold (or negotiate) an IKE SA with ``address``?"""
    return any(text(sa.get("remote-host")) == address for sa in runner.sas("server").values())


def _untouched(runner, other: str, before: dict) -> str:
    """What became of the other tunnel meanwhile: on AWS its endpoint is another device."""
    if not sa_up(before):
        return ""
    now = runner.sas("vgw").get(other, {})
    was, is_ = text(before.get("uniqueid")), text(now.get("uniqueid", "none"))
    if sa_up(now) and is_ == was:
        return f"; {other} stayed up on its own endpoint throughout (IKE SA #{was})"
    return f"; {other} was renegotiated meanwhile (IKE SA #{was} before, #{is_} now)"
