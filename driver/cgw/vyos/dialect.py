"""The VyOS (and EdgeOS) dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.router import Dialect, RouterConfig, Twin, router_config
from driver.cgw.vyos import files
from driver.cgw.vyos.bgp import vyos_bgp
from driver.cgw.vyos.defaults import RELEASE
from driver.cgw.vyos.proposals import of_record
from driver.cgw.vyos.tunnels import inside_cidr, record, secrets_of, vyos_tunnels
from driver.cgw.vyos.twin import twin


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = vyos_tunnels(conf)
    made = [record(t) for t in tunnels]  # before the inside CIDRs: the defaults each relied on
    return router_config(
        made,
        secrets_of(tunnels),
        conf.problems,
        [inside_cidr(t) for t in tunnels if t.vti],
        [d for t in tunnels for d in t.defaulted],
        vyos_bgp(conf, str(config)),
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


_GROUP = "ike-group <group> proposal 1 dh-group 14"
DIALECT = Dialect(
    "vyos",
    "VyOS",
    RELEASE,
    # the vpn ipsec tree in any of its forms: set commands, config.boot's node, or
    # config.gateway.json's key; no other dialect writes site-to-site or esp-group
    re.compile(
        r"^\s*(\S+@\S+[#$]\s*)?set vpn ipsec (site-to-site|esp-group|ike-group)\s"
        r"|^\s*(site-to-site|esp-group \S+|ike-group \S+) \{\s*$"
        r'|^\s*"(site-to-site|esp-group|ike-group)"\s*:'
    ),
    read,
    of_record,
    twin_of,
    "vti bind vtiN on the peer, with interfaces vti vtiN address",
    "set vpn ipsec esp-group <group> pfs enable (the first IKE proposal's group) or pfs dh-group14",
    {
        "psk": "set vpn ipsec site-to-site peer <peer> authentication pre-shared-secret <the VPN "
        "connection's key> (1.4: vpn ipsec authentication psk <name> secret <key>)",
        "selectors": "vti bind vtiN on the peer (selectors 0.0.0.0/0), or tunnel N local prefix "
        "/ remote prefix with the VPN connection's CIDRs",
        "phase1-proposal": "set vpn ipsec ike-group <group> proposal 1 encryption aes128 (or "
        "aes256), hash sha256 and dh-group 14, as the tunnel options allow",
        "phase2-proposal": "set vpn ipsec esp-group <group> proposal 1 encryption aes128 (or "
        "aes256) and hash sha256, with pfs dh-group14 (or pfs enable and " + _GROUP + ")",
        "ike-version": "set vpn ipsec ike-group <group> key-exchange ikev2 (or ikev1) as the "
        "tunnel allows",
        "aggressive-mode": "delete vpn ipsec ike-group <group> mode (main mode)",
        "never-initiated": "set vpn ipsec site-to-site peer <peer> connection-type initiate, or "
        "the tunnel's startup_action: start (AWS initiates; IKEv2)",
    },
    lambda config: files.load(config).platform,
)
