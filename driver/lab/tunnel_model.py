"""A VPN tunnel's keys in the lab file: its options (phase 1 and 2 proposals,
rekeying, DPD, startup) and the tunnel itself (inside CIDR, key).

Part of the lab model (driver/lab/model.py): the same ``field(metadata=spec(...))``
declarations drive the loader, the rules and the reference.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.lab import aws_rules
from driver.lab.key_spec import spec

Net = ipaddress.IPv4Network


@dataclass(frozen=True)
class Phase:
    # Left out, an option is AWS's documented default (Site-to-Site VPN user guide,
    # "Tunnel options for your Site-to-Site VPN connection"): everything AWS offers.
    encryption: tuple[str, ...] = field(
        default=tuple(aws_rules.ENCRYPTION),
        metadata=spec(
            "Encryption algorithms AWS may accept.",
            choices=tuple(aws_rules.ENCRYPTION),
            aws_offers=True,
        ),
    )
    integrity: tuple[str, ...] = field(
        default=tuple(aws_rules.INTEGRITY),
        metadata=spec(
            "Integrity algorithms (the PRF for GCM in phase 1).",
            choices=tuple(aws_rules.INTEGRITY),
            aws_offers=True,
        ),
    )
    dh_groups: tuple[int, ...] = field(
        default=tuple(sorted(aws_rules.PHASE2_DH_GROUPS)),
        metadata=spec(
            "Diffie-Hellman groups (phase 1: 2, 14-24; phase 2 also 5). "
            "In phase 2 they are the PFS groups.",
            choices=tuple(sorted(aws_rules.PHASE2_DH_GROUPS)),
            aws_offers=True,
        ),
    )
    lifetime: int = field(
        default=28800,
        metadata=spec(
            "Lifetime in seconds (phase 1: 900-28800; phase 2: 900-3600, below phase 1).",
            bounds=aws_rules.PHASE1_LIFETIME,
        ),
    )


@dataclass(frozen=True)
class TunnelOptions:
    ike_versions: tuple[str, ...] = field(
        default=aws_rules.IKE_VERSIONS,
        metadata=spec("IKE versions AWS accepts.", choices=aws_rules.IKE_VERSIONS, aws_offers=True),
    )
    phase1: Phase = field(
        default_factory=lambda: Phase(dh_groups=tuple(sorted(aws_rules.PHASE1_DH_GROUPS))),
        metadata=spec("IKE SA (phase 1) proposal."),
    )
    phase2: Phase = field(
        default_factory=lambda: Phase(lifetime=3600),
        metadata=spec("CHILD SA / IPsec SA (phase 2) proposal."),
    )
    rekey_margin: int = field(
        default=270,
        metadata=spec(
            "Seconds before expiry at which rekeying starts (60 to half of phase 2 lifetime).",
            bounds=(aws_rules.REKEY_MARGIN_MIN, None),
        ),
    )
    rekey_fuzz: int = field(
        default=100,
        metadata=spec(
            "Percentage by which the rekey time is randomised.", bounds=aws_rules.REKEY_FUZZ
        ),
    )
    replay_window: int = field(
        default=1024,
        metadata=spec("IKE replay window size in packets.", bounds=aws_rules.REPLAY_WINDOW),
    )
    dpd_timeout: int = field(
        default=30,
        metadata=spec(
            "Seconds without an answer after which AWS declares the peer dead (>= 30).",
            bounds=(aws_rules.DPD_TIMEOUT_MIN, None),
        ),
    )
    dpd_action: str = field(
        default="clear",
        metadata=spec("What AWS does on DPD timeout.", choices=aws_rules.DPD_ACTIONS),
    )
    startup_action: str = field(
        default="add",
        metadata=spec(
            "add: the customer gateway initiates; start: AWS initiates (IKEv2 only).",
            choices=aws_rules.STARTUP_ACTIONS,
        ),
    )


@dataclass(frozen=True)
class Tunnel:
    inside_cidr: Net = field(
        default=None,
        metadata=spec(
            "A /30 in 169.254.0.0/16, not reserved by AWS, unique per gateway.", required=True
        ),
    )
    preshared_key: str | None = field(
        default=None,
        metadata=spec(
            "Pre-shared key. Leave it out and AWS generates one (recommended: a key "
            "in a committed file is a leaked key)."
        ),
    )
    options: TunnelOptions = field(
        default_factory=TunnelOptions,
        metadata=spec(
            "This tunnel's options: vpn.tunnel_options, overridden by any option key "
            "written in the tunnel's own entry."
        ),
    )
