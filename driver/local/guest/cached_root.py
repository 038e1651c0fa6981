"""What the guest runs, read through the guest kernel's page cache.

virtme-ng shares this machine's root with the guest over 9p without a cache: each
file the guest opens, each ``stat`` Python's imports make, each page of a program
it starts is a round trip to qemu, which software emulation makes slow (a process
~0.14 s, vpnlab's imports ~10 s; ``vpnlab check labs/route-based.yml`` run a second
time in one guest, 76 s).
The same root is shared a second time, read-only, and mounted in the guest with
9p's ``cache=loose``; the trees vpnlab runs from (/usr, its code, its Python, the
unpacked Libreswan) are bound from that mount over their places, so a file read
once stays in the guest's memory (the same command: 40 s). A kept lab's guest, which
outlives updates of this machine's files, reads them uncached (vm.Guest's ``cached``).

``loose`` trusts the guest's copy: a file changed on this machine while a guest
runs may be seen as it was. The trees are programs and libraries, and vpnlab's
state stays the guest's own tmpfs, mounted after them.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

from driver.cgw.libreswan.install import PREFIX as LIBRESWAN
from driver.core.paths import PROJECT

TAG = "vpnlab-cached"
MOUNT = "/run/vpnlab-cached"  # the guest's /run is its own tmpfs
# qemu's second export of the root: read-only; remapped inode numbers keep files
# of different file systems of this machine apart in the guest's cache.
QEMU_OPTIONS = (
    f"-fsdev local,id={TAG},path=/,security_model=none,readonly=on,multidevs=remap "
    f"-device virtio-9p-pci,fsdev={TAG},mount_tag={TAG}"
)


def trees() -> list[Path]:
    """The folders bound from the cached mount: each that exists, none inside another,
    none that holds the guest's shared folder (a bind would hide it)."""
    found = [Path("/usr"), PROJECT, Path(sys.prefix), Path(sys.base_prefix), LIBRESWAN]
    shared = Path(tempfile.gettempdir()).resolve()
    chosen: list[Path] = []
    for tree in sorted({t.resolve() for t in found if t.is_dir()}):
        if not any(tree.is_relative_to(c) for c in chosen) and not shared.is_relative_to(tree):
            chosen.append(tree)
    return chosen


def mount_lines() -> list[str]:
    """The guest script's lines that mount the cached root and bind the trees from it;
    without the second export (a guest started otherwise) the trees stay as they are."""
    options = "trans=virtio,version=9p2000.L,access=any,msize=524288,cache=loose,ro"
    binds = " && ".join(
        f"mount --bind {shlex.quote(MOUNT + str(t))} {shlex.quote(str(t))}" for t in trees()
    )
    # Then the mount itself goes (lazily: the binds keep it): the whole of this
    # machine's root, other labs' state included, stays out of the guest's reach.
    return [
        f"mkdir -p {MOUNT} && mount -t 9p -o {options} {TAG} {MOUNT} && {binds}"
        f" && umount -l {MOUNT}"
        " || echo 'vpnlab: the cached root is not mounted: the guest reads uncached' >&2"
    ]
