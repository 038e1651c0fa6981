"""A real charon in a lab namespace, running rendered files at their real paths.

Each daemon runs confined in its node (driver/local/dataplane/confine.py): a
mount and a PID namespace of its own inside its network namespace, the host's
file system read-only, ``/run`` and ``/var`` the node's own directories
(``charon.pid`` and the vici socket paths are compiled in: docs/architecture.md;
``/var/run`` still leads to ``/run``), ``/etc`` an overlay of the node's files
over the host's, at the paths the EC2 instance would use (``/etc/swanctl``,
``/etc/ipsec.conf``, ``/etc/strongswan.conf`` …). So the local lab runs the
very files the VPN server gets, several charons run side by side, and a
customer's updown script changes only its node. Sysctl files are applied to
the network namespace instead. A daemon that dies or stops answering is a
Fault naming its node.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import vici
from vici.exception import DeserializationException, SessionException

from driver.checks.vici_fields import text
from driver.core.errors import Fault, VpnlabError
from driver.core.paths import STATE_ROOT
from driver.core.processes import process_alive, terminate_group
from driver.local.dataplane import confine, node_files
from driver.local.dataplane.netns import Namespace, parse_sysctl, run
from driver.local.node_access import VICI_SOCKET, ViciSession

CHARON = "/usr/lib/ipsec/charon"
STARTER = "/usr/lib/ipsec/starter"
LOG_FILE = "/run/charon.log"  # as the node sees it (see CharonOptions.log_file)
# Where the host's strongSwan or FRR configuration would show through the
# overlay: the node's own (maybe empty) versions hide it.
OWN_DIRS = ("etc/swanctl", "etc/ipsec.d", "etc/frr", "etc/quagga")
OWN_FILES = ("etc/ipsec.conf", "etc/ipsec.secrets")
# The host's password hashes and SSH host keys: not the node's (overlay whiteouts).
HOST_SECRETS = ("etc/shadow", "etc/shadow-", "etc/gshadow", "etc/gshadow-", "etc/ssh")
NODE_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
# swanctl --load-all reads these (the package creates them): present, maybe empty.
SWANCTL_DIRS = [
    "x509",
    "x509ca",
    "x509ocsp",
    "x509aa",
    "x509ac",
    "x509crl",
    "pubkey",
    "private",
    "rsa",
    "ecdsa",
    "bliss",
    "pkcs8",
    "pkcs12",
]


class CharonError(VpnlabError):
    pass


class Charon:
    def __init__(
        self,
        ns: Namespace,
        root: Path,
        files: dict[str, str | bytes],
        style: str,
        executables: frozenset[str] = frozenset(),
        swanctl_file: str | None = None,
    ):
        self.ns, self.root, self.files, self.style = ns, root, files, style
        self.executables, self.swanctl_file = executables, swanctl_file
        self.pid: int | None = None
        self.load_failures: list[str] = []  # what swanctl --load-all refused

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def var_dir(self) -> Path:
        """The node's /var, as seen from the host."""
        return self.root / "var"

    @property
    def log_path(self) -> Path:
        return self.run_dir / Path(LOG_FILE).name

    def log(self) -> str:
        """charon's log, read without following a link the node may have planted."""
        return node_files.read_text(self.run_dir, Path(LOG_FILE).name)

    def _stage(self) -> Path:
        """The node's /etc under root: its files, and empty strongSwan places."""
        staged = self.root / "files"
        shutil.rmtree(staged, ignore_errors=True)  # a kept run's files are not this run's
        for path, content in self.files.items():
            if path.startswith("/etc/sysctl.d/"):
                continue
            if not path.startswith("/etc/"):
                raise CharonError(f"{path}: the node's files live under /etc")
            source = staged / path.lstrip("/")
            source.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                source.write_bytes(content)
            else:
                source.write_text(content)
            source.chmod(0o700 if path in self.executables else 0o600)
        for own in OWN_DIRS:
            (staged / own).mkdir(parents=True, exist_ok=True)
            # opaque: the overlay shows none of the host's files in it
            os.setxattr(staged / own, "trusted.overlay.opaque", b"y")
        for own in OWN_FILES:
            (staged / own).touch(mode=0o600)
        for secret in HOST_SECRETS:  # an overlay whiteout: the node has no such file
            if not (staged / secret).exists():
                (staged / secret).parent.mkdir(parents=True, exist_ok=True)
                os.mknod(staged / secret, 0o600 | stat.S_IFCHR, os.makedev(0, 0))
        for sub in SWANCTL_DIRS:
            (staged / "etc" / "swanctl" / sub).mkdir(exist_ok=True)
        etc = staged / "etc"
        if any(c in str(etc) for c in ":,\\"):
            raise CharonError(f"{etc}: an overlay cannot take a path with ':' or ','")
        return etc

    def _confined(self, daemon: list[str]) -> list[str]:
        """The daemon's argv, run confined in the node (driver/local/dataplane/confine.py)."""
        if not os.path.exists(CHARON):
            raise CharonError(
                f"{CHARON} does not exist on this machine: the strongSwan packages are "
                "missing (run `make setup`)"
            )
        etc = str(self._stage())
        launcher = [sys.executable, "-I", "-S", confine.__file__]
        hidden = [str(self.root.parent), str(STATE_ROOT)]  # every node's folder, all labs'
        return [*launcher, str(self.run_dir), str(self.var_dir), etc, *hidden, "--", *daemon]

    def start(self, timeout: float = 60.0) -> None:
        self.launch()
        self.wait_ready(timeout)
        self.load()

    def launch(self) -> None:
        """Start the daemon; ``wait_ready`` then waits for it (several charons start
        side by side: under the guest's emulation each takes ~20 s)."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._make_var()
        self.ns.sysctl(self._sysctl())
        daemon = [STARTER, "--nofork"] if self.style == "ipsec.conf" else [CHARON]
        with open(self.root / "daemon.out", "ab") as out:
            proc = subprocess.Popen(
                ["ip", "netns", "exec", self.ns.name, *self._confined(daemon)],
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

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until its vici socket answers."""
        self._wait_for_vici(self._proc, timeout)

    def load(self) -> None:
        """swanctl's loading of its connections and keys (swanctl style)."""
        if self.style == "swanctl":  # one load: a second --load-creds unloads the first's keys
            self._load(
                "--load-all",
                "--noprompt",
                *(["--file", self.swanctl_file] if self.swanctl_file else []),
            )

    def refused(self) -> list[str]:
        """What strongSwan said it would not load: swanctl's failures, starter's
        ignored conns and the proposals charon skipped."""
        out = self._daemon_out() if self.pid else ""
        said = [line.strip() for line in out.splitlines() if "ignored conn" in line]
        said += [
            line.split("] ", 1)[-1] for line in self.log().splitlines() if "skipped invalid" in line
        ]
        return self.load_failures + said

    def _load(self, *args: str) -> None:
        """swanctl's loading; what it refuses is kept for the report, not raised:
        a customer's connection charon discards is a verdict, not a crash."""
        out = self.swanctl(*args, check=False)
        self.load_failures += [
            line.strip() for line in out.splitlines() if "failed" in line or "error" in line
        ]

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

    def _wait_for_vici(self, proc: subprocess.Popen, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise self.fault("exited at start", exited=True)
            try:
                with self._vici():
                    return
            except OSError:
                time.sleep(0.02)
        raise self.fault(f"did not open its vici socket within {timeout:.0f} s")

    def _vici(self) -> ViciSession:
        return ViciSession(self.run_dir / VICI_SOCKET)

    @contextlib.contextmanager
    def session(self) -> Iterator[vici.Session]:
        """A vici session; a daemon that has died or stops answering is a Fault
        naming the node, never a socket error."""
        try:
            with self._vici() as session:
                yield session
        except (OSError, SessionException, DeserializationException) as exc:
            raise self.fault(f"stopped answering over vici ({exc})") from None

    def list_sas(self) -> list[tuple[str, dict]]:
        """(connection, IKE SA) pairs in vici's ``list-sas`` shape."""
        with self.session() as session:
            return [(text(n), sa) for item in session.list_sas() for n, sa in item.items()]

    def rekey(self, request: dict[str, str]) -> dict:
        """vici's ``rekey`` (``{"ike": name}`` or ``{"child": name}``, ``reauth``)."""
        with self.session() as session:
            return session.rekey(request)

    def _daemon_out(self) -> str:
        """What the launcher and the daemon printed (a failed confinement says so here)."""
        try:
            return (self.root / "daemon.out").read_text(errors="replace")
        except FileNotFoundError:
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
        last = _last_line(self.log()) or _last_line(self._daemon_out())
        which = "" if self.root.name == self.ns.node else f" of {self.root.name}"
        return Fault(
            f"charon{which} in node {self.ns.node} ({self.ns.name}) {state}"
            + (f"; its last log line: {last.strip()[-160:]}" if last else "")
        )

    def swanctl(self, *args: str, check: bool = True) -> str:
        try:
            proc = run(
                ["nsenter", f"--target={self.pid}", "--mount", "--net", "swanctl", *args],
                check=check,
            )
        except subprocess.TimeoutExpired:
            raise self.fault("did not answer swanctl within its bound") from None
        except VpnlabError as exc:  # swanctl (or nsenter: the node is gone) failed
            raise self.fault(f"refused swanctl {' '.join(args)}: {exc}") from None
        return proc.stdout + proc.stderr

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the daemon by its PID (its process group: starter takes charon along)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if not _is_ours(pid, self.ns.name):
            return  # a recorded PID that now belongs to something else: never kill it
        terminate_group(pid, timeout)


def _last_line(text: str) -> str:
    return next((line for line in reversed(text.splitlines()) if line.strip()), "")


def _is_ours(pid: int, netns: str) -> bool:
    """Is ``pid`` still a process in our network namespace (not a reused PID)?"""
    try:
        ours = os.stat(f"/run/netns/{netns}").st_ino
        return os.stat(f"/proc/{pid}/ns/net").st_ino == ours
    except FileNotFoundError:
        return False
