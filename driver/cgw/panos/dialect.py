"""The Palo Alto (PAN-OS) dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.panos import files
from driver.cgw.panos.bgp import pan_bgp
from driver.cgw.panos.defaults import RELEASE
from driver.cgw.panos.proposals import of_record
from driver.cgw.panos.tunnels import inside_cidr, pan_tunnels, records, secrets_of
from driver.cgw.panos.twin import twin
from driver.cgw.router import Dialect, RouterConfig, Twin, router_config


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = pan_tunnels(conf)
    made = records(tunnels)  # before the inside CIDRs: the defaults each relied on
    units = list(dict.fromkeys(t.interface for t in tunnels))
    return router_config(
        made,
        secrets_of(tunnels),
        conf.problems,
        [inside_cidr(conf, unit) for unit in units],
        [d for t in tunnels for d in t.defaulted],
        pan_bgp(conf, str(config)),
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


DIALECT = Dialect(
    "panos",
    "Palo Alto firewall",
    RELEASE,
    # PAN-OS's IKE and IPsec objects, in its set, XML or brace form: no other dialect
    # has them (PaloAltoNetworks/pan-os-codegen, specs/network/ike-gateway.yaml and
    # specs/objects/profiles/*-crypto-profile.yaml: their XPaths)
    re.compile(
        r"^\s*(\S+@\S+[#>]\s*)?(set|edit)\s+(\S+\s+)*network\s+"
        r"(ike\s+(gateway|crypto-profiles)|tunnel\s+ipsec)\b"
        r"|.*<(ike-crypto-profiles|ipsec-crypto-profiles)>"
        r"|^\s*(ike-crypto-profiles|ipsec-crypto-profiles)\s*\{"
    ),
    read,
    lambda text: of_record(text),
    twin_of,
    "tunnel-interface (a tunnel interface)",
    "set dh-group group14 in the IPsec crypto profile (not no-pfs)",
    {
        "psk": "set network ike gateway <gateway> authentication pre-shared-key key <the VPN "
        "connection's key>",
        "selectors": "remove the tunnel's proxy-id (PAN-OS then proposes 0.0.0.0/0, as AWS's "
        "route-based tunnels do), or set its local and remote to the VPN connection's CIDRs",
        "phase1-proposal": "set the IKE crypto profile's encryption, hash and dh-group to what "
        "the tunnel options allow (e.g. aes-256-cbc, sha256, group14)",
        "phase2-proposal": "set the IPsec crypto profile's esp encryption and authentication "
        "and its dh-group to what the tunnel options allow (e.g. aes-256-cbc, sha256, group14)",
        "ike-version": "set network ike gateway <gateway> protocol version to one the tunnel "
        "allows (ikev2)",
        "aggressive-mode": "set network ike gateway <gateway> protocol ikev1 exchange-mode main",
        "never-initiated": "set network tunnel ipsec <tunnel> tunnel-monitor enable yes with "
        "destination-ip <AWS's inside address of the tunnel> (PAN-OS then brings the tunnel "
        "up and keeps it up), or the tunnel's startup_action: start (AWS initiates; IKEv2)",
    },
)
