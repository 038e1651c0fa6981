"""The FortiGate dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.fortigate import files
from driver.cgw.fortigate.bgp import forti_bgp
from driver.cgw.fortigate.defaults import DEFAULT_RELEASE
from driver.cgw.fortigate.proposals import of_record
from driver.cgw.fortigate.tunnels import forti_tunnels, inside_cidr, record, secrets_of
from driver.cgw.fortigate.twin import twin
from driver.cgw.router import Dialect, RouterConfig, Twin


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets).conf
    tunnels = forti_tunnels(conf)
    inside = tuple(c for t in tunnels if (c := inside_cidr(conf, t.phase1.name)))
    return RouterConfig(
        [record(t) for t in tunnels],
        secrets_of(tunnels),
        [f"{where}: {what}" for where, what in conf.problems],
        inside if len(inside) == len(tunnels) == 2 else None,
        sorted({d for t in tunnels for d in t.defaulted}),
        forti_bgp(conf, str(config)),
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config).conf, str(config))


DIALECT = Dialect(
    "fortigate",
    "FortiGate",
    f"FortiOS {DEFAULT_RELEASE}",
    # FortiOS's IPsec tables (FortiOS CLI Reference): no other dialect has them
    re.compile(r"^\s*config\s+vpn\s+ipsec\s+phase[12](-interface)?\s*$"),
    read,
    of_record,
    twin_of,
    "phase1-interface (a tunnel interface)",
    "set pfs enable and set dhgrp 14 in the phase2-interface",
    {
        "psk": "set psksecret in the phase1-interface to the VPN connection's key",
        "selectors": "set src-subnet and dst-subnet in the phase2-interface to the VPN "
        "connection's CIDRs (or leave both 0.0.0.0 0.0.0.0, route-based)",
        "phase1-proposal": "set proposal and dhgrp in the phase1-interface to what the "
        "tunnel options allow",
        "phase2-proposal": "set proposal, pfs enable and dhgrp in the phase2-interface to "
        "what the tunnel options allow",
        "ike-version": "set ike-version in the phase1-interface to one the tunnel allows",
        "aggressive-mode": "set mode main in the phase1-interface",
    },
)
