"""What a guest needs from this machine: a kernel to boot, qemu, virtme-ng, KVM
if it works.

The kernel is Debian's ``linux-image-amd64`` (``make setup`` installs it; the
host keeps running its own). virtme-ng boots it on a read-only snapshot of this
machine's root, where the guest finds its modules in /lib/modules and the
host's strongSwan, iproute2 and Python. KVM is used only where the CPU offers
hardware virtualization (vmx/svm): a /dev/kvm without it (this workplace's
machines: a paravirtualized KVM) hangs a stock kernel.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from driver.core.errors import VpnlabError

BOOT = Path("/boot")
MODULES = Path("/lib/modules")
QEMU = "qemu-system-x86_64"
# virtme-ng's initramfs loads the kernel's 9p and virtio modules with busybox.
BUSYBOX = "/bin/busybox"


class GuestUnavailable(VpnlabError):
    pass


@dataclass(frozen=True)
class GuestMachine:
    kernel: str  # its version, e.g. 6.1.0-57-amd64
    image: Path  # /boot/vmlinuz-<version>
    kvm: bool  # hardware virtualization (else qemu's software emulation)
    vng: str  # the virtme-ng command

    def describe(self) -> str:
        how = "KVM" if self.kvm else "software emulation: this CPU offers no KVM to the guest"
        return f"guest kernel {self.kernel} ({how})"


def _version_key(version: str) -> list:
    return [int(p) if p.isdecimal() else p for p in re.split(r"[.-]", version)]


def find_kernel() -> tuple[str, Path] | None:
    """The newest kernel in /boot whose modules are installed (the guest loads
    esp4, xfrm_interface, ip_vti from them)."""
    found = []
    for image in BOOT.glob("vmlinuz-*"):
        version = image.name.removeprefix("vmlinuz-")
        if (MODULES / version / "modules.dep").exists() and os.access(image, os.R_OK):
            found.append((version, image))
    return max(found, key=lambda f: _version_key(f[0]), default=None)


def kvm_usable() -> bool:
    """KVM only with the CPU's own virtualization: a /dev/kvm without vmx/svm
    (a paravirtualized one) does not boot a stock kernel."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return bool(re.search(r"^flags\s*:.*\b(vmx|svm)\b", flags, re.MULTILINE))


def _vng() -> str | None:
    """virtme-ng from this Python's environment (it calls its own virtme-run from PATH)."""
    beside = Path(sys.executable).parent / "vng"
    return str(beside) if beside.exists() else shutil.which("vng")


def machine() -> GuestMachine:
    """This machine's guest, or what is missing for one (all of it at once)."""
    kernel = find_kernel()
    vng = _vng()
    missing = []
    if kernel is None:
        missing.append(f"a kernel in {BOOT} with its modules in {MODULES} (linux-image-amd64)")
    if shutil.which(QEMU) is None:
        missing.append(f"{QEMU} (qemu-system-x86)")
    if not os.access(BUSYBOX, os.X_OK):
        missing.append(f"a static busybox at {BUSYBOX} (busybox-static)")
    if vng is None:
        missing.append("virtme-ng's vng (pip: virtme-ng, in the project's dependencies)")
    if missing:
        raise GuestUnavailable(
            "the guest kernel cannot start: missing " + "; ".join(missing) + ". `make setup` "
            "installs them"
        )
    version, image = kernel
    return GuestMachine(version, image, kvm_usable(), vng)
