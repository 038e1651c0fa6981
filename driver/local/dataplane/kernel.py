"""What this kernel offers IPsec, probed once in a throwaway namespace.

This workplace's kernel has XFRM but no ESP, no VTI and no XFRM interfaces
and cannot load modules (docs/architecture.md). Policy-based tunnels then run with
strongSwan's userspace ESP (kernel-libipsec); route-based ones run in the guest
kernel (driver/local/placement.py).
"""

from __future__ import annotations

import functools
import platform
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from driver.local.dataplane.netns import Namespace, run

ESP_PROBE = [
    "ip",
    "xfrm",
    "state",
    "add",
    "src",
    "192.0.2.1",
    "dst",
    "192.0.2.2",
    "proto",
    "esp",
    "spi",
    "0x100",
    "mode",
    "tunnel",
    "enc",
    "cbc(aes)",
    "0x" + "00" * 16,
    "auth-trunc",
    "hmac(sha256)",
    "0x" + "00" * 32,
    "128",
]


@dataclass(frozen=True)
class KernelFeatures:
    esp: bool  # kernel ESP (else: kernel-libipsec, userspace ESP over a TUN device)
    vti: bool  # VTI interfaces (route-based tunnels)
    xfrmi: bool  # XFRM interfaces (route-based tunnels)

    def describe(self) -> str:
        if self.esp:
            return "kernel ESP"
        return "userspace ESP (kernel-libipsec): this kernel has no ESP support"


def _module(name: str) -> bool:
    """Is kernel module ``name`` there (loaded, built in, or loadable), without
    loading it: the probe must not load ip_vti and xfrm_interface together (Debian
    6.1 then drops XFRM-interface traffic on receive)."""
    if Path(f"/sys/module/{name}").exists():
        return True
    modules = Path("/lib/modules") / platform.release()
    try:
        loadable = Path("/proc/sys/kernel/modules_disabled").read_text().strip() == "0"
    except OSError:
        loadable = False
    for listing, usable in (("modules.builtin", True), ("modules.dep", loadable)):
        try:
            text = (modules / listing).read_text()
        except OSError:
            continue
        if usable and re.search(rf"(^|/){re.escape(name)}\.ko", text, re.MULTILINE):
            return True
    return False


@functools.cache
def probe() -> KernelFeatures:
    ns = Namespace(f"probe{secrets.token_hex(2)}", "kernel")
    run(["ip", "netns", "add", ns.name])
    try:
        esp = run(["ip", "-n", ns.name, *ESP_PROBE[1:]], check=False).returncode == 0
    finally:
        ns.delete()
    return KernelFeatures(esp=esp, vti=_module("ip_vti"), xfrmi=_module("xfrm_interface"))
