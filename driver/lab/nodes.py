"""The local lab's nodes by name: one list for the data plane, the expectations
that probe them and the emulator that maps instances onto them.

    aws ── vgw ══ inet ══ onprem-vpc ── server
                              └──────── onprem

(driver/lab/topology.py gives each its addresses.)
"""

NODES = ("aws", "vgw", "inet", "onprem-vpc", "server", "onprem")
GATEWAYS = ("vgw", "server")  # nodes that run a charon, in a mount namespace of its own

# The EC2 instances of a lab (their Name tag after "<lab>-") and the node each is.
INSTANCE_NODES = {"aws-test-host": "aws", "onprem-test-host": "onprem", "vpn-server": "server"}
