"""What this kernel offers IPsec, probed once in a throwaway namespace.

This workplace's kernel has XFRM but no ESP, no VTI and no XFRM interfaces
and cannot load modules (docs/architecture.md). Policy-based tunnels then run with
strongSwan's userspace ESP (kernel-libipsec); route-based ones cannot run.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from driver.local.dataplane.netns import Namespace

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


@functools.cache
def probe() -> KernelFeatures:
    ns = Namespace(f"probe{secrets.token_hex(2)}", "kernel").create()
    try:
        esp = ns.exec(*ESP_PROBE, check=False).returncode == 0
        vti = (
            ns.exec(
                "ip",
                "link",
                "add",
                "vti9",
                "type",
                "vti",
                "local",
                "192.0.2.1",
                "remote",
                "192.0.2.2",
                "key",
                "9",
                check=False,
            ).returncode
            == 0
        )
        xfrmi = (
            ns.exec(
                "ip", "link", "add", "xfrm9", "type", "xfrm", "if_id", "9", check=False
            ).returncode
            == 0
        )
    finally:
        ns.delete()
    return KernelFeatures(esp=esp, vti=vti, xfrmi=xfrmi)
