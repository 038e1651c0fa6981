"""The pfSense dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.pfsense import files
from driver.cgw.pfsense.defaults import RELEASE
from driver.cgw.pfsense.proposals import of_record
from driver.cgw.pfsense.tunnels import inside_cidr, pf_tunnels, record, secrets_of
from driver.cgw.pfsense.twin import twin
from driver.cgw.router import Dialect, RouterConfig, Twin, router_config


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = pf_tunnels(conf)
    made = [record(t) for t in tunnels]  # before the inside CIDRs: the defaults each relied on
    return router_config(
        made,
        secrets_of(tunnels),
        conf.problems,
        [inside_cidr(t) for t in tunnels if t.vti],
        [d for t in tunnels for d in t.defaulted],
        None,
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


_P1 = "VPN > IPsec > Tunnels > phase 1"
_P2 = "phase 2"
DIALECT = Dialect(
    "pfsense",
    "pfSense",
    RELEASE,
    # a config.xml's root or IPsec entries: no other dialect writes <pfsense> or <phase1>
    re.compile(
        r"^\s*(<\?xml[^>]*\?>\s*)?<pfsense>|^\s*<(phase1|remote-gateway|ikeid)>"
        r"|^---- BEGIN config\.xml ----"
    ),
    read,
    of_record,
    twin_of,
    "a phase 2 in mode vti (Routed VTI), its interface ipsecN assigned",
    f"{_P2}: PFS key group 14 (<pfsgroup>14</pfsgroup>)",
    {
        "psk": f"{_P1}: Pre-Shared Key <the VPN connection's key> (<pre-shared-key>)",
        "selectors": f"{_P2}: Mode Routed (VTI) with the tunnel's inside addresses, or Tunnel "
        "IPv4 with the VPN connection's CIDRs as local and remote networks",
        "phase1-proposal": f"{_P1}: Encryption Algorithm AES 128 (or 256), Hash SHA256, DH "
        "group 14, as the tunnel options allow",
        "phase2-proposal": f"{_P2}: Encryption Algorithms AES 128 (or 256), Hash SHA256, PFS "
        "key group 14",
        "ike-version": f"{_P1}: Key Exchange version IKEv2 (or IKEv1) as the tunnel allows",
        "aggressive-mode": f"{_P1}: Negotiation mode Main",
        "never-initiated": f"{_P1}: Child SA Start Action Initiate at start (a VTI starts by "
        "itself), or the tunnel's startup_action: start (AWS initiates; IKEv2)",
    },
)
