"""What the emulator reads of a running lab's nodes, wherever they run: this host's
namespaces (driver/local/shared/node_access.py), or those of the guest kept for
the lab (driver/local/guest/kept.py), whose agent reads them the same way.

The API never fails for the data plane's sake: a node or guest that does not
answer reads as down.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.lab import nodes
from driver.lab.nodes import VGW_ENDPOINTS
from driver.local.guest import kept
from driver.local.shared import node_access

QUESTION_TIMEOUT = 20.0  # s: the telemetry's own answer stays prompt
SHELL_TIMEOUT = 600.0  # s: SSM Run Command's longest execution timeout


def _guest(lab: str) -> kept.KeptGuest | None:
    return kept.recorded(LabState(lab))


def _workdir(lab: str):
    return LabState(lab).dataplane_dir


def lab_namespaces(lab: str) -> list[str]:
    guest = _guest(lab)
    if guest is None:
        return node_access.lab_namespaces(lab)
    try:
        return guest.call("namespaces", QUESTION_TIMEOUT, lab=lab)
    except VpnlabError:
        return []


def vgw_tunnel_states(lab: str) -> dict[str, bool]:
    """Outside address -> tunnel up, at the lab's emulated VGW."""
    guest = _guest(lab)
    if guest is None:
        return local_tunnel_states(lab)
    try:
        return guest.call("tunnel_states", QUESTION_TIMEOUT, lab=lab)
    except VpnlabError:
        return {}


def local_tunnel_states(lab: str) -> dict[str, bool]:
    """``vgw_tunnel_states`` in this kernel (a kept guest's agent answers with it). A
    Transit Gateway lab's sites each have their VGW node, whose tunnels' outside
    addresses the emulator gave: distinct across the lab."""
    workdir = _workdir(lab)
    states: dict[str, bool] = {}
    for folder in [workdir, *sorted(workdir.glob(nodes.SITE_FOLDERS))]:
        states |= node_access.vgw_tunnel_states(folder)
    return states


def vgw_vtysh(lab: str, *commands: str, tunnels: Sequence[str] = ()) -> str:
    """What the VGW's vtysh answers; "" when it runs no bgpd or does not answer.
    ``tunnels``: a VPN connection's outside addresses, which name the VGW in a Transit
    Gateway lab (each site has its own)."""
    guest = _guest(lab)
    if guest is None:
        return local_vtysh(lab, *commands, tunnels=tunnels)
    try:
        return guest.call(
            "vtysh", QUESTION_TIMEOUT, lab=lab, commands=list(commands), tunnels=list(tunnels)
        )
    except VpnlabError:
        return ""


def local_vtysh(lab: str, *commands: str, tunnels: Sequence[str] = ()) -> str:
    """``vgw_vtysh`` in this kernel."""
    node, folder = _vgw_of(lab, tunnels)
    return node_access.vgw_vtysh(lab, _workdir(lab), *commands, node=node, folder=folder)


def _vgw_of(lab: str, tunnels: Sequence[str]) -> tuple[str, Path | None]:
    """The VGW node whose endpoints hold ``tunnels``, and its folder: a Transit Gateway
    site's ("s1-vgw", by its applied data plane's record), else the lab's one."""
    record = LabState(lab).read(DATAPLANE_RECORD) or {}
    for name, entry in record.get("sites", {}).items():
        if set(tunnels) & set(entry["dp"]["plan"]["tunnel_addresses"]):
            return nodes.site_prefix(entry["index"]) + "vgw", _site_gateway(lab, name, "vgw")
    return "vgw", None


def _site_gateway(lab: str, site: str, kind: str) -> Path:
    """A Transit Gateway site's gateway's folder (its VGW's: endpoint 1's, beside which
    its BGP speaker runs, as a VGW lab's)."""
    return _workdir(lab) / nodes.site_folder(site) / (VGW_ENDPOINTS[0] if kind == "vgw" else kind)


def _bgp(lab: str, command: str, tunnels: Sequence[str]) -> dict:
    """A ``show ... json`` of the VGW's bgpd; {} when it runs none."""
    try:
        return json.loads(vgw_vtysh(lab, command, tunnels=tunnels) or "{}")
    except ValueError:
        return {}


def vgw_bgp_neighbors(lab: str, tunnels: Sequence[str] = ()) -> dict[str, dict]:
    """Customer gateway's inside address -> the VGW's BGP session with it."""
    return _bgp(lab, "show bgp neighbors json", tunnels)


def vgw_bgp_learned(lab: str, tunnels: Sequence[str] = ()) -> list[str]:
    """Prefixes the VGW learned from a customer gateway and chose."""
    return node_access.learned_prefixes(_bgp(lab, "show ip bgp json", tunnels))


def instance_node(lab: str, name: str) -> str | None:
    """The node of the lab's instance whose Name tag, past ``<lab>-``, is ``name``: a
    VGW lab's ``aws-test-host`` is ``aws``; a Transit Gateway lab's ``prod-aws-test-host``
    is VPC prod's ``v0-aws`` and ``tokyo-vpn-server`` site tokyo's ``s0-server``, by the
    order its applied data plane recorded (driver/local/transit_dataplane.py)."""
    if name in nodes.INSTANCE_NODES:
        return nodes.INSTANCE_NODES[name]
    guest = _guest(lab)
    try:
        record = guest.call("names", QUESTION_TIMEOUT, lab=lab) if guest else recorded_names(lab)
    except VpnlabError:  # the guest does not answer: its instances read as offline
        return None
    for suffix, node in nodes.INSTANCE_NODES.items():
        part = name.removesuffix(f"-{suffix}")
        if part == name:
            continue
        # A VPC holds only a test host; a site its VPN server and test host (a VPC and a
        # site may share a name)
        if node == "aws" and part in record.get("vpcs", []):
            return nodes.vpc_prefix(record["vpcs"].index(part)) + node
        if node != "aws" and part in record.get("sites", {}):
            return nodes.site_prefix(record["sites"][part]["index"]) + node
    return None


def recorded_names(lab: str) -> dict:
    """The VPCs and sites of the Transit Gateway lab's data plane in this kernel, in the
    order of their nodes (its record's "vpcs" and "sites" with their indexes)."""
    record = LabState(lab).read(DATAPLANE_RECORD) or {}
    sites = {name: {"index": entry["index"]} for name, entry in record.get("sites", {}).items()}
    return {"vpcs": record.get("vpcs", []), "sites": sites}


def node_kind(node: str) -> str:
    """What a node is (aws, onprem, server …), a Transit Gateway lab's ``s0-`` or ``v0-``
    part left out."""
    transit = nodes.transit_node(node)
    return transit[2] if transit else node


def node_shell(lab: str, node: str) -> list[str] | None:
    """The argv prefix that runs ``sh -c COMMAND`` as ``node`` (None when it is not
    up): in the guest, through this module's ``main``. A Transit Gateway site's VPN
    server runs in its own charon's mount namespace, as a VGW lab's."""
    guest = _guest(lab)
    if guest is None:
        return local_node_shell(lab, node)
    if node_access.namespace_name(lab, node) not in lab_namespaces(lab):
        return None
    return [sys.executable, "-m", "driver.local.emulator.lab_nodes", lab, node]


def local_node_shell(lab: str, node: str) -> list[str] | None:
    """``node_shell`` in this kernel."""
    folder = None
    transit = nodes.transit_node(node)
    if transit and transit[0] == "site" and transit[2] in nodes.GATEWAYS:
        _, index, gateway = transit
        names = {e["index"]: n for n, e in recorded_names(lab)["sites"].items()}
        if index in names:
            folder = _site_gateway(lab, names[index], gateway)
    return node_access.node_shell(lab, node, _workdir(lab), folder)


def main(lab: str, node: str, script: str) -> int:
    """``sh -c script`` as a node of the lab in its guest: its output, its exit code."""
    guest = _guest(lab)
    done = None
    if guest is not None:
        done = guest.call(
            "shell", SHELL_TIMEOUT, lab=lab, node=node, script=script, timeout=SHELL_TIMEOUT
        )
    if done is None:
        print(f"node {node} of lab {lab} is not running", file=sys.stderr)
        return 255
    sys.stdout.write(done["stdout"])
    sys.stderr.write(done["stderr"])
    return 124 if done.get("timeout") else done["returncode"]


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
