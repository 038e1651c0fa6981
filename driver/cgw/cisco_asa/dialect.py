"""The Cisco ASA dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from driver.cgw.cisco_asa.bgp import asa_bgp
from driver.cgw.cisco_asa.conf import IosConf, parse_asa
from driver.cgw.cisco_asa.defaults import RELEASE
from driver.cgw.cisco_asa.proposals import in_aws_names
from driver.cgw.cisco_asa.tunnels import asa_tunnels
from driver.cgw.cisco_asa.twin import twin
from driver.cgw.cisco_ios.tunnels import record, secrets_of
from driver.cgw.router import Dialect, RouterConfig, router_config, router_file


def load(config: Path, secrets: Path | None = None) -> IosConf:
    text = router_file(config, secrets, "Cisco ASA configuration", "tunnel-group ipsec-attributes")
    return parse_asa(text, str(config))


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = load(config, secrets)
    tunnels = asa_tunnels(conf)
    return router_config(
        [record(t) for t in tunnels],
        secrets_of(tunnels),
        conf.problems + [(where, what) for t in tunnels for _, where, what in t.problems],
        [_network(t.address) for t in tunnels if t.at.words[0] == "interface"],
        [d for t in tunnels for d in t.defaulted],
        asa_bgp(conf),
    )


def _network(address: str | None) -> str | None:
    return str(ipaddress.IPv4Interface(address).network) if address else None


def proposals(text: str) -> list[dict[str, set]]:
    """A record's IKE or ESP words in AWS's names: IKE's say a hash (IKEv1) or a PRF
    (IKEv2, where the ASA always has one), ESP's neither."""
    return in_aws_names(text, ike=bool(re.search(r"\b(hash|prf)\b", text)))


def twin_of(config: Path):
    return twin(load(config), str(config))


DIALECT = Dialect(
    "cisco-asa",
    "Cisco ASA",
    RELEASE,
    # a site-to-site tunnel group, which only the ASA has (Cisco ASA Series Command
    # Reference, tunnel-group): IOS and the Linux implementations have none
    re.compile(r"^\s*tunnel-group\s+\S+\s+(type\s+ipsec-l2l|ipsec-attributes)\b"),
    read,
    proposals,
    twin_of,
    "interface Tunnel with tunnel protection ipsec profile (a VTI, ASA 9.7.1 and later)",
    "set pfs group14 in the crypto ipsec profile (or crypto map entry)",
    {
        "psk": "ikev1 pre-shared-key <the VPN connection's key> (IKEv2: ikev2 "
        "local-authentication and remote-authentication pre-shared-key) under "
        "tunnel-group <tunnel outside IP> ipsec-attributes",
        "selectors": "access-list <acl> extended permit ip <on-prem network> <mask> <VPC "
        "network> <mask>, one entry, in the crypto map's match address (a VTI: any any)",
        "phase1-proposal": "a crypto ikev1 policy (IKEv2: crypto ikev2 policy) with what the "
        "tunnel options allow",
        "phase2-proposal": "a crypto ipsec ikev1 transform-set (IKEv2: ikev2 ipsec-proposal) "
        "and set pfs with what the tunnel options allow",
        "ike-version": "set ikev1 transform-set (IKEv1) or set ikev2 ipsec-proposal (IKEv2) "
        "in the crypto ipsec profile, as the tunnel allows",
    },
)
