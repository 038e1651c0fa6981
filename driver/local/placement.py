"""Where a check's data plane runs: this host's kernel, or the guest kernel.

The host when its kernel can run what the configuration needs (kernel ESP,
VTI or XFRM interfaces, as driver/local/host_limits.py names them), the guest
otherwise; ``--dataplane host|vm`` forces one. Either way the report says
which ran and why.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.lab.model import Lab
from driver.local import host_limits
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel
from driver.local.guest.machine import GuestMachine, GuestUnavailable, machine

CHOICES = ("host", "vm")


@dataclass(frozen=True)
class Placement:
    where: str  # host | vm
    reason: str  # for the report: which kernel, and why
    guest: GuestMachine | None = None


def choose(
    lab: Lab,
    config: Path | None,
    secrets: Path | None,
    requested: str | None,
    features: kernel.KernelFeatures,
    daemon: str | None = None,
    site: int | None = None,
) -> Placement:
    """``site``: a Transit Gateway lab's site whose customer gateway ``config`` is."""
    if config is not None:  # a dialect vpnlab cannot run is refused before any guest boots
        cgw_module.require_runnable(config, secrets, daemon)
    found = host_limits.limits(lab, config, secrets, features, daemon, site)
    host = f"this host's kernel {platform.release()} ({features.describe()})"
    if requested == "host":
        host_limits.refuse(config, found)  # the limits just found: the files read once
        return Placement("host", f"{host}: as asked (--dataplane host)")
    if requested is None and not found:
        return Placement("host", f"{host}: it runs this configuration")
    try:
        guest = machine()
    except GuestUnavailable as exc:
        if requested == "vm":
            raise
        details = "; ".join(f.detail for f in found)
        raise VpnlabError(
            f"{config or 'the lab'} cannot run on this host ({details}), and {exc}"
        ) from None
    why = (
        "as asked (--dataplane vm)"
        if requested == "vm"
        else "; ".join(dict.fromkeys(f.short for f in found))
    )
    return Placement("vm", f"{guest.describe()}: {why}", guest)


def for_check(args, lab: Lab) -> Placement:
    """The placement of ``vpnlab check``'s arguments; inside the guest, the host's choice."""
    if args.in_guest:
        return Placement("host", args.in_guest)
    features = kernel.probe()
    site = site_index(lab, args.site) if args.site else None
    return choose(
        lab, args.cgw_config, args.cgw_secrets, args.dataplane, features, args.cgw_daemon, site
    )


def site_index(lab: Lab, name: str) -> int:
    """The index of a Transit Gateway lab's site (``--site``, checked before)."""
    return [s.name for s in lab.sites].index(name)
