"""Where vpnlab's Libreswan is: Debian's package, unpacked by ``make setup``
(scripts/setup-system.sh) into a folder of its own, never installed: it
conflicts with strongSwan's (both own /usr/sbin/ipsec and /etc/ipsec.conf)."""

from __future__ import annotations

import os
from pathlib import Path

from driver.core.errors import VpnlabError

VERSION = "4.10-2+deb12u1"  # scripts/setup-system.sh: libreswan_version
PREFIX = Path(f"/opt/vpnlab/libreswan-{VERSION}")
LIBEXEC = PREFIX / "usr/libexec/ipsec"


class LibreswanMissing(VpnlabError):
    pass


def release() -> str:
    """The upstream release this package is (``4.10``), for reports."""
    return VERSION.split("-")[0]


def tool(name: str) -> Path:
    """One of Libreswan's programs (pluto, readwriteconf, algparse, ...)."""
    path = LIBEXEC / name
    if not os.access(path, os.X_OK):
        raise LibreswanMissing(
            f"{path} is missing: vpnlab reads a Libreswan configuration with Libreswan "
            f"{release()}'s own tools, which `make setup` unpacks there"
        )
    return path
