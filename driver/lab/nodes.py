"""The local lab's nodes by name: one list for the data plane, the expectations
that probe them and the emulator that maps instances onto them.

    aws ── aws-vpc ── vgw ══ inet ══ onprem-vpc ── server
              └── firewall               └──────── onprem

(driver/lab/topology.py gives each its addresses.)
"""

NODES = ("aws", "aws-vpc", "firewall", "vgw", "inet", "onprem-vpc", "server", "onprem")
OPTIONAL_NODES = {"firewall": "firewall"}  # node -> the lab section that makes it exist
GATEWAYS = ("vgw", "server")  # nodes that run a charon, in a mount namespace of its own
# The VGW node's charons, by tunnel: AWS runs each tunnel on an endpoint of its own.
VGW_ENDPOINTS = ("vgw-tunnel1", "vgw-tunnel2")

# The EC2 instances of a lab (their Name tag after "<lab>-") and the node each is.
INSTANCE_NODES = {"aws-test-host": "aws", "onprem-test-host": "onprem", "vpn-server": "server"}
