"""The Yamaha RTX dialect, as driver/cgw/router.py's interface holds it."""

from __future__ import annotations

import re
from pathlib import Path

from driver.cgw.router import Dialect, RouterConfig, Twin, router_config
from driver.cgw.yamaha import files
from driver.cgw.yamaha.bgp import yamaha_bgp
from driver.cgw.yamaha.defaults import RELEASE
from driver.cgw.yamaha.proposals import of_record
from driver.cgw.yamaha.tunnels import inside_cidr, record, secrets_of, yamaha_tunnels
from driver.cgw.yamaha.twin import twin


def read(config: Path, secrets: Path | None = None) -> RouterConfig:
    conf = files.load(config, secrets)
    tunnels = yamaha_tunnels(conf)
    made = [record(t) for t in tunnels]  # before the inside CIDRs: the defaults each relied on
    return router_config(
        made,
        secrets_of(tunnels),
        conf.problems,
        [inside_cidr(t) for t in tunnels],
        [d for t in tunnels for d in t.defaulted],
        yamaha_bgp(conf, str(config)),
    )


def twin_of(config: Path) -> Twin:
    return twin(files.load(config), str(config))


DIALECT = Dialect(
    "yamaha",
    "Yamaha RTX",
    RELEASE,
    # RTX's IKE commands with a security gateway's number and its SA policies: no
    # other dialect writes `ipsec ike <word> <number>` or `ipsec sa policy <n> <n>`
    re.compile(
        r"^\s*(tunnel\d+# )?(ipsec ike (encryption|hash|group|pfs|pre-shared-key|"
        r"remote address|local address|version|keepalive use) \d+\s"
        r"|ipsec sa policy \d+ \d+ (esp|ah)\b|ipsec tunnel \d+\s*$)"
    ),
    read,
    lambda text: of_record(text),
    twin_of,
    "tunnel select N with ip tunnel address (a tunnel interface)",
    "ipsec ike pfs <gw> on (its group is ipsec ike group's: the second one in IKEv1)",
    {
        "psk": "ipsec ike pre-shared-key <gw> text <the VPN connection's key>",
        "selectors": "ipsec ike local id <gw> 0.0.0.0/0 and ipsec ike remote id <gw> "
        "0.0.0.0/0 (IKEv1; AWS's route-based tunnels carry 0.0.0.0/0)",
        "phase1-proposal": "ipsec ike encryption <gw> aes-cbc (or aes256-cbc), ipsec ike hash "
        "<gw> sha256 and ipsec ike group <gw> modp2048, as the tunnel options allow (IKEv2: "
        "and ipsec ike proposal-limitation <gw> on)",
        "phase2-proposal": "ipsec sa policy <policy> <gw> esp aes-cbc sha256-hmac (or "
        "aes256-cbc), and ipsec ike pfs <gw> on with a group the tunnel options allow",
        "ike-version": "ipsec ike version <gw> 2 (or 1) as the tunnel allows",
        "aggressive-mode": "no ipsec ike local name <gw>, and ipsec ike remote address <gw> "
        "<AWS's outside address> (main mode)",
        "never-initiated": "ipsec auto refresh on (the RTX then starts the key exchange), or "
        "the tunnel's startup_action: start (AWS initiates; IKEv2)",
    },
)
