"""What a process outside the data plane may know of a running lab's nodes.

The emulator's process answers SSM Run Command and ``VgwTelemetry`` from the
lab's data plane without importing it (driver/local/emulator/lab_nodes.py; in
a kept guest, its agent calls these): it needs only which namespace each node
is, which are up, a shell in one, and the VGW's tunnel states over vici. The
data plane (driver/local/dataplane/) names its namespaces and lays out each
node's directory with these same definitions, so the two cannot drift apart.

A charon's directory (``<workdir>/<node>/``; the VGW's two endpoints each have
theirs, ``vgw-tunnel1/`` and ``vgw-tunnel2/``) holds its ``run/`` and ``var/``,
bind-mounted over /run and /var for the daemon; the vici socket is
``run/charon.vici``.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
from pathlib import Path

import vici

from driver.checks.vici_fields import installed_children, text
from driver.lab.nodes import GATEWAYS, VGW_ENDPOINTS

NAMESPACE_PREFIX = "vl-"
# Between the lab's name and the node's: a character lab names cannot contain
# (driver/lab/model.py), so lab "seed" never owns lab "seed-swanctl"'s namespaces.
NAMESPACE_SEPARATOR = "_"
VICI_SOCKET = "charon.vici"  # in the node's /run (compiled into charon)
SOCKET_PATH_BYTES = 108  # sun_path: a Unix socket's address, its final NUL included
NODE_MOUNTS = ("run", "var")  # the node's own directories, over /run and /var
NETNS_DIR = "/run/netns"  # where ip netns keeps named namespaces


def lab_prefix(lab: str) -> str:
    return f"{NAMESPACE_PREFIX}{lab}{NAMESPACE_SEPARATOR}"


def namespace_name(lab: str, node: str) -> str:
    return f"{lab_prefix(lab)}{node}"


def lab_namespaces(lab: str) -> list[str]:
    """The namespaces of this lab that exist now: what ``ip netns list`` lists, read
    from its folder without starting a process (~0.15 s in the guest)."""
    try:
        names = os.listdir(NETNS_DIR)  # in ip netns list's order (the folder's)
    except FileNotFoundError:  # no namespace was ever named on this host
        return []
    return [n for n in names if n.startswith(lab_prefix(lab))]


def namespace_pids(namespace: str) -> list[int]:
    """The processes in a network namespace (what ``ip netns pids`` prints, read
    from /proc without starting a process)."""
    try:
        wanted = os.stat(f"{NETNS_DIR}/{namespace}")
    except FileNotFoundError:
        return []
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdecimal():
            try:
                st = os.stat(f"/proc/{entry.name}/ns/net")
            except OSError:  # gone meanwhile, or a kernel thread
                continue
            if (st.st_ino, st.st_dev) == (wanted.st_ino, wanted.st_dev):
                pids.append(int(entry.name))
    return pids


def vici_socket(workdir: Path, node: str) -> Path:
    return workdir / node / "run" / VICI_SOCKET


class ViciSession:
    """A vici session over a node's socket, closed on exit."""

    def __init__(self, path: Path, timeout: float | None = None):
        self.sock = socket.socket(socket.AF_UNIX)
        try:
            self.sock.settimeout(timeout)
            connect_unix(self.sock, path)
        except OSError:
            self.sock.close()
            raise
        self.vici = vici.Session(self.sock)

    def __enter__(self) -> vici.Session:
        return self.vici

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.sock.close()
        # vici unregisters a streamed command's events in a ``finally``: an
        # interrupt (Ctrl-C, SIGTERM) while the command waits makes that
        # unregister read the command's answer, and the SessionException it
        # raises hides the interrupt. The interrupt is what happened: raise it.
        interrupt = interrupt_behind(exc)
        if interrupt is not None:
            raise interrupt from None


def connect_unix(sock: socket.socket, path: Path) -> None:
    """Connect to a Unix socket however deep its folder: a socket's address holds
    at most 107 bytes, and the state folder is wherever vpnlab runs (a test's
    tmp_path is longer), so a long path is reached through its open folder."""
    if len(os.fsencode(path)) < SOCKET_PATH_BYTES:
        sock.connect(str(path))
        return
    folder = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    try:
        sock.connect(f"/proc/self/fd/{folder}/{path.name}")
    finally:
        os.close(folder)


def interrupt_behind(exc: BaseException | None) -> KeyboardInterrupt | None:
    """The interrupt an exception was raised while handling, if any."""
    if isinstance(exc, KeyboardInterrupt):
        return None  # already the interrupt: let it propagate as it is
    seen = exc.__context__ if exc is not None else None
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__context__
    return None


def sa_up(sa: dict) -> bool:
    """Is this tunnel up? Its IKE SA ESTABLISHED with an INSTALLED CHILD SA (vici's
    ``list-sas`` entry). The one definition: checks, telemetry and status use it."""
    return text(sa.get("state")) == "ESTABLISHED" and bool(installed_children(sa))


def vgw_tunnel_states(workdir: Path) -> dict[str, bool]:
    """Outside address -> tunnel up, read over vici from a lab's emulated VGW (each
    of its endpoints); empty for an endpoint that is not running."""
    states = {}
    for endpoint in VGW_ENDPOINTS:
        try:
            session = ViciSession(vici_socket(workdir, endpoint), timeout=2)
        except OSError:
            continue
        try:
            with session as vgw:
                states |= {
                    text(sa.get("local-host")): True
                    for item in vgw.list_sas()
                    for sa in item.values()
                    if sa_up(sa)
                }
        except Exception:  # a charon going away mid-answer: DOWN, never fail the API
            continue
    return states


def node_shell(lab: str, node: str, workdir: Path, folder: Path | None = None) -> list[str] | None:
    """The argv prefix that runs ``sh -c COMMAND`` as ``node`` of a running lab
    (None when it is not up): a gateway node in its daemon's mount namespace,
    so with its own /var and files, even when the daemon has gone. The VGW's is
    endpoint 1's, beside which its BGP speaker runs. ``folder``: a gateway's directory
    elsewhere than ``workdir/node`` (a Transit Gateway site's)."""
    name = namespace_name(lab, node)
    if name not in lab_namespaces(lab):
        return None
    if node not in GATEWAYS and folder is None:
        return ["ip", "netns", "exec", name, "sh", "-c"]
    folder = folder or workdir / (VGW_ENDPOINTS[0] if node == "vgw" else node)
    pid = _launcher(name, folder)
    if pid is not None:
        return ["nsenter", f"--target={pid}", "--mount", "--net", "sh", "-c"]
    mounts = " && ".join(
        f"mount --bind {shlex.quote(str(folder / sub))} /{sub}" for sub in NODE_MOUNTS
    )
    return [
        "ip", "netns", "exec", name, "unshare", "--mount", "--propagation", "private",
        "sh", "-c", f'{mounts} && exec sh -c "$1"', "node-shell",
    ]  # fmt: skip


def _launcher(namespace: str, folder: Path) -> int | None:
    """The confined daemon's launcher whose node folder is ``folder`` (it is in the
    daemon's mount namespace, and names the folder's ``run`` on its command line)."""
    run = str(folder / "run").encode()
    for pid in sorted(namespace_pids(namespace)):
        try:
            if run in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"):
                return pid
        except OSError:  # gone meanwhile
            continue
    return None


def vgw_vtysh(
    lab: str, workdir: Path, *commands: str, node: str = "vgw", folder: Path | None = None
) -> str:
    """What the emulated VGW's vtysh answers; "" when it runs no bgpd (a static lab)
    or the lab goes away mid-answer: the API never fails. ``node`` and ``folder``: a
    Transit Gateway site's VGW (as ``node_shell`` takes them)."""
    try:
        shell = node_shell(lab, node, workdir, folder)
        if shell is None:
            return ""
        args = " ".join(f"-c {shlex.quote(c)}" for c in commands)
        return subprocess.run(
            [*shell, f"vtysh {args}"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def vgw_bgp(lab: str, workdir: Path, command: str) -> dict:
    """A ``show ... json`` of the emulated VGW's bgpd; {} when it runs none."""
    try:
        return json.loads(vgw_vtysh(lab, workdir, command) or "{}")
    except ValueError:
        return {}


def prefix_limit_recheck(amazon_asn: int, peer: str, limit: int) -> tuple[str, ...]:
    """vtysh commands that have bgpd count a settled session's prefixes against the
    limit again (driver/local/dataplane/vgw_bgp.py: FRR 8.4 misses a burst)."""
    return (
        "configure terminal",
        f"router bgp {amazon_asn}",
        "address-family ipv4 unicast",
        f"neighbor {peer} maximum-prefix {limit} force",
        "end",
    )


def bgp_accepted(neighbor: dict) -> int:
    """Prefixes bgpd accepted from a neighbour (``AcceptedRouteCount``)."""
    family = neighbor.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
    return int(family.get("acceptedPrefixCounter", 0))


def vgw_bgp_neighbors(lab: str, workdir: Path) -> dict[str, dict]:
    """Customer gateway's inside address -> the VGW's BGP session with it."""
    return vgw_bgp(lab, workdir, "show bgp neighbors json")


def vgw_bgp_learned(lab: str, workdir: Path) -> list[str]:
    """Prefixes the VGW learned from a customer gateway and chose (its best path
    comes from a neighbour, not from the VGW's own ``network``)."""
    return learned_prefixes(vgw_bgp(lab, workdir, "show ip bgp json"))


def learned_prefixes(shown: dict) -> list[str]:
    """From ``show ip bgp json``: the prefixes whose best path a neighbour gave."""
    return [
        prefix
        for prefix, paths in shown.get("routes", {}).items()
        if any(p.get("bestpath") and p.get("peerId") not in (None, "(unspec)") for p in paths)
    ]
