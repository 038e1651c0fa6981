"""Who starts a tunnel: AWS (startup action start) or the customer gateway (its
conn's auto=start / start_action = start, or trap: on traffic). When neither does,
no packet is ever sent and both logs are silent: this names why. A trap-based
customer gateway gets the traffic that would start it, as real traffic would."""

from __future__ import annotations

from driver.checks.diagnosis import Diagnosis
from driver.local.dataplane.network import DataPlane

WAITS = {
    "none": "waits for the peer (auto=add, start_action = none)",
    "add": "waits for the peer (auto=add, start_action = none)",
    "trap": "waits for traffic that matches its policy (auto=route, start_action = trap): "
    "the check sent it, and none started this tunnel (policy-based: a kernel keeps one "
    "trap policy for tunnels with the same selectors; a router's tunnel interface: its "
    "routes send the traffic into its other tunnel)",
}


def customer_start(dp: DataPlane, tunnel: str) -> str:
    """How the customer gateway's conn for ``tunnel`` starts: start | trap | none."""
    n = int(tunnel.removeprefix("Tunnel"))
    if dp.cgw is None or not 0 < n <= len(dp.plan.tunnel_addresses):
        return "start"
    return dp.cgw.start_actions.get(dp.plan.tunnel_addresses[n - 1], "start")


def never_initiated(dp: DataPlane, tunnel: str) -> Diagnosis | None:
    """A diagnosis for a tunnel nobody tried, if the configurations say why (a trap's:
    once the traffic that would start it was sent, start_on_traffic)."""
    n = int(tunnel.removeprefix("Tunnel"))
    action = customer_start(dp, tunnel)
    if n > len(dp.lab.tunnels) or action not in WAITS:
        return None
    if dp.lab.tunnels[n - 1].options.startup_action != "add":
        return None
    return Diagnosis(
        "neither side initiates",
        f"the tunnel's startup action is add, so AWS waits for the customer gateway, "
        f"and the customer gateway's conn {WAITS[action]}",
        "set auto=start (swanctl: start_action = start) on the customer gateway, or the "
        "tunnel's startup_action: start (AWS initiates; IKEv2 only)",
        tunnel,
        log="never-initiated",
    )


def start_on_traffic(dp: DataPlane, tunnel: str, progress) -> None:
    """A trap-based customer gateway starts a tunnel when traffic matches its policy:
    send what real traffic would (one ping from the on-prem test host to AWS's)."""
    if customer_start(dp, tunnel) != "trap":
        return
    progress(f"  {tunnel}: the customer gateway starts it on traffic (trap): one ping from on-prem")
    dp.ns["onprem"].exec("ping", "-c", "1", "-W", "1", dp.plan.aws_test_ip, check=False)
