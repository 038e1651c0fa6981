"""How much slower the guest kernel runs a lab when qemu emulates its CPU (no KVM):
the bounds of waits that count on the lab's own speed stretch by this much."""

from __future__ import annotations

import os

# Set in the guest kernel (driver/local/guest/vm.py) when qemu emulates its CPU.
GUEST_MARK = "VPNLAB_GUEST_EMULATED"
EMULATED_SLOWDOWN = 3


def stretched(seconds: float) -> float:
    """A bound measured on this host, as long as it must be where this runs."""
    return seconds * (EMULATED_SLOWDOWN if os.environ.get(GUEST_MARK) else 1)
