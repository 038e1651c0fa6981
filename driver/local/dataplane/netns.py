"""Network namespaces and veth links owned by one lab.

Names come from driver/local/shared/node_access.py (``namespace_name``), so a lab
finds (and its leak check proves gone) exactly what it made, and two labs can
run side by side. A veth pair is created with each end already in its
namespace, so no name of it ever exists in the host's namespace.

Each process costs: ~2 ms here, ~0.2 s in the guest kernel under software
emulation (driver/local/guest/). So a namespace's ``ip`` commands can be
collected (``batched``) and run as one ``ip -batch``, and sysctls go in one call.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence

from driver.core.errors import VpnlabError
from driver.local.shared.node_access import namespace_name, namespace_pids


class CommandError(VpnlabError):
    pass


def run(
    command: Sequence[str], check: bool = True, timeout: float = 30, input_: str | None = None
) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        list(command), capture_output=True, text=True, timeout=timeout, input=input_
    )
    if check and proc.returncode != 0:
        raise CommandError(f"{' '.join(command)}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


class Namespace:
    def __init__(self, lab: str, node: str, within: str = ""):
        """``within``: a part of the lab the node belongs to (a Transit Gateway lab's
        site: ``s0-vgw``); its ``node`` stays the role it plays (``vgw``)."""
        self.node = node
        self.name = namespace_name(lab, f"{within}{node}")
        self._batch: list[tuple[str, ...]] | None = None  # ip commands not yet run

    def create(self) -> Namespace:
        run(["ip", "netns", "add", self.name])
        self.ip("link", "set", "lo", "up")
        return self

    def delete(self) -> None:
        run(["ip", "netns", "delete", self.name], check=False)

    def exec(
        self, *command: str, check: bool = True, timeout: float = 30, input_: str | None = None
    ) -> subprocess.CompletedProcess:
        # nsenter: one process less than `ip netns exec`, and no mount namespace
        return run(
            ["nsenter", f"--net=/run/netns/{self.name}", *command],
            check=check,
            timeout=timeout,
            input_=input_,
        )

    def ip(self, *args: str) -> subprocess.CompletedProcess | None:
        """``ip -n <this namespace> args``: now, or with the batch when one is open."""
        if self._batch is not None:
            self._batch.append(args)
            return None
        return run(["ip", "-n", self.name, *args])

    @contextlib.contextmanager
    def batch(self) -> Iterator[Namespace]:
        """Collect this namespace's ``ip`` commands; run them, in order, as one
        ``ip -batch`` when the block ends without an exception."""
        self._batch = []
        try:
            yield self
            lines = self._batch
        finally:
            self._batch = None
        if lines:
            _ip_batch(["ip", "-n", self.name], lines)

    def sysctl(self, settings: dict[str, str]) -> None:
        if settings:
            self.exec("sysctl", "-q", "-w", *(f"{k}={v}" for k, v in settings.items()))

    def pids(self) -> list[int]:
        return namespace_pids(self.name)


def create_all(namespaces: Iterable[Namespace]) -> None:
    """Create namespaces in one ``ip -batch``; each one's loopback comes up with its
    batch, if one is open, or now."""
    namespaces = list(namespaces)
    _ip_batch(["ip"], [("netns", "add", ns.name) for ns in namespaces])
    for ns in namespaces:
        ns.ip("link", "set", "lo", "up")


def delete_all(namespaces: Iterable[Namespace]) -> None:
    """Delete namespaces in one ``ip -batch`` (those already gone are no error)."""
    lines = [("netns", "delete", ns.name) for ns in namespaces]
    if lines:
        run(["ip", "-force", "-batch", "-"], check=False, input_=_batch_text(lines))


def batched(namespaces: Iterable[Namespace]) -> contextlib.ExitStack:
    """Every namespace's ``ip`` commands batched (``Namespace.batch``) for a block."""
    stack = contextlib.ExitStack()
    for ns in namespaces:
        stack.enter_context(ns.batch())
    return stack


def _ip_batch(ip: list[str], lines: list[tuple[str, ...]]) -> None:
    proc = run([*ip, "-batch", "-"], check=False, input_=_batch_text(lines))
    if proc.returncode != 0:  # ip stops at the first failure and names its line
        match = re.search(r"Command failed -:(\d+)", proc.stderr)
        failed = " ".join(lines[int(match.group(1)) - 1]) if match else "?"
        error = proc.stderr.split("Command failed")[0].strip()
        raise CommandError(f"{' '.join(ip)} {failed}: {error}")


def _batch_text(lines: list[tuple[str, ...]]) -> str:
    return "".join(" ".join(args) + "\n" for args in lines)


def link(
    a: Namespace,
    a_if: str,
    a_addr: str | None,
    b: Namespace,
    b_if: str,
    b_addr: str | None,
) -> None:
    """A veth pair between two namespaces, addressed and up (the addresses and
    links with each namespace's batch, when one is open)."""
    run(["ip", "link", "add", a_if, "netns", a.name, "type", "veth", "peer", "name", b_if,
         "netns", b.name])  # fmt: skip
    for ns, name, addr in ((a, a_if, a_addr), (b, b_if, b_addr)):
        if addr:
            ns.ip("addr", "add", addr, "dev", name)
        ns.ip("link", "set", name, "up")


def parse_sysctl(text: str) -> dict[str, str]:
    """key = value lines of a sysctl.d file (comments and blanks skipped)."""
    settings = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            settings[key] = value
    return settings
