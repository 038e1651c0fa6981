"""The OPNsense dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from driver.cgw.opnsense import files
from driver.cgw.opnsense.defaults import RELEASE
from driver.cgw.opnsense.tunnels import opn_tunnels, record, secrets_of, static_routes
from driver.cgw.opnsense.twin import twin
from driver.cgw.router import Dialect, RouterConfig, router_config
from driver.cgw.swan_words import in_aws_names


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = opn_tunnels(conf)
    static_routes(conf, tunnels)
    inside = [t.address for t in tunnels if t.vti is not None]
    return router_config(
        [record(t) for t in tunnels],
        secrets_of(tunnels),
        conf.problems + [(where, what) for t in tunnels for _, where, what in t.problems],
        [_network(a) for a in inside],
        [d for t in tunnels for d in t.defaulted],
        None,  # the os-frr plugin's BGP is not read
    )


def _network(address: str | None) -> str | None:
    return str(ipaddress.IPv4Interface(address).network) if address else None


DIALECT = Dialect(
    "opnsense",
    "OPNsense",
    RELEASE,
    # OPNsense's config.xml (its root), and its Connections model's items: pfSense's
    # file has neither
    re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?<opnsense>|^\s*<Swanctl\b"),
    read,
    in_aws_names,
    twin,
    "a VTI (VPN > IPsec > Virtual Tunnel Interfaces) with the child's reqid, Policies off",
    "the child's ESP proposals with a DH group (aes256-sha256-modp2048)",
    {
        "psk": "VPN > IPsec > Pre-Shared Keys: Local Identifier and Remote Identifier the "
        "connection's, Pre-Shared Key <the VPN connection's key>",
        "selectors": "the child's Local and Remote (local_ts, remote_ts): the VPN "
        "connection's CIDRs (a VTI: 0.0.0.0/0)",
        "phase1-proposal": "the connection's Proposals with what the tunnel options allow",
        "phase2-proposal": "the child's ESP proposals with what the tunnel options allow",
        "ike-version": "the connection's Version as the tunnel allows (IKEv2)",
    },
)
