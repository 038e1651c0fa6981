"""The identity a customer gateway presents, judged by driver/checks/identity.py's table."""

from driver.checks.identity import judge

PUBLIC = "203.0.113.10"


def test_the_table():
    assert judge("IKEv1", "192.168.0.10", PUBLIC)[0] is False  # aws-samples: no leftid
    assert judge("IKEv2", PUBLIC, PUBLIC)[0] is False
    assert judge("IKEv2", "192.168.0.10", PUBLIC)[0] is True
    assert judge("IKEv1", "vpn.example.com", PUBLIC)[0] is True


def test_an_address_of_the_public_documentation_ranges_is_not_called_private():
    """ipaddress's is_private covers 203.0.113.0/24; the lab uses it as public."""
    assert "(not its public address)" in judge("IKEv2", "203.0.113.99", PUBLIC)[1]
    assert "(its private address)" in judge("IKEv2", "10.1.2.3", PUBLIC)[1]
