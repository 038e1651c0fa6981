"""Whether a value is an IPv4 address: asked of what a lab and a customer's files
say, in every package."""

from __future__ import annotations

import ipaddress


def is_ipv4(value: str) -> bool:
    """An IPv4 address, surrounding blanks allowed (as configuration files write it)."""
    try:
        ipaddress.IPv4Address(value.strip())
    except ValueError:
        return False
    return True
