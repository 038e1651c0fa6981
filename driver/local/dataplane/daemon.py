"""What the data plane and the checks need of a gateway's IKE daemon in its node.

``Charon`` (charon.py) plays the VGW's two endpoints and a strongSwan customer
gateway, ``Pluto`` (pluto.py) a Libreswan one; another implementation joins by
offering the same: started and stopped in its node, its SAs in vici's
``list-sas`` shape (the checks read ``state``, ``child-sas``, ``uniqueid``,
``remote-host`` …, driver/checks/vici_fields.py), AWS's and its own rekeys on
request, its log for the diagnosis, what it refused to load, and which release
it is. Both share node_daemon.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from driver.core.errors import Fault
from driver.local.dataplane.netns import Namespace


class IkeDaemon(Protocol):
    ns: Namespace  # its node's network namespace
    pid: int | None  # its confined launcher, while it runs
    files: dict[str, str | bytes]  # its node's files, by server path
    style: str  # its files' style: swanctl | ipsec.conf (strongSwan) | libreswan
    program: str  # its name in what vpnlab says: charon, pluto

    @property
    def var_dir(self) -> Path: ...  # the node's /var, as the host sees it

    @property
    def run_dir(self) -> Path: ...  # the node's /run, as the host sees it

    def launch(self) -> None: ...
    def wait_ready(self, timeout: float = 60.0) -> None: ...
    def load(self) -> None: ...  # its connections and keys, once it answers
    def start(self, timeout: float = 60.0) -> None: ...  # launch, wait, load
    def stop(self, timeout: float = 5.0) -> None: ...
    def running(self) -> bool: ...
    def log(self) -> str: ...
    def list_sas(self) -> list[tuple[str, dict]]: ...  # (connection, IKE SA), vici's shape
    def rekey(self, request: dict[str, str]) -> dict: ...  # vici's rekey request and answer
    def refused(self) -> list[str]: ...  # what it would not load, in its words
    def version(self) -> str: ...  # "strongSwan 5.9.8", "Libreswan 4.10"
    def fault(self, what: str, exited: bool = False) -> Fault: ...
