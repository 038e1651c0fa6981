"""``vpnlab --version``: vpnlab's release and the engines' it drives on this machine
(strongSwan, FRR, Libreswan, Terraform, qemu and the guest kernel), each asked
itself; one that is missing says so, and which command would need it."""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata

from driver.cgw.libreswan import install as libreswan
from driver.local.dataplane.charon import CHARON
from driver.local.dataplane.frr import DAEMONS_DIR
from driver.local.guest.machine import QEMU, find_kernel

TIMEOUT = 10  # seconds: a version query is instant, a hung binary is not ours to wait for


def _asked(argv: list[str], pattern: str) -> str | None:
    """The first match of ``pattern`` in what ``argv`` prints, or None if it cannot run."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(pattern, done.stdout + done.stderr)
    return found.group(1) if found else None


def _terraform() -> str | None:
    text = _asked(["terraform", "version", "-json"], r"(?s)(\{.*\})")
    try:
        return json.loads(text)["terraform_version"] if text else None
    except (ValueError, KeyError, TypeError):
        return None


def versions() -> list[tuple[str, str]]:
    def said(found: str | None, missing: str) -> str:
        return found or f"not found ({missing})"

    try:
        own = metadata.version("vpnlab")
    except metadata.PackageNotFoundError:
        own = "unknown (not installed as a package)"
    kernel = find_kernel()
    pluto = libreswan.LIBEXEC / "pluto"
    return [
        ("vpnlab", own),
        ("strongSwan", said(_asked([CHARON, "--version"], r"strongSwan (\S+)"), "check, verify")),
        ("FRR", said(_asked([str(DAEMONS_DIR / "bgpd"), "--version"], r"version (\S+)"), "BGP")),
        (
            "Libreswan",
            libreswan.release() + f" ({pluto})"
            if pluto.exists()
            else said(None, "a customer's Libreswan files: make setup"),
        ),
        ("Terraform", said(_terraform(), "apply, verify, destroy: make setup")),
        ("qemu", said(_asked([QEMU, "--version"], r"version (\S+)"), "--dataplane vm")),
        ("guest kernel", kernel[0] if kernel else said(None, "--dataplane vm: make setup")),
    ]


def version_text() -> str:
    rows = versions()
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
