"""The ECMP row's counting (driver/local/transit_ecmp.py): iptables' listing read as
packets per flow and tunnel, whichever way iptables names the protocol."""

from driver.local.transit_ecmp import _counts

LISTING = """Chain VPNLAB-ECMP (1 references)
    pkts      bytes target     prot opt in     out     source               destination
       3      117            17   --  *      tunnel1  0.0.0.0/0  0.0.0.0/0  udp spt:40000
       0        0            17   --  *      tunnel2  0.0.0.0/0  0.0.0.0/0  udp spt:40000
       0        0            udp  --  *      tunnel1  0.0.0.0/0  0.0.0.0/0  udp spt:40001
       3      117            udp  --  *      tunnel2  0.0.0.0/0  0.0.0.0/0  udp spt:40001
"""


def test_each_flow_and_tunnel_is_counted():
    assert _counts(LISTING) == {
        (40000, "tunnel1"): 3,
        (40000, "tunnel2"): 0,
        (40001, "tunnel1"): 0,
        (40001, "tunnel2"): 3,
    }
