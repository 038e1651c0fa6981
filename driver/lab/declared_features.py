"""Site-to-Site VPN features a Transit Gateway lab may declare but vpnlab does not
emulate: what each means for a local PASS, and whether synthesis can write it with
the pinned AWS provider (cdktf-cdktf-provider-aws 20.1.0 binds provider 5.100.0).

Versions from the provider's changelog: ``tunnel_bandwidth`` arrived in 6.22.0,
``aws_vpn_concentrator`` and ``vpn_concentrator_id`` in 6.23.0. ``Ipv6`` outer
addresses: the pinned 5.100 refuses the value (measured with ``terraform validate``:
"expected outside_ip_address_type to be one of [PrivateIpv4 PublicIpv4]").
"""

from __future__ import annotations

from dataclasses import dataclass

from driver.lab.model import Lab, Site

PINNED_PROVIDER = "5.100.0"


@dataclass(frozen=True)
class Declared:
    key: str  # the site's key
    what: str  # the feature, in words
    local: str  # what a local PASS means with it declared
    refused: str | None  # why synthesis cannot write it (None: it can)


def declared(site: Site) -> list[Declared]:
    """The not-emulated features a site declares."""
    out = []
    if site.acceleration:
        out.append(Declared(
            "acceleration", "accelerated VPN",
            "a local PASS proves the tunnels and routing, not the path through Global "
            "Accelerator's edge", None,
        ))  # fmt: skip
    if site.tunnel_bandwidth == "large":
        out.append(Declared(
            "tunnel_bandwidth", "large-bandwidth (5 Gbps) tunnels",
            "a local PASS proves the tunnels negotiate, not their bandwidth",
            "needs AWS provider 6.22.0 (tunnel_bandwidth)",
        ))  # fmt: skip
    if site.concentrator:
        out.append(Declared(
            "concentrator", "a Site-to-Site VPN Concentrator",
            "a local PASS proves the connection as one attached to the Transit Gateway",
            "needs AWS provider 6.23.0 (aws_vpn_concentrator, vpn_connection's "
            "vpn_concentrator_id)",
        ))  # fmt: skip
    if site.outside_ip_address_type == "PrivateIpv4":
        out.append(Declared(
            "outside_ip_address_type", "private IP VPN over Direct Connect",
            "a local PASS proves the tunnels over a public path, not over Direct Connect",
            "needs a Direct Connect gateway attachment as transport "
            "(transport_transit_gateway_attachment_id), which a lab does not model",
        ))  # fmt: skip
    if site.outside_ip_address_type == "Ipv6":
        out.append(Declared(
            "outside_ip_address_type", "IPv6 outer tunnel addresses",
            "a local PASS proves the tunnels over IPv4 outer addresses",
            f"the pinned AWS provider {PINNED_PROVIDER} refuses Ipv6 (its terraform "
            "validate allows PrivateIpv4 and PublicIpv4 only)",
        ))  # fmt: skip
    return out


def synthesis_refusals(lab: Lab) -> list[str]:
    """Why synthesis cannot write this lab, one line per declared feature it refuses."""
    return [
        f"sites[{i}].{d.key}: {d.what} {d.refused}; the pinned bindings are provider "
        f"{PINNED_PROVIDER}"
        for i, site in enumerate(lab.sites)
        for d in declared(site)
        if d.refused
    ]
