"""Network namespaces and veth links owned by one lab.

Names come from driver/local/shared/node_access.py (``namespace_name``), so a lab
finds (and its leak check proves gone) exactly what it made, and two labs can
run side by side. A veth pair is created with each end already in its
namespace, so no name of it ever exists in the host's namespace.

Each process costs: ~2 ms here, ~0.2 s in the guest kernel under software
emulation (driver/local/guest/). So a namespace's ``ip`` commands can be
collected (``batched``) and run as one ``ip -batch``, and sysctls are written by
a thread of vpnlab's that enters the namespace, with no process at all.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from driver.core.errors import VpnlabError
from driver.local.shared.node_access import NETNS_DIR, namespace_name, namespace_pids


class CommandError(VpnlabError):
    pass


# The veth pairs ``link`` makes while ``batched`` collects, to make in one ``ip -batch``
# (a context variable: each thread that builds has its own).
_pending_links: contextvars.ContextVar[list[tuple[str, ...]] | None] = contextvars.ContextVar(
    "pending_links", default=None
)


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
            ["nsenter", f"--net={NETNS_DIR}/{self.name}", *command],
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
        """``sysctl -w`` of the namespace's settings, written by a thread of this process
        that entered it (a thread's network namespace is its own): no process."""
        bad = [key for key in settings if not SYSCTL_KEY.fullmatch(key)]
        if bad:
            raise CommandError(f"sysctl in {self.name}: not a network setting: {', '.join(bad)}")
        if settings:
            _in_namespace(self.name, lambda: _write_sysctls(self.name, settings))

    def pids(self) -> list[int]:
        return namespace_pids(self.name)


# What a network namespace holds: net.* settings, by sysctl's dotted names.
SYSCTL_KEY = re.compile(r"net(\.[A-Za-z0-9_-]+)+")
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def _in_namespace(name: str, work: Callable[[], None]) -> None:
    """``work()`` in a new thread of this process that entered namespace ``name``."""
    failed: list[BaseException] = []

    def entered() -> None:
        try:
            fd = os.open(f"{NETNS_DIR}/{name}", os.O_RDONLY | os.O_CLOEXEC)
            try:
                if _libc.setns(fd, CLONE_NEWNET) != 0:
                    error = ctypes.get_errno()
                    raise CommandError(f"entering {name}: {os.strerror(error)}")
            finally:
                os.close(fd)
            work()
        except BaseException as exc:  # raised in the caller, not lost with the thread
            failed.append(exc)

    thread = threading.Thread(target=entered, name=f"in {name}")
    thread.start()
    thread.join()
    if failed:
        raise CommandError(str(failed[0])) if isinstance(failed[0], OSError) else failed[0]


def _write_sysctls(name: str, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        try:
            with open(f"/proc/sys/{key.replace('.', '/')}", "w") as setting:
                setting.write(f"{value}\n")
        except OSError as exc:
            raise CommandError(f"sysctl in {name}: {key}={value}: {exc.strerror}") from exc


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
    """Every namespace's ``ip`` commands batched (``Namespace.batch``) for a block, and
    the veth pairs ``link`` makes: those first, in one ``ip -batch`` of their own."""
    stack = contextlib.ExitStack()
    for ns in namespaces:
        stack.enter_context(ns.batch())
    stack.enter_context(_links_batched())  # entered last: it runs first
    return stack


@contextlib.contextmanager
def _links_batched() -> Iterator[None]:
    token = _pending_links.set([])
    try:
        yield
        lines = _pending_links.get()
    finally:
        _pending_links.reset(token)
    if lines:
        _ip_batch(["ip"], lines)


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
    """A veth pair between two namespaces, addressed and up: while ``batched``
    collects, made with the block's other pairs and addressed with each namespace's
    batch."""
    pair = ("link", "add", a_if, "netns", a.name, "type", "veth", "peer", "name", b_if,
            "netns", b.name)  # fmt: skip
    pending = _pending_links.get()
    if pending is None or a._batch is None or b._batch is None:  # addressed now: made now
        run(["ip", *pair])
    else:
        pending.append(pair)
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
