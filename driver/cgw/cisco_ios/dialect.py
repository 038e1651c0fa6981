"""The Cisco IOS / IOS XE dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from driver.cgw.cisco_ios import files
from driver.cgw.cisco_ios.bgp import ios_bgp
from driver.cgw.cisco_ios.defaults import RELEASE
from driver.cgw.cisco_ios.proposals import in_aws_names
from driver.cgw.cisco_ios.tunnels import ios_tunnels, record, secrets_of
from driver.cgw.cisco_ios.twin import twin
from driver.cgw.router import Dialect, RouterConfig, Twin


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = ios_tunnels(conf)
    inside = tuple(t.address for t in tunnels if t.address)
    problems = [f"{where}: {what}" for where, what in conf.problems]
    problems += [f"{where}: {what}" for t in tunnels for _, where, what in t.problems]
    return RouterConfig(
        [record(t) for t in tunnels],
        secrets_of(tunnels),
        problems,
        tuple(_network(a) for a in inside) if len(inside) == len(tunnels) == 2 else None,
        sorted({d for t in tunnels for d in t.defaulted}),
        ios_bgp(conf),
    )


def _network(address: str) -> str:
    return str(ipaddress.IPv4Interface(address).network)


def proposals(text: str) -> list[dict[str, set]]:
    """A record's IKE or ESP words in AWS's names (ESP's begin with esp-)."""
    return in_aws_names(text, ike=not text.lstrip().startswith("esp-"))


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


DIALECT = Dialect(
    "cisco-ios",
    "Cisco IOS router",
    RELEASE,
    # IOS's IPsec configuration commands (Cisco IOS Security Command Reference): a
    # strongSwan or Libreswan file has none of them
    re.compile(
        r"^\s*crypto\s+(isakmp\s+(policy|profile|key)|keyring|ipsec\s+(profile|"
        r"transform-set)|ikev2\s+(proposal|profile|keyring)|map\s+\S+\s+\d+)\b"
    ),
    read,
    proposals,
    twin_of,
    "interface Tunnel with tunnel protection (a tunnel interface)",
    "set pfs group14 in the crypto ipsec profile",
    {
        "psk": "pre-shared-key address <tunnel outside IP> key <the VPN connection's key> "
        "in the crypto keyring",
        "selectors": "permit ip <on-prem network> <wildcard> <VPC network> <wildcard> in the "
        "crypto map's access list (a tunnel interface: 0.0.0.0/0 both ways)",
        "phase1-proposal": "a crypto isakmp policy (IKEv2: a crypto ikev2 proposal) with "
        "what the tunnel options allow",
        "phase2-proposal": "a crypto ipsec transform-set and set pfs with what the tunnel "
        "options allow",
        "ike-version": "an isakmp-profile (IKEv1) or ikev2-profile (IKEv2) the tunnel allows, "
        "in the crypto ipsec profile",
    },
)
