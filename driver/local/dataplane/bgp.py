"""BGP in the local data plane: FRR on the emulated VGW and on the VPN server.

The VGW's FRR is AWS's side (driver/local/dataplane/vgw_bgp.py); the server
runs the customer gateway's own ``/etc/frr/frr.conf`` (rendered by vpnlab, or
the customer's). Both start once their charons run: a session tried before its
tunnel exists retries on its 2 s connect timer.
"""

from __future__ import annotations

from driver.lab.model import Lab
from driver.local.dataplane import vgw_bgp
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.frr import CONFIG, Frr, node_files
from driver.local.dataplane.netns import Namespace


def runs_bgp(lab: Lab) -> bool:
    return lab.vpn.routing == "bgp"


def vgw_files(lab: Lab) -> dict[str, str]:
    """What the VGW node needs for its FRR (nothing for a static lab)."""
    return {CONFIG: vgw_bgp.frr_conf(lab)} | node_files() if runs_bgp(lab) else {}


def server_files(lab: Lab, files: dict) -> dict[str, str]:
    """What the server node adds to the customer's files for their FRR."""
    return node_files() if runs_bgp(lab) and CONFIG in files else {}


def start(lab: Lab, charons: dict[str, Charon], vgw_ns: Namespace) -> dict[str, Frr]:
    """FRR on the VGW and, where the customer gateway has a configuration for it,
    on the server; the VGW's traffic from the VPC then follows what BGP learned."""
    if not runs_bgp(lab):
        return {}
    started = {}
    try:
        for node, charon in charons.items():
            if CONFIG in charon.files:
                started[node] = Frr(charon)
                started[node].start()
    except BaseException:
        stop(started)
        raise
    vgw_bgp.route_from_vpc_by_bgp(vgw_ns)
    return started


def stop(frrs: dict[str, Frr]) -> list[int]:
    """Stop every FRR; the PIDs it stopped (the leak check looks they are gone)."""
    pids = [pid for f in frrs.values() for pid in f.pids.values()]
    for f in frrs.values():
        f.stop()
    return pids
