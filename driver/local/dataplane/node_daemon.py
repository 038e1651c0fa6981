"""What every gateway daemon in a node shares, whichever implementation it is.

A daemon runs confined in its node (driver/local/dataplane/confine.py): a mount
and a PID namespace of its own inside its network namespace, the host's file
system read-only, ``/run`` and ``/var`` the node's own directories, ``/etc`` an
overlay of the node's files over the host's, at the paths the EC2 instance (or
the customer's server) would use. Sysctl files are applied to the network
namespace instead. A daemon that dies or stops answering is a Fault naming its
node. ``Charon`` (charon.py) and ``Pluto`` (pluto.py) build on this.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from driver.core.errors import Fault, VpnlabError
from driver.core.paths import state_root
from driver.core.processes import process_alive, terminate_group
from driver.local.dataplane import confine, node_files
from driver.local.dataplane.netns import Namespace, parse_sysctl

# The host's password hashes and SSH host keys: not the node's (overlay whiteouts).
HOST_SECRETS = ("etc/shadow", "etc/shadow-", "etc/gshadow", "etc/gshadow-", "etc/ssh")
NODE_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
# The launcher (confine.py) needs only the standard library of a Python 3.9 or later.
# The distribution's own python3 starts in 0.35 s in the emulated guest, where an
# interpreter on a shared libpython (pyenv's, which a venv may point at) takes 1.2 to
# 2.5 s: its relocations under software emulation. One starts with every daemon.
SYSTEM_PYTHON = Path("/usr/bin/python3")


class NodeDaemonError(VpnlabError):
    pass


@functools.cache
def launcher_python() -> str:
    """The interpreter that runs the launcher: the system's python3 where it is one
    that can (3.9 or later, with ctypes: not a python3-minimal alone), else vpnlab's."""
    resolved = SYSTEM_PYTHON.resolve()
    version = re.fullmatch(r"python3\.(\d+)", resolved.name)
    ctypes_there = (resolved.parent.parent / "lib" / resolved.name / "ctypes").is_dir()
    if version and int(version.group(1)) >= 9 and ctypes_there and os.access(resolved, os.X_OK):
        return str(SYSTEM_PYTHON)
    return sys.executable


class NodeDaemon:
    program = "daemon"  # its name in a fault: charon, pluto
    # Where the host's own configuration would show through the overlay: the
    # node's own (maybe empty) versions hide it.
    own_dirs: tuple[str, ...] = ()
    own_files: tuple[str, ...] = ()

    def __init__(
        self,
        ns: Namespace,
        root: Path,
        files: dict[str, str | bytes],
        executables: frozenset[str] = frozenset(),
    ):
        self.ns, self.root, self.files, self.executables = ns, root, files, executables
        self.pid: int | None = None

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def var_dir(self) -> Path:
        """The node's /var, as seen from the host."""
        return self.root / "var"

    def _stage(self) -> Path:
        """The node's /etc under root: its files, and empty places of its implementation."""
        staged = self.root / "files"
        shutil.rmtree(staged, ignore_errors=True)  # a kept run's files are not this run's
        for path, content in self.files.items():
            if path.startswith("/etc/sysctl.d/"):
                continue
            if not path.startswith("/etc/"):
                raise NodeDaemonError(f"{path}: the node's files live under /etc")
            source = staged / path.lstrip("/")
            source.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                source.write_bytes(content)
            else:
                source.write_text(content)
            source.chmod(0o700 if path in self.executables else 0o600)
        for own in self.own_dirs:
            (staged / own).mkdir(parents=True, exist_ok=True)
            # opaque: the overlay shows none of the host's files in it
            os.setxattr(staged / own, "trusted.overlay.opaque", b"y")
        for own in self.own_files:
            (staged / own).touch(mode=0o600)
        for secret in HOST_SECRETS:  # an overlay whiteout: the node has no such file
            if not (staged / secret).exists():
                (staged / secret).parent.mkdir(parents=True, exist_ok=True)
                os.mknod(staged / secret, 0o600 | stat.S_IFCHR, os.makedev(0, 0))
        etc = staged / "etc"
        if any(c in str(etc) for c in ":,\\"):
            raise NodeDaemonError(f"{etc}: an overlay cannot take a path with ':' or ','")
        return etc

    def _confined(self, daemon: list[str], overlays: dict[str, Path] | None = None) -> list[str]:
        """The daemon's argv, run confined in the node (driver/local/dataplane/confine.py);
        ``overlays``: folders of the node (target) shown over the host's (lower)."""
        etc = str(self._stage())
        launcher = [launcher_python(), "-I", "-S", confine.__file__]
        for target, lower in (overlays or {}).items():
            launcher += ["--overlay", target, str(lower)]
        hidden = [str(self.root.parent), str(state_root())]  # every node's folder, all labs'
        return [*launcher, str(self.run_dir), str(self.var_dir), etc, *hidden, "--", *daemon]

    def _make_var(self) -> None:
        for sub in ("lib", "log", "tmp"):
            (self.var_dir / sub).mkdir(parents=True, exist_ok=True)
        # /var/tmp stays 0700, not 1777: only root runs in a node, and nothing
        # below .vpnlab/ is open to another local user.
        for name, target in (("run", "/run"), ("lock", "/run/lock")):
            link = self.var_dir / name
            if not link.is_symlink():
                link.symlink_to(target)

    def _sysctl(self) -> dict[str, str]:
        settings = {}
        for path, content in self.files.items():
            if path.startswith("/etc/sysctl.d/"):  # the lab's only (cgw_files.REPLACED)
                text = content.decode() if isinstance(content, bytes) else content
                settings |= parse_sysctl(text)
        return settings

    def _popen(self, argv: list[str]) -> None:
        """Start the confined daemon in the node's network namespace."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._make_var()
        self.ns.sysctl(self._sysctl())
        with open(self.root / "daemon.out", "ab") as out:
            proc = subprocess.Popen(
                ["ip", "netns", "exec", self.ns.name, *argv],
                stdin=subprocess.DEVNULL,  # never the operator's terminal
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=NODE_ENV,  # nothing of vpnlab's environment (keys, tokens)
            )
        # ip netns exec execs the launcher, which waits for the daemon (its child,
        # PID 1 of the node's PID namespace): signals to this group reach both.
        self.pid = proc.pid
        self._proc = proc

    def _daemon_out(self) -> str:
        """What the launcher and the daemon printed (a failed confinement says so here)."""
        try:
            return (self.root / "daemon.out").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log(self) -> str:
        return ""

    def running(self) -> bool:
        return self.pid is not None and process_alive(self.pid)

    def fault(self, what: str, exited: bool = False) -> Fault:
        """The one-line cause when this node's daemon fails mid-command; ``what`` it did,
        or (not ``exited``) what it did not do, unless it is gone."""
        if exited:
            state = what
        else:
            state = "is still running but " + what if self.running() else "is no longer running"
        last = last_line(self.log()) or last_line(self._daemon_out())
        which = "" if self.root.name == self.ns.node else f" of {self.root.name}"
        return Fault(
            f"{self.program}{which} in node {self.ns.node} ({self.ns.name}) {state}"
            + (f"; its last log line: {last.strip()[-160:]}" if last else "")
        )

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the daemon by its PID (its process group: the launcher takes it along)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if not is_ours(pid, self.ns.name):
            return  # a recorded PID that now belongs to something else: never kill it
        terminate_group(pid, timeout)


def read_log(daemon: NodeDaemon, name: str) -> str:
    """A log in the node's /run, read without following a link the node may have planted."""
    return node_files.read_text(daemon.run_dir, name)


def last_line(text: str) -> str:
    return next((line for line in reversed(text.splitlines()) if line.strip()), "")


def is_ours(pid: int, netns: str) -> bool:
    """Is ``pid`` still a process in our network namespace (not a reused PID)?"""
    try:
        ours = os.stat(f"/run/netns/{netns}").st_ino
        return os.stat(f"/proc/{pid}/ns/net").st_ino == ours
    except FileNotFoundError:
        return False
