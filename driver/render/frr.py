"""The VPN server's FRR for BGP labs: zebra and bgpd, one eBGP session per tunnel.

Rendered once, used twice: the EC2 instance's cloud-init writes these files and
the local lab's VPN server node runs them at the same paths
(driver/local/dataplane/frr.py). AWS's side of each session (ASN, timers,
the 100-prefix limit) is the emulated VGW's own configuration
(driver/local/dataplane/vgw_bgp.py), not this file's.
"""

from __future__ import annotations

import jinja2

from driver.core.paths import PROJECT
from driver.lab import aws_rules
from driver.lab.model import Lab
from driver.lab.topology import (
    advertised_prefixes,
    aws_inside_addresses,
    customer_inside_addresses,
)

FRR_CONF = "/etc/frr/frr.conf"
FRR_DAEMONS = "/etc/frr/daemons"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PROJECT / "cloud-init" / "frr"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def frr_files(lab: Lab) -> dict[str, str]:
    """The VPN server's FRR files by path; none for a static lab."""
    if lab.vpn.routing != "bgp":
        return {}
    tunnels = [
        {"name": f"Tunnel{n}", "aws_inside": str(address)}
        for n, address in enumerate(aws_inside_addresses(lab), start=1)
    ]
    context = {
        "lab": lab,
        "tunnels": tunnels,
        "router_id": str(customer_inside_addresses(lab)[0]),
        "prefixes": [str(p) for p in advertised_prefixes(lab)],
        "keepalive": aws_rules.BGP_KEEPALIVE,
        "hold": aws_rules.BGP_HOLD_TIME,
    }
    return {
        FRR_CONF: _env.get_template("frr.conf.j2").render(**context),
        FRR_DAEMONS: _env.get_template("daemons.j2").render(**context),
    }
