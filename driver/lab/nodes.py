"""The local lab's nodes by name: one list for the data plane, the expectations
that probe them and the emulator that maps instances onto them.

    aws ── aws-vpc ── vgw ══ inet ══ onprem-vpc ── server
              └── firewall               └──────── onprem

(driver/lab/topology.py gives each its addresses.)
"""

import re

NODES = ("aws", "aws-vpc", "firewall", "vgw", "inet", "onprem-vpc", "server", "onprem")
OPTIONAL_NODES = {"firewall": "firewall"}  # node -> the lab section that makes it exist
GATEWAYS = ("vgw", "server")  # nodes that run a charon, in a mount namespace of its own
# The VGW node's charons, by tunnel: AWS runs each tunnel on an endpoint of its own.
VGW_ENDPOINTS = ("vgw-tunnel1", "vgw-tunnel2")

# The EC2 instances of a lab (their Name tag after "<lab>-") and the node each is.
INSTANCE_NODES = {"aws-test-host": "aws", "onprem-test-host": "onprem", "vpn-server": "server"}

# A Transit Gateway lab: its gateway node "tgw", then each VPC's and site's nodes with
# the VPC's or site's index before their name ("v0-aws", "s1-server"); each site's
# daemons' folder is "site-<name>" in the lab's data plane folder.
_TRANSIT_NODE = re.compile(r"([sv])(\d+)-(.+)")
SITE_FOLDERS = "site-*"


def vpc_prefix(index: int) -> str:
    return f"v{index}-"


def site_prefix(index: int) -> str:
    return f"s{index}-"


def site_folder(name: str) -> str:
    return f"site-{name}"


def transit_node(node: str) -> tuple[str, int, str] | None:
    """A Transit Gateway lab's VPC or site node as ("vpc" or "site", index, its kind);
    None for another node ("tgw", a VGW lab's)."""
    found = _TRANSIT_NODE.fullmatch(node)
    if found is None:
        return None
    return ("site" if found[1] == "s" else "vpc", int(found[2]), found[3])
