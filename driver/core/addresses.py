"""Whether a value is an IPv4 address, a network, or in one: asked of what a lab and
a customer's files say, in every package."""

from __future__ import annotations

import ipaddress


def is_ipv4(value: str) -> bool:
    """An IPv4 address, surrounding blanks allowed (as configuration files write it)."""
    try:
        ipaddress.IPv4Address(value.strip())
    except ValueError:
        return False
    return True


def network_text(value: str | None) -> str | None:
    """``10.0.0.1/16`` as its network, ``10.0.0.0/16``; what is no network stays as
    written (for the finding that names it), nothing stays nothing."""
    if not value:
        return None
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        return value


def in_network(address: str | None, network: str | None) -> bool:
    """``address`` lies in ``network`` (False where either is none or no address)."""
    try:
        return bool(address and network) and (
            ipaddress.IPv4Address(address) in ipaddress.IPv4Network(network)
        )
    except ValueError:
        return False
