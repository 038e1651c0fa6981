"""The MikroTik RouterOS dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.mikrotik import files
from driver.cgw.mikrotik.bgp import mt_bgp
from driver.cgw.mikrotik.defaults import RELEASE
from driver.cgw.mikrotik.proposals import in_aws_names
from driver.cgw.mikrotik.tunnels import mt_tunnels, record, secrets_of
from driver.cgw.mikrotik.twin import twin
from driver.cgw.router import Dialect, RouterConfig, router_config


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = mt_tunnels(conf)
    return router_config(
        [record(t) for t in tunnels],
        secrets_of(tunnels),
        conf.problems + [(where, what) for t in tunnels for _, where, what in t.problems],
        [],  # policy-based: no tunnel interface holds an inside address
        [d for t in tunnels for d in t.defaulted],
        mt_bgp(conf),
    )


def release_of(config: Path) -> str:
    return files.release(files.load(config))


DIALECT = Dialect(
    "mikrotik",
    "MikroTik RouterOS",
    RELEASE,
    # RouterOS's IPsec menus, as /export prints them (a section line, or a path
    # leading its command; v7 also with slashes): no other implementation's syntax
    re.compile(r"^\s*/?ip[ /]ipsec[ /](peer|profile|proposal|policy)\b"),
    read,
    in_aws_names,
    twin,
    "none: RouterOS's IPsec is policy-based (an /ip ipsec policy per SA pair)",
    "pfs-group=modp2048 on the /ip ipsec proposal the policy names",
    {
        "psk": "/ip ipsec identity set [ find peer=<the tunnel's peer> ] secret=<the VPN "
        "connection's key>",
        "selectors": "/ip ipsec policy: src-address=<on-prem network> dst-address=<VPC "
        "network> tunnel=yes, one per tunnel",
        "phase1-proposal": "/ip ipsec profile with what the tunnel options allow "
        "(enc-algorithm, hash-algorithm, dh-group)",
        "phase2-proposal": "/ip ipsec proposal with what the tunnel options allow "
        "(enc-algorithms, auth-algorithms, pfs-group)",
        "ike-version": "exchange-mode=ike2 (IKEv2) or main (IKEv1) on the /ip ipsec peer, as "
        "the tunnel allows",
    },
    release_of,
)
