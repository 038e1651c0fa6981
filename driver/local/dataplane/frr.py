"""FRR (zebra and bgpd) in a lab node, beside its charon.

The daemons run in the node's own mount namespace (its charon's: driver/local/
dataplane/charon.py), so they read the node's ``/etc/frr/frr.conf`` at the
path the EC2 instance has it and keep their sockets in the node's own
``/run/frr``: several FRRs run side by side, and none is the host's. Debian's
FRR runs as root only when root is in group ``frrvty``: the node's ``/etc/group``
(``node_files``) says so, the host's is not touched.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from driver.core.errors import Fault, VpnlabError
from driver.core.processes import process_alive, terminate_group
from driver.local.dataplane import node_files as node_folder
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import run
from driver.local.dataplane.node_daemon import NODE_ENV

DAEMONS_DIR = Path("/usr/lib/frr")
DAEMONS = ("zebra", "bgpd")  # zebra first: bgpd hands it the routes it chose
CONFIG = "/etc/frr/frr.conf"
VTY_GROUP = "frrvty"


class FrrError(VpnlabError):
    pass


def node_files(host_group: Path = Path("/etc/group")) -> dict[str, str]:
    """The node's ``/etc/group``: the host's, with root in ``frrvty``."""
    if not (DAEMONS_DIR / "bgpd").exists():
        raise FrrError(
            f"{DAEMONS_DIR / 'bgpd'} does not exist on this machine: BGP labs need FRR "
            "(Debian's frr package; `make setup` installs it)"
        )
    lines = []
    for line in host_group.read_text().splitlines():
        name, password, gid, members = (line.split(":") + ["", "", ""])[:4]
        if name == VTY_GROUP and "root" not in members.split(","):
            line = f"{name}:{password}:{gid}:{','.join(m for m in (members, 'root') if m)}"
        lines.append(line)
    return {"/etc/group": "\n".join(lines) + "\n"}


class Frr:
    def __init__(self, charon: Charon, configs: dict[str, str | None] | None = None):
        """``configs``: each daemon's file on the node (default: FRR's integrated one;
        None: the daemon starts with no configuration)."""
        self.charon = charon
        self.configs = configs or dict.fromkeys(DAEMONS, CONFIG)
        self.pids: dict[str, int] = {}
        self._procs: dict[str, subprocess.Popen] = {}

    @property
    def run_dir(self) -> Path:
        return self.charon.run_dir / "frr"

    def start(self, timeout: float = 30.0) -> None:
        """zebra, then bgpd once zebra's socket is there."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for daemon in DAEMONS:
            self._launch(daemon)
            self._wait_for(self.run_dir / f"{daemon}.vty", daemon, timeout)

    def _launch(self, daemon: str) -> None:
        command = [
            *self._enter(),
            str(DAEMONS_DIR / daemon),
            "-u", "root", "-g", "root",
            "-f", self.configs.get(daemon) or "/dev/null",
            "-i", f"/run/frr/{daemon}.pid",
            "-A", "127.0.0.1",
            "--log", f"file:/run/frr/{daemon}.log",
        ]  # fmt: skip
        with node_folder.open_append(self.charon.run_dir, f"frr/{daemon}.out") as out:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=NODE_ENV,
            )
        self.pids[daemon] = proc.pid
        self._procs[daemon] = proc

    def _enter(self) -> list[str]:
        if self.charon.pid is None:
            raise FrrError(f"FRR in {self.charon.ns.name}: the node's charon is not running")
        return ["nsenter", f"--target={self.charon.pid}", "--mount", "--net"]

    def _wait_for(self, socket: Path, daemon: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not socket.exists():
            proc = self._procs[daemon]
            if proc.poll() is not None or time.monotonic() > deadline:
                out = node_folder.read_text(self.charon.run_dir, f"frr/{daemon}.out")
                said = [line for line in out.splitlines() if line.strip()]
                raise Fault(
                    f"{daemon} in node {self.charon.ns.node} ({self.charon.ns.name}) "
                    + ("exited at start" if proc.poll() is not None else "did not start")
                    + (f"; it said: {said[-1][-200:]}" if said else "")
                )
            time.sleep(0.02)

    def vtysh(self, *commands: str) -> str:
        """vtysh's output; empty when it does not answer in time (a busy guest)."""
        args = [a for c in commands for a in ("-c", c)]
        try:
            return run([*self._enter(), "vtysh", *args], check=False).stdout
        except subprocess.TimeoutExpired:
            return ""

    def neighbors(self) -> dict[str, dict]:
        """bgpd's neighbours by address (``show bgp neighbors json``); {} when it
        does not answer."""
        try:
            return json.loads(self.vtysh("show bgp neighbors json") or "{}")
        except json.JSONDecodeError:
            return {}

    def received(self, peer: str) -> list[str]:
        """The prefixes bgpd accepted from ``peer``."""
        out = self.vtysh(f"show ip bgp neighbors {peer} routes json")
        try:
            return list(json.loads(out or "{}").get("routes", {}))
        except json.JSONDecodeError:
            return []

    def log(self) -> str:
        return node_folder.read_text(self.charon.run_dir, "frr/bgpd.log")

    def dead(self) -> list[str]:
        """The daemons started here that are no longer running."""
        return [d for d, pid in self.pids.items() if not process_alive(pid)]

    def stop(self, timeout: float = 5.0) -> None:
        """bgpd, then zebra (which then takes its routes out of the kernel)."""
        for daemon in reversed(DAEMONS):
            pid = self.pids.pop(daemon, None)
            if pid is not None:
                terminate_group(pid, timeout)
