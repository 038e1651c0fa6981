"""The ECMP rows (driver/local/transit_ecmp.py): iptables' listing read as packets per
flow and tunnel, whichever way iptables names the protocol; the address flows to a
prefix several sites advertise are sent to."""

import ipaddress

from driver.local.transit_ecmp import _counts, address_in

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


def test_the_address_of_a_prefix_is_one_its_own_route_carries():
    net = ipaddress.ip_network
    everything = [net("0.0.0.0/0")]
    # The first address, where nothing longer takes it.
    assert address_in(net("10.50.0.0/16"), [], net("10.0.0.0/16"), everything) == "10.50.0.1"
    # A longer route in the table, and the sender's own VPC, are stepped over.
    held = [net("10.50.0.0/24")]
    assert address_in(net("10.50.0.0/16"), held, net("10.0.0.0/16"), everything) == "10.50.1.1"
    assert address_in(net("10.0.0.0/8"), [], net("10.0.0.0/16"), everything) == "10.1.0.1"
    # Only where the VPC's route table sends it to the gateway.
    assert address_in(net("10.50.0.0/16"), [], net("10.0.0.0/16"), [net("10.50.128.0/17")]) == (
        "10.50.128.1"
    )
    assert address_in(net("10.50.0.0/16"), [], net("10.0.0.0/16"), [net("172.16.0.0/12")]) is None
    # A default route: no address of it is routed (0.0.0.0/8).
    assert address_in(net("0.0.0.0/0"), [], net("10.0.0.0/16"), everything) is None
    assert address_in(net("192.0.2.8/32"), [], net("10.0.0.0/16"), everything) == "192.0.2.8"
