"""A VPN tunnel as AWS holds it: the record ``DescribeVpnConnections`` returns.

One source of the AWS side. The emulator builds this record from the
CreateVpnConnection request (AWS's defaults for what the request leaves out);
the local target reads it back from the emulator; ``vpnlab check`` builds the
same record from the lab (the request the provider sends for the lab's
``tunnel<n>_*`` arguments, modules/vpn.py) through the same function. The
emulated VGW is then configured from the record, never from the lab directly.
"""

from __future__ import annotations

import ipaddress

from driver.lab import aws_rules
from driver.lab.tunnel_model import Phase, Tunnel, TunnelOptions

LISTS = (
    "Phase1EncryptionAlgorithms",
    "Phase2EncryptionAlgorithms",
    "Phase1IntegrityAlgorithms",
    "Phase2IntegrityAlgorithms",
    "Phase1DHGroupNumbers",
    "Phase2DHGroupNumbers",
    "IKEVersions",
)


def values(items) -> list:
    """[{"Value": x}, ...] or [x, ...] from a request -> plain values."""
    return [i["Value"] if isinstance(i, dict) else i for i in items or []]


def record(request: dict, address: str, inside: str, psk: str) -> dict:
    """The tunnel's record from its CreateVpnConnection request, as AWS stores it."""

    def get(key, default):
        value = request.get(key, default)
        return int(value) if isinstance(default, int) and value is not None else value

    lists = {
        ("IkeVersions" if key == "IKEVersions" else key): [
            {"Value": v} for v in values(request.get(key))
        ]
        for key in LISTS
    }  # the request says IKEVersions, the response IkeVersions
    return {
        "OutsideIpAddress": address,
        "TunnelInsideCidr": inside,
        "PreSharedKey": psk,
        "Phase1LifetimeSeconds": get("Phase1LifetimeSeconds", 28800),
        "Phase2LifetimeSeconds": get("Phase2LifetimeSeconds", 3600),
        "RekeyMarginTimeSeconds": get("RekeyMarginTimeSeconds", 270),
        "RekeyFuzzPercentage": get("RekeyFuzzPercentage", 100),
        "ReplayWindowSize": get("ReplayWindowSize", 1024),
        "DpdTimeoutSeconds": get("DPDTimeoutSeconds", 30),
        "DpdTimeoutAction": get("DPDTimeoutAction", "clear"),
        "StartupAction": get("StartupAction", "add"),
        "EnableTunnelLifecycleControl": False,
        **lists,
        "LogOptions": {"CloudWatchLogOptions": {"LogEnabled": False}},
    }


def request_of(tunnel: Tunnel) -> dict:
    """The CreateVpnConnection tunnel options the provider sends for a lab's tunnel."""
    o = tunnel.options

    def listed(items) -> list[dict]:
        return [{"Value": v} for v in items]

    return {
        "TunnelInsideCidr": str(tunnel.inside_cidr),
        "IKEVersions": listed(o.ike_versions),
        "Phase1EncryptionAlgorithms": listed(o.phase1.encryption),
        "Phase1IntegrityAlgorithms": listed(o.phase1.integrity),
        "Phase1DHGroupNumbers": listed(o.phase1.dh_groups),
        "Phase1LifetimeSeconds": o.phase1.lifetime,
        "Phase2EncryptionAlgorithms": listed(o.phase2.encryption),
        "Phase2IntegrityAlgorithms": listed(o.phase2.integrity),
        "Phase2DHGroupNumbers": listed(o.phase2.dh_groups),
        "Phase2LifetimeSeconds": o.phase2.lifetime,
        "RekeyMarginTimeSeconds": o.rekey_margin,
        "RekeyFuzzPercentage": o.rekey_fuzz,
        "ReplayWindowSize": o.replay_window,
        "DPDTimeoutSeconds": o.dpd_timeout,
        "DPDTimeoutAction": o.dpd_action,
        "StartupAction": o.startup_action,
    }


def tunnel_of(o: dict) -> Tunnel:
    """The tunnel a record describes; an empty list is AWS's default: everything."""

    def listed(key: str, default: tuple) -> tuple:
        return tuple(v["Value"] for v in o.get(key) or []) or default

    def phase(n: int, groups: frozenset, lifetime: int) -> Phase:
        return Phase(
            encryption=listed(f"Phase{n}EncryptionAlgorithms", tuple(aws_rules.ENCRYPTION)),
            integrity=listed(f"Phase{n}IntegrityAlgorithms", tuple(aws_rules.INTEGRITY)),
            dh_groups=tuple(
                int(g) for g in listed(f"Phase{n}DHGroupNumbers", tuple(sorted(groups)))
            ),
            lifetime=int(o.get(f"Phase{n}LifetimeSeconds") or lifetime),
        )

    def number(key: str, default: int) -> int:
        """The record's value, AWS's default only where it holds none (a fuzz of 0 is 0)."""
        value = o.get(key)
        return default if value is None else int(value)

    options = TunnelOptions(
        ike_versions=listed("IkeVersions", aws_rules.IKE_VERSIONS),
        phase1=phase(1, aws_rules.PHASE1_DH_GROUPS, 28800),
        phase2=phase(2, aws_rules.PHASE2_DH_GROUPS, 3600),
        rekey_margin=number("RekeyMarginTimeSeconds", 270),
        rekey_fuzz=number("RekeyFuzzPercentage", 100),
        replay_window=number("ReplayWindowSize", 1024),
        dpd_timeout=number("DpdTimeoutSeconds", 30),
        dpd_action=o.get("DpdTimeoutAction") or "clear",
        startup_action=o.get("StartupAction") or "add",
    )
    return Tunnel(
        inside_cidr=ipaddress.ip_network(o["TunnelInsideCidr"]),
        preshared_key=o.get("PreSharedKey"),  # none where AWS keeps it in Secrets Manager
        options=options,
    )
