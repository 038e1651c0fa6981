"""A real charon in a lab namespace, running rendered files at their real paths.

It runs confined in its node as every gateway daemon does (node_daemon.py):
``/etc`` holds the node's files at the paths the EC2 instance would use
(``/etc/swanctl``, ``/etc/ipsec.conf``, ``/etc/strongswan.conf`` …;
``charon.pid`` and the vici socket paths are compiled in: docs/architecture.md;
``/var/run`` still leads to ``/run``). So the local lab runs the very files the
VPN server gets, several charons run side by side, and a customer's updown
script changes only its node.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import vici
from vici.exception import CommandException, DeserializationException, SessionException

from driver.checks.vici_fields import text
from driver.core.errors import VpnlabError
from driver.local.dataplane.netns import Namespace, run
from driver.local.dataplane.node_daemon import NodeDaemon, read_log
from driver.local.shared.node_access import VICI_SOCKET, ViciSession

CHARON = "/usr/lib/ipsec/charon"
STARTER = "/usr/lib/ipsec/starter"
LOG_FILE = "/run/charon.log"  # as the node sees it (see CharonOptions.log_file)
# A vici answer never takes this long (list-sas waits at most for an IKE SA another
# thread has checked out: seconds under the guest's emulation): past it, the
# charon is stuck, and the check says so rather than waiting with it.
VICI_ANSWER_BOUND = 60.0
# starter adds a customer's conns within ms of charon answering (seconds in the guest)
STARTER_BOUND = 30.0
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


class Charon(NodeDaemon):
    program = "charon"
    # Where the host's strongSwan or FRR configuration would show through the overlay.
    own_dirs = ("etc/swanctl", "etc/ipsec.d", "etc/frr", "etc/quagga")
    own_files = ("etc/ipsec.conf", "etc/ipsec.secrets")

    def __init__(
        self,
        ns: Namespace,
        root: Path,
        files: dict[str, str | bytes],
        style: str,
        executables: frozenset[str] = frozenset(),
        swanctl_file: str | None = None,
        starter_conns: tuple[str, ...] = (),
    ):
        super().__init__(ns, root, files, executables)
        self.style, self.swanctl_file = style, swanctl_file
        self.starter_conns = starter_conns  # what starter adds from ipsec.conf, once charon runs
        self.load_failures: list[str] = []  # what swanctl --load-all refused

    @property
    def log_path(self) -> Path:
        return self.run_dir / Path(LOG_FILE).name

    def log(self) -> str:
        """charon's log, read without following a link the node may have planted."""
        return read_log(self, Path(LOG_FILE).name)

    def _stage(self) -> Path:
        """The node's /etc under root: its files, and empty strongSwan places."""
        etc = super()._stage()
        for sub in SWANCTL_DIRS:
            (etc / "swanctl" / sub).mkdir(exist_ok=True)
        return etc

    def _confined(self, daemon: list[str]) -> list[str]:
        """The daemon's argv, run confined in the node (driver/local/dataplane/confine.py)."""
        if not os.path.exists(CHARON):
            raise CharonError(
                f"{CHARON} does not exist on this machine: the strongSwan packages are "
                "missing (run `make setup`)"
            )
        return super()._confined(daemon)

    def start(self, timeout: float = 60.0) -> None:
        self.launch()
        self.wait_ready(timeout)
        self.load()

    def launch(self) -> None:
        """Start the daemon; ``wait_ready`` then waits for it (several charons start
        side by side: under the guest's emulation each takes ~20 s)."""
        daemon = [STARTER, "--nofork"] if self.style == "ipsec.conf" else [CHARON]
        self._popen(self._confined(daemon))

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until its vici socket answers."""
        self._wait_for_vici(self._proc, timeout)

    def load(self) -> None:
        """swanctl's loading of its connections and keys (swanctl style); with
        ipsec.conf, until starter has added its conns."""
        if self.style == "swanctl":  # one load: a second --load-creds unloads the first's keys
            self._load(
                "--load-all",
                "--noprompt",
                *(["--file", self.swanctl_file] if self.swanctl_file else []),
            )
        else:
            self._wait_for_starter()

    def _wait_for_starter(self) -> None:
        """starter adds ipsec.conf's conns over stroke once charon answers: the daemon
        is configured when vici lists them all. Bounded: a conn starter ignores after
        all (its output says why: ``refused``) costs the bound, not the check."""
        deadline = time.monotonic() + STARTER_BOUND
        while time.monotonic() < deadline:
            with self.session() as session:
                listed = {text(name) for conn in session.list_conns() for name in conn}
            if listed >= set(self.starter_conns):
                return
            time.sleep(0.02)

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
        return ViciSession(self.run_dir / VICI_SOCKET, timeout=VICI_ANSWER_BOUND)

    @contextlib.contextmanager
    def session(self) -> Iterator[vici.Session]:
        """A vici session; a daemon that has died or stops answering is a Fault
        naming the node, never a socket error."""
        try:
            with self._vici() as session:
                yield session
        except (OSError, SessionException, DeserializationException) as exc:
            raise self.fault(f"stopped answering over vici ({exc})") from None

    def version(self) -> str:
        """The implementation and release that runs (``strongSwan 5.9.8``)."""
        with self.session() as session:
            return f"strongSwan {text(session.version().get('version'))}"

    def list_sas(self) -> list[tuple[str, dict]]:
        """(connection, IKE SA) pairs in vici's ``list-sas`` shape."""
        with self.session() as session:
            return [(text(n), sa) for item in session.list_sas() for n, sa in item.items()]

    def initiate(self, child: str) -> None:
        """vici's ``initiate`` of ``child``, answered at once (timeout -1): charon
        negotiates on its own, retrying as the connection's keyingtries say."""
        with self.session() as session:
            try:
                for _ in session.initiate({"child": child, "timeout": "-1"}):
                    pass
            except CommandException as exc:  # no such connection: the files are ours
                raise self.fault(f"would not initiate {child} ({exc})") from None

    def rekey(self, request: dict[str, str]) -> dict:
        """vici's ``rekey`` (``{"ike": name}`` or ``{"child": name}``, ``reauth``) and
        charon's answer; a refusal is an answer (vici raises it), never a crash."""
        with self.session() as session:
            try:
                return session.rekey(request)
            except CommandException as exc:  # "no matching SAs to rekey found"
                return {"success": "no", "errmsg": str(exc).removeprefix("Command failed: ")}

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
