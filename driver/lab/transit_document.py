"""A Transit Gateway lab's document, shaped for the model before validation.

A Transit Gateway lab writes ``vpcs`` and ``sites`` where a VGW lab writes
``aws``, ``onprem`` and ``vpn``. The code that builds and checks one VPN
connection reads ``lab.aws``, ``lab.onprem`` and ``lab.vpn``: here they are
filled from the first VPC and the first site (problems there are reported once,
at the entry the lab wrote), and each site's ``vpn.amazon_side_asn`` is the
Transit Gateway's (a VPN connection on a Transit Gateway has no ASN of its own).
"""

from __future__ import annotations

import copy

from driver.lab import aws_rules

VGW_ONLY = ("aws", "onprem", "vpn", "firewall")
TGW_ONLY = ("vpcs", "sites")
VPC_KEYS = ("vpc_cidr", "private_subnet_cidr", "test_host")


def shape(data: dict) -> tuple[dict, set[tuple], list[tuple[str, str, str]]]:
    """(the document, the key paths filled here, problems as (path, message, hint))."""
    if not isinstance(data, dict):
        return data, set(), []
    if "transit_gateway" not in data:
        return (
            data,
            set(),
            [
                (
                    key,
                    f"{key} belongs to a Transit Gateway lab",
                    f"add transit_gateway:, or remove {key} (a VGW lab writes aws, onprem and vpn)",
                )
                for key in TGW_ONLY
                if key in data
            ],
        )
    problems = [
        (key, f"a Transit Gateway lab does not write {key}", _where(key))
        for key in VGW_ONLY
        if key in data
    ]
    data = copy.deepcopy(data)
    gateway = data["transit_gateway"] if isinstance(data["transit_gateway"], dict) else {}
    asn = gateway.get("amazon_side_asn", aws_rules.AMAZON_SIDE_ASN_DEFAULT)
    sites = data.get("sites") if isinstance(data.get("sites"), list) else []
    for i, site in enumerate(sites):
        vpn = site.get("vpn") if isinstance(site, dict) else None
        if isinstance(vpn, dict):
            if "amazon_side_asn" in vpn:
                problems.append(
                    (
                        f"sites[{i}].vpn.amazon_side_asn",
                        "a VPN connection on a Transit Gateway takes the Transit Gateway's ASN",
                        "write it once, as transit_gateway.amazon_side_asn",
                    )
                )
            vpn["amazon_side_asn"] = asn
    for key, first in (("sites", _first(sites)), ("vpcs", _first(data.get("vpcs")))):
        if key not in data:
            problems.append((key, "missing", _what(key)))
        elif first is None:
            problems.append((key, "must not be empty", _what(key)))
    filled = {(key,) for key in ("aws", "onprem", "vpn")}
    if isinstance(first_site := _first(sites), dict):
        data["onprem"] = copy.deepcopy(first_site.get("onprem"))
        data["vpn"] = copy.deepcopy(first_site.get("vpn"))
    if isinstance(first_vpc := _first(data.get("vpcs")), dict):
        data["aws"] = {k: v for k, v in first_vpc.items() if k in VPC_KEYS}
    for key in ("aws", "onprem", "vpn"):
        if data.get(key) is None:
            data.pop(key, None)
    return data, filled, problems


def _first(entries):
    return entries[0] if isinstance(entries, list) and entries else None


def _where(key: str) -> str:
    return {
        "aws": "write the AWS VPCs as vpcs: [{name, vpc_cidr, private_subnet_cidr}]",
        "onprem": "write each on-premises network as sites[].onprem",
        "vpn": "write each VPN connection as sites[].vpn",
        "firewall": "a firewall appliance is a VGW lab's (the seed's appendix) for now",
    }[key]


def _what(key: str) -> str:
    return {
        "sites": "add the on-premises sites: sites: [{name, onprem, vpn}]",
        "vpcs": "add the VPCs attached to the Transit Gateway: vpcs: [{name, vpc_cidr, "
        "private_subnet_cidr}]",
    }[key]
