"""BGP in the local data plane: FRR on the emulated VGW and on the VPN server.

The VGW's FRR is AWS's side (driver/local/dataplane/vgw_bgp.py); the server
runs the customer gateway's own files (rendered by vpnlab, or the customer's:
FRR's ``/etc/frr/frr.conf`` or per-daemon files, or Quagga's
``/etc/quagga/bgpd.conf``, read by FRR's daemons at the same paths;
driver/cgw/frr/conf.py). What the server's FRR ``daemons`` file does not
start does not run here either. Both start once their charons run: a session
tried before its tunnel exists retries on its connect timer.
"""

from __future__ import annotations

from driver.cgw.frr import conf as bgp_conf
from driver.lab import topology
from driver.lab.model import Lab
from driver.local.dataplane import vgw_bgp
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.frr import CONFIG, Frr, node_files
from driver.local.dataplane.netns import Namespace


def runs_bgp(lab: Lab) -> bool:
    return lab.vpn.routing == "bgp"


def vgw_files(lab: Lab, side: vgw_bgp.AwsSide | None = None) -> dict[str, str]:
    """What the VGW node needs for its FRR (nothing for a static lab); ``side``: a
    Transit Gateway's instead of a VGW's."""
    return {CONFIG: vgw_bgp.frr_conf(lab, side)} | node_files() if runs_bgp(lab) else {}


def server_files(lab: Lab, files: dict) -> dict[str, str | bytes]:
    """What the server node adds to the customer's files for their FRR: the node's
    /etc/group, and Quagga's bgpd.conf under Quagga's defaults."""
    setup = bgp_conf.find(files)
    if not runs_bgp(lab) or setup is None:
        return {}
    added: dict[str, str | bytes] = dict(node_files())
    if setup.suite == "quagga":
        added[setup.bgpd] = bgp_conf.QUAGGA_DEFAULTS + _text(files[setup.bgpd])
    return added


def setup_of(files: dict) -> bgp_conf.BgpSetup | None:
    """The node's BGP daemons and their files; None where none would start."""
    setup = bgp_conf.find(files)
    daemons = files.get(bgp_conf.DAEMONS_FILE)
    daemons = None if daemons is None else _text(daemons)
    if setup is None or (setup.suite == "frr" and not bgp_conf.bgpd_enabled(daemons)[0]):
        return None
    return setup


def _text(content: str | bytes) -> str:
    """A node file's content (the customer's are bytes, vpnlab's text)."""
    return content.decode(errors="replace") if isinstance(content, bytes) else content


def start(
    lab: Lab, charons: dict[str, Charon], vgw_ns: Namespace, plan: topology.AddressPlan
) -> dict[str, Frr]:
    """FRR on the VGW and, where the customer gateway has a configuration for it,
    on the server; the VGW's traffic from the VPC then follows what BGP learned."""
    if not runs_bgp(lab):
        return {}
    started = {}
    try:
        for charon in charons.values():  # the VGW's speaker is beside endpoint 1's
            setup = setup_of(charon.files)
            if setup is not None:
                started[charon.ns.node] = Frr(charon, setup.configs)
                started[charon.ns.node].start()
    except BaseException:
        stop(started)
        raise
    vgw_bgp.route_from_vpc_by_bgp(vgw_ns, plan)
    return started


def stop(frrs: dict[str, Frr]) -> list[int]:
    """Stop every FRR; the PIDs it stopped (the leak check looks they are gone)."""
    pids = [pid for f in frrs.values() for pid in f.pids.values()]
    for f in frrs.values():
        f.stop()
    return pids
