"""Before the first ping: the tunnels' plumbing, which scripts set up after IKE.

A tunnel that is up in the VGW's ``list-sas`` is not yet one that carries traffic:
the VGW's tunnel devices get their routes from its endpoints' updown scripts (or
zebra), a route-based customer gateway its interfaces and routes from its own
script, all run after the SA is installed (seconds under the guest's emulation).
"""

from __future__ import annotations

import time

from driver.checks.vici_fields import text
from driver.local.dataplane import vgw
from driver.local.shared.node_access import sa_up

POLL = 0.05


def wait(runner, timeout: float = 15.0) -> bool:
    """Bounded: until the VGW routes into a tunnel, a route-based customer gateway
    routes the AWS side over one rather than its uplink, and the customer gateway
    holds each tunnel the VGW holds (pluto runs its updown script before it counts a
    CHILD_SA established: a tunnel's interface exists by then)."""
    dp = runner.dp
    waits = [lambda: customer_holds_the_vgws_tunnels(runner)]
    where = ("proto", "bgp") if dp.frr else ("table", str(vgw.INTO_TUNNELS_TABLE))

    def into_a_tunnel() -> bool:
        shown = dp.ns["vgw"].ip("route", "show", *where).stdout
        return any(f"dev {device}" in shown for device in dp.vgw_devices)

    if dp.vgw_devices:  # BGP: zebra's routes in the main table
        waits.append(into_a_tunnel)
    if dp.cgw and dp.cgw.interfaces:
        get = ("ip", "route", "get", dp.plan.aws_test_ip)
        waits.append(lambda: " dev eth0" not in dp.ns["server"].exec(*get, check=False).stdout)
    deadline = time.monotonic() + timeout
    while not all(ready() for ready in waits):
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def customer_holds_the_vgws_tunnels(runner) -> bool:
    addresses = runner.dp.plan.tunnel_addresses
    vgw_up = {addresses[int(n[-1]) - 1] for n, sa in runner.sas("vgw").items() if sa_up(sa)}
    theirs = {text(sa.get("remote-host")) for sa in runner.sas("server").values() if sa_up(sa)}
    return vgw_up <= theirs
