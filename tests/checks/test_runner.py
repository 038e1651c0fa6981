"""Running expectations: ping's summary read back (driver/checks/runner.py)."""

from driver.checks.runner import parse_ping

PING = """PING 192.168.1.10 (192.168.1.10) 56(84) bytes of data.
64 bytes from 192.168.1.10: icmp_seq=1 ttl=61 time=1.32 ms
64 bytes from 192.168.1.10: icmp_seq=2 ttl=61 time=0.98 ms

--- 192.168.1.10 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 402ms
rtt min/avg/max/mdev = 0.981/1.150/1.320/0.170 ms
"""


def test_ping_output_is_parsed():
    assert parse_ping(PING) == (2, "1.150")
    assert parse_ping("3 packets transmitted, 0 received, 100% packet loss") == (0, None)
    assert parse_ping("") == (0, None)
