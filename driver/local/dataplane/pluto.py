"""Libreswan's pluto as the customer gateway, in its node, on the customer's files.

It runs confined as every gateway daemon does (node_daemon.py), from the
Libreswan ``make setup`` unpacked into its own folder (driver/cgw/libreswan/
install.py): the node's ``/usr/libexec/ipsec`` shows that folder's helpers
(pluto runs ``_updown`` from its compiled-in place) and ``/usr/sbin/ipsec`` its
command (a conn's default updown is ``ipsec _updown``), ``/etc`` the customer's
``ipsec.conf``, ``ipsec.d/`` and secrets at their paths, ``/var/lib/ipsec/nss``
an empty NSS database of the node's own (pre-shared keys need no certificate).

pluto reads ``ipsec.conf`` itself (``--config``, as Libreswan's ipsec.service
starts it) and adds, routes or starts each conn as its ``auto=`` says. It needs
kernel ESP: on a kernel without it (this host's) the handshake completes and
installing the SA fails, so a Libreswan customer runs in the guest kernel
(driver/local/host_limits.py). vpnlab reads its state with ``whack --status``
over its control socket, in the shape the checks read (vici's ``list-sas``).
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

from driver.cgw.libreswan.install import LIBEXEC, PREFIX, release, tool
from driver.local.dataplane.netns import run
from driver.local.dataplane.node_daemon import NodeDaemon, read_log
from driver.local.shared.node_access import connect_unix

NODE_LIBEXEC = "/usr/libexec"  # where pluto's helpers are compiled in: .../ipsec
NODE_SBIN = "/usr/sbin"  # where its `ipsec` command is
LOG_FILE = "pluto.log"  # in the node's /run
NSS_DIR = "lib/ipsec/nss"  # in the node's /var: Debian's place for it
CONTROL = "pluto/pluto.ctl"  # in the node's /run
# pluto answers whack between its events, and runs each updown script to its end
# first: the customer's own (AlmaLinux's, making a VTI and its routes) kept it from
# answering for more than 10 s under the guest's emulation with the other core busy
WHACK_TIMEOUT = 60.0
READY = "listening for IKE messages"  # logged once the conns of ipsec.conf are added


class Pluto(NodeDaemon):
    program = "pluto"
    style = "libreswan"
    # Where the host's strongSwan or FRR configuration would show through the overlay.
    own_dirs = ("etc/ipsec.d", "etc/swanctl", "etc/frr", "etc/quagga")
    own_files = ("etc/ipsec.conf", "etc/ipsec.secrets", "etc/strongswan.conf")

    @property
    def control(self) -> Path:
        return self.run_dir / CONTROL

    def log(self) -> str:
        """pluto's log, read without following a link the node may have planted."""
        return read_log(self, LOG_FILE)

    def version(self) -> str:
        return f"Libreswan {release()}"

    def start(self, timeout: float = 60.0) -> None:
        self.launch()
        self.wait_ready(timeout)
        self.load()

    def launch(self) -> None:
        pluto = tool("pluto")  # LibreswanMissing, naming `make setup`, if it is not there
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / CONTROL).parent.mkdir(exist_ok=True)
        nss = self.var_dir / NSS_DIR
        if not (nss / "cert9.db").exists():
            nss.mkdir(parents=True, exist_ok=True)
            run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"])
        # pluto runs its helpers from /usr/libexec/ipsec, and a conn's default updown
        # is "ipsec _updown": the node's ipsec is Libreswan's, not the host's strongSwan's
        shown = {NODE_LIBEXEC: ("ipsec", LIBEXEC), NODE_SBIN: ("ipsec", PREFIX / "usr/sbin/ipsec")}
        overlays = {}
        for target, (name, real) in shown.items():
            lower = self.root / "overlays" / Path(target).name
            lower.mkdir(parents=True, exist_ok=True)
            if not (lower / name).is_symlink():
                (lower / name).symlink_to(real)
            overlays[target] = lower
        daemon = [
            f"{NODE_LIBEXEC}/ipsec/{pluto.name}",
            "--config", "/etc/ipsec.conf",  # first: the options after it win
            "--nofork",
            "--logfile", f"/run/{LOG_FILE}",
            "--rundir", f"/run/{Path(CONTROL).parent}",
            "--nssdir", f"/var/{NSS_DIR}",
            # the node has no CAP_AUDIT_WRITE (confine.py), and pluto ends on a failed
            # audit record: its own log says the same
            "--log-no-audit",
        ]  # fmt: skip
        self._popen(self._confined(daemon, overlays))

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until it has added its conns (it opens its control socket before, and
        says "listening for IKE messages" after) and its control socket answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise self.fault("exited at start", exited=True)
            if READY in self.log():
                with socket.socket(socket.AF_UNIX) as probe:
                    try:
                        connect_unix(probe, self.control)  # however deep the state folder
                        return
                    except OSError:
                        pass
            time.sleep(0.02)
        raise self.fault(f"did not add its conns and listen within {timeout:.0f} s")

    def load(self) -> None:
        """Nothing to load: pluto reads its conns and secrets from /etc itself."""

    def refused(self) -> list[str]:
        """What pluto said it would not load, in its words."""
        return [
            _TIME.sub("", line).strip()
            for line in self.log().splitlines()
            if "failed to add" in line or "failed to load" in line or "ERROR: /etc/" in line
        ]

    def whack(self, *args: str) -> str:
        """Libreswan's client on pluto's control socket, run in the node's mounts (as
        swanctl is for charon): the node's /run is the customer's scripts' to write,
        and a socket or link planted there must not lead whack to one of the host's.
        A pluto gone is a Fault."""
        node = ["nsenter", f"--target={self.pid}", "--mount", "--net"]
        whack = f"{NODE_LIBEXEC}/ipsec/whack"
        argv = [*node, whack, "--ctlsocket", f"/run/{CONTROL}", *args]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=WHACK_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise self.fault(f"did not answer whack {' '.join(args)} within its bound") from None
        if proc.returncode != 0 and not self.running():
            raise self.fault(f"stopped answering whack ({proc.stderr.strip()[-160:]})")
        return proc.stdout + proc.stderr

    def list_sas(self) -> list[tuple[str, dict]]:
        """(connection, IKE SA) pairs in vici's ``list-sas`` shape."""
        return sas_of_status(self.whack("--status"))

    def rekey(self, request: dict[str, str]) -> dict:
        """vici's ``rekey`` request (``{"ike": name}`` or ``{"child": name}``) as whack's;
        pluto rekeys (IKEv1: a new ISAKMP SA, which is its reauthentication)."""
        kind, name = ("ike", request["ike"]) if "ike" in request else ("ipsec", request["child"])
        said = self.whack("--name", name, f"--rekey-{kind}", "--asynchronous")
        refused = [line for line in said.splitlines() if "no " in line or "not " in line]
        if refused:
            return {"success": "no", "errmsg": refused[0].strip()}
        return {"success": "yes"}


_TIME = re.compile(r"^\w{3} [ \d]\d [\d:.]+: ")  # pluto's log line's time stamp
# whack --status: each conn's line with its ends, each state's line
_PREFIX = re.compile(r"^\d{3} ")
_CONN = re.compile(r'^"([^"]+)"(?:\[\d+\])?: .*?\.\.\.([^\[<=;\s]+)')
_STATE = re.compile(r'^#(\d+): "([^"]+)"(?:\[\d+\])?(?::\d+)? (STATE_\w+) \(([^)]*)\)(.*)$')
_SPIS = re.compile(
    r'^#(\d+): "[^"]+"(?:\[\d+\])? (?:\S+ )*?esp\.([0-9a-f]+)@(\S+) esp\.([0-9a-f]+)@(\S+)'
)
_PARENT = re.compile(r"(?:IKE SA|ISAKMP SA|isakmp)\s?#(\d+)")
IKE_UP = ("established IKE SA", "ISAKMP SA established")
CHILD_UP = ("established Child SA", "IPsec SA established")


def sas_of_status(status: str) -> list[tuple[str, dict]]:
    """pluto's states as vici's ``list-sas`` would list them: each IKE SA (ISAKMP SA)
    with its CHILD_SAs (IPsec SAs), ESTABLISHED and INSTALLED when pluto says so."""
    remotes: dict[str, str] = {}
    ikes: dict[str, tuple[str, dict]] = {}
    children: list[tuple[str, str, dict]] = []  # (parent, conn, child)
    spis: dict[str, tuple[str, str, str, str]] = {}
    for raw in status.splitlines():
        line = _PREFIX.sub("", raw).strip()
        if (conn := _CONN.match(line)) and conn[1] not in remotes:
            remotes[conn[1]] = conn[2]
        elif state := _STATE.match(line):
            serial, name, code, words, rest = state.groups()
            version = "2" if code.startswith("STATE_V2") else "1"
            parent = _PARENT.search(rest)
            if "CHILD" in code or "QUICK" in code or (parent and "IKE_SA" not in code):
                child = {"name": name, "uniqueid": serial, "protocol": "ESP",
                         "state": "INSTALLED" if _says(words, CHILD_UP) else code}  # fmt: skip
                children.append((parent[1] if parent else "", name, child))
            else:
                up = _says(words, IKE_UP)
                sa = {"uniqueid": serial, "version": version, "child-sas": {},
                      "state": "ESTABLISHED" if up else code}  # fmt: skip
                ikes[serial] = (name, sa)
        elif found := _SPIS.match(line):
            spis[found[1]] = found.groups()[1:]
    for parent, name, child in children:
        if child["uniqueid"] in spis:
            out_spi, out_at, in_spi, _ = spis[child["uniqueid"]]
            child["spi-in"], child["spi-out"] = (
                (in_spi, out_spi) if out_at == remotes.get(name) else (out_spi, in_spi)
            )
        if parent in ikes:
            ikes[parent][1]["child-sas"][f"{name}-{child['uniqueid']}"] = child
    listed = []
    for name, sa in ikes.values():
        sa["remote-host"] = remotes.get(name, "")
        listed.append((name, sa))
    return listed


def _says(words: str, meanings: tuple[str, ...]) -> bool:
    return any(meaning in words for meaning in meanings)
