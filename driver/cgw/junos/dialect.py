"""The Juniper SRX (Junos) dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.junos import files
from driver.cgw.junos.bgp import junos_bgp
from driver.cgw.junos.defaults import RELEASE
from driver.cgw.junos.proposals import of_record
from driver.cgw.junos.tunnels import inside_cidr, junos_tunnels, record, secrets_of
from driver.cgw.junos.twin import twin
from driver.cgw.router import Dialect, RouterConfig, Twin, router_config


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = junos_tunnels(conf)
    made = [record(t) for t in tunnels]  # before the inside CIDRs: the defaults each relied on
    units = list(dict.fromkeys(t.interface for t in tunnels))
    return router_config(
        made,
        secrets_of(tunnels),
        conf.problems,
        [inside_cidr(conf, unit) for unit in units],
        [d for t in tunnels for d in t.defaulted],
        junos_bgp(conf, str(config)),
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


DIALECT = Dialect(
    "junos",
    "Juniper SRX",
    RELEASE,
    # Junos's IKE and IPsec statements, in its set or hierarchical form: no other
    # dialect has them (Juniper's YANG for SRX: security ike / security ipsec)
    re.compile(
        r"^\s*(\S+@\S+[#>%]\s*)?(set|edit)\s+security\s+(ike|ipsec)\s+"
        r"(proposal|policy|gateway|vpn)\b"
        r"|^\s*\[edit security (ike|ipsec)\b"
        r"|^\s*bind-interface\s+st0\.\d+;"
    ),
    read,
    lambda text: of_record(text),
    twin_of,
    "bind-interface st0.N (a tunnel interface)",
    "set security ipsec policy <policy> perfect-forward-secrecy keys group14",
    {
        "psk": "set security ike policy <policy> pre-shared-key ascii-text <the VPN "
        "connection's key>",
        "selectors": "delete the VPN's traffic-selector and proxy-identity (Junos then "
        "proposes 0.0.0.0/0, as AWS's route-based tunnels do)",
        "phase1-proposal": "set security ike proposal <proposal> encryption-algorithm, "
        "authentication-algorithm and dh-group to what the tunnel options allow (e.g. "
        "aes-256-cbc, sha-256, group14)",
        "phase2-proposal": "set security ipsec proposal <proposal> encryption-algorithm and "
        "authentication-algorithm, and the policy's perfect-forward-secrecy keys, to what the "
        "tunnel options allow (e.g. aes-256-cbc, hmac-sha-256-128, group14)",
        "ike-version": "set security ike gateway <gateway> version v2-only (or v1-only) as the "
        "tunnel allows",
        "aggressive-mode": "set security ike policy <policy> mode main",
        "never-initiated": "set security ipsec vpn <vpn> establish-tunnels immediately (Junos "
        "then brings the tunnel up at once), or the tunnel's startup_action: start (AWS "
        "initiates; IKEv2)",
    },
)
