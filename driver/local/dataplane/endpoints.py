"""AWS's two tunnel endpoints in the emulated VGW: a charon each.

AWS runs the two tunnels of a VPN connection on two endpoints in different
places, each with its own key, identity, DPD and lifetimes, and replaces them
one at a time. Here each endpoint is a charon of its own in the VGW's node
(``vgw-tunnel1``, ``vgw-tunnel2``): its folder, its files (one connection, one
key, a strongswan.conf with its own retransmissions), its log and its vici
socket. The node's routes, tunnel interfaces and BGP speaker are the one
gateway's; the BGP speaker (FRR) runs beside endpoint 1's charon, in its mounts.

The two share the namespace's kernel: their SAs and policies are told apart by
reqid, mark or if_id (route-based) and priority, and endpoint 2 listens on other
ports behind a port mapping on its outside address (vgw.map_ports).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from driver.lab.model import Lab
from driver.local.dataplane import vgw
from driver.local.dataplane.charon import LOG_FILE, Charon
from driver.local.dataplane.netns import Namespace

TUNNELS = (1, 2)


def charons(
    lab: Lab,
    ns: Namespace,
    workdir: Path,
    addresses: tuple[str, str],
    cgw_id: str,
    psks: tuple[str, str],
    interfaces: str | None,
    libipsec: bool,
    into_tunnels: list,
    bgp_files: dict[str, str],
) -> dict[str, Charon]:
    """Each endpoint's charon (not started), by name; ``into_tunnels``: the static
    routes its updown script leads into its tunnel ([] with BGP: zebra routes)."""
    made = {}
    for n in TUNNELS:
        files = {
            "/etc/strongswan.conf": vgw.strongswan_conf(lab, n, LOG_FILE, libipsec),
            "/etc/swanctl/swanctl.conf": vgw.swanctl_conf(
                lab, n, addresses[n - 1], cgw_id, psks[n - 1], interfaces
            ),
            vgw.UPDOWN: vgw.updown_script(into_tunnels, n, interfaces),
        } | (bgp_files if n == 1 else {})
        name = vgw.endpoint(n)
        made[name] = Charon(ns, workdir / name, files, "swanctl", frozenset({vgw.UPDOWN}))
    return made


def launch(endpoints: dict[str, Charon], libipsec: bool) -> None:
    """Start both. With userspace ESP one after the other: each makes its TUN device
    (``ipsec%d``) as it starts, and the routes name endpoint n's ``ipsec{n-1}``."""
    for n, charon in zip(TUNNELS, endpoints.values(), strict=True):
        charon.launch()
        if libipsec:
            charon.wait_ready()
            _wait_for_device(charon, vgw.device(n, None))
    for charon in endpoints.values():
        charon.wait_ready()


def initiate(lab: Lab, endpoints: dict[str, Charon]) -> None:
    """The endpoints of tunnels whose startup action is start begin negotiating (their
    files say start_action = none: vgw-swanctl.conf.j2). Called once the customer
    gateway's connections are loaded, and after an endpoint's replacement."""
    for n, charon in zip(TUNNELS, endpoints.values(), strict=True):
        _initiate(lab, charon, n)


def _initiate(lab: Lab, endpoint: Charon, n: int) -> None:
    if lab.tunnels[n - 1].options.startup_action == "start":
        endpoint.initiate(f"Tunnel{n}")


def _wait_for_device(charon: Charon, device: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while charon.ns.exec("ip", "link", "show", device, check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise charon.fault(f"made no TUN device {device} within {timeout:.0f} s")
        time.sleep(0.02)


def map_ports(ns: Namespace, addresses: tuple[str, str]) -> None:
    for n in TUNNELS:
        vgw.map_ports(ns, n, addresses[n - 1])


def replace(lab: Lab, endpoint: Charon, n: int, interfaces: str | None) -> None:
    """A new endpoint for tunnel ``n``, as AWS's maintenance brings: the old daemon
    stops with its SAs, and a new one starts from the same files, holding none, and
    initiates if the tunnel's startup action is start. The gateway stops routing into
    the tunnel meanwhile (a TUN device goes with its daemon; a tunnel interface stays)."""
    endpoint.stop()
    table, dev = str(vgw.INTO_TUNNELS_TABLE), vgw.device(n, interfaces)
    endpoint.ns.exec("ip", "route", "flush", "table", table, "dev", dev, check=False)
    endpoint.start()
    _initiate(lab, endpoint, n)


def log(endpoint: Charon, n: int) -> str:
    """The endpoint's log, each line named after its tunnel: charon names an IKE SA's
    lines after its connection only once it found one (``<3>`` before, ``<Tunnel1|3>``
    after), and an endpoint serves one tunnel."""
    return _UNNAMED.sub(rf"\1<Tunnel{n}|\2>", endpoint.log())


_UNNAMED = re.compile(r"^([^<\n]*)<(\d+)>", re.MULTILINE)
