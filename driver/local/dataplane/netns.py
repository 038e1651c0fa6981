"""Network namespaces and veth links owned by one lab.

Names come from driver/local/node_access.py (``namespace_name``), so a lab
finds (and its leak check proves gone) exactly what it made, and two labs can
run side by side.
Interface names are limited to 15 characters by the kernel, so links carry
short names inside their namespace and are created under a temporary name.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from driver.errors import VpnlabError
from driver.local.node_access import namespace_name, namespace_pids


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
    def __init__(self, lab: str, node: str):
        self.node = node
        self.name = namespace_name(lab, node)

    def create(self) -> Namespace:
        run(["ip", "netns", "add", self.name])
        self.ip("link", "set", "lo", "up")
        return self

    def delete(self) -> None:
        run(["ip", "netns", "delete", self.name], check=False)

    def exec(
        self, *command: str, check: bool = True, timeout: float = 30, input_: str | None = None
    ) -> subprocess.CompletedProcess:
        return run(
            ["ip", "netns", "exec", self.name, *command],
            check=check,
            timeout=timeout,
            input_=input_,
        )

    def ip(self, *args: str) -> subprocess.CompletedProcess:
        return run(["ip", "-n", self.name, *args])

    def sysctl(self, settings: dict[str, str]) -> None:
        for key, value in settings.items():
            self.exec("sysctl", "-q", "-w", f"{key}={value}")

    def pids(self) -> list[int]:
        return namespace_pids(self.name)


def link(
    a: Namespace,
    a_if: str,
    a_addr: str | None,
    b: Namespace,
    b_if: str,
    b_addr: str | None,
    tag: str,
) -> None:
    """A veth pair between two namespaces, addressed and up.

    ``tag`` makes the temporary host-side names unique (``vlt<tag>a``, at most
    15 characters), so two labs can build at the same time.
    """
    tmp_a, tmp_b = f"vlt{tag}a", f"vlt{tag}b"
    run(["ip", "link", "add", tmp_a, "type", "veth", "peer", "name", tmp_b])
    for tmp, ns, name, addr in ((tmp_a, a, a_if, a_addr), (tmp_b, b, b_if, b_addr)):
        run(["ip", "link", "set", tmp, "netns", ns.name])
        ns.ip("link", "set", tmp, "name", name)
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
