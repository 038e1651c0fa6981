"""What verify runs on the instances over SSM, and nothing else
(driver/checks/remote_commands.py)."""

import pytest

from driver.checks import remote_commands


@pytest.mark.parametrize(
    "commands",
    [
        remote_commands.SETUP_STATE,
        remote_commands.DIAGNOSTICS,
        remote_commands.ping("10.0.1.20"),
        remote_commands.tunnel_status("Tunnel1"),
        remote_commands.bgp_neighbor("169.254.10.1"),
    ],
)
def test_vpnlabs_own_commands_are_recognised(commands):
    assert remote_commands.is_vpnlab_command(commands, "server")


def test_test_hosts_only_ping():
    assert remote_commands.is_vpnlab_command(remote_commands.ping("10.0.1.20"), "aws")
    for commands in (
        remote_commands.SETUP_STATE,
        remote_commands.DIAGNOSTICS,
        remote_commands.bgp_neighbor("169.254.10.1"),
    ):
        assert not remote_commands.is_vpnlab_command(commands, "aws")
        assert not remote_commands.is_vpnlab_command(commands, "")


@pytest.mark.parametrize(
    "commands",
    [
        ["id"],
        ["ping -n -c 3 -i 0.2 -W 1 10.0.1.20; id"],
        ["ping -n -c 3 -i 0.2 -W 1 $(id)"],
        ["swanctl --list-sas --ike x;id 2>&1 || ipsec status x;id 2>&1"],
        [*remote_commands.SETUP_STATE, "id"],
        ["vtysh -c 'show bgp neighbors 169.254.10.1 json' 2>&1; id"],
        ["vtysh -c 'configure terminal' -c 'no router bgp 65000' 2>&1"],
        [],
    ],
)
def test_anything_else_is_not(commands):
    assert not remote_commands.is_vpnlab_command(commands, "server")


def test_builders_refuse_what_would_inject():
    with pytest.raises(ValueError):
        remote_commands.ping("10.0.0.1; id")
    with pytest.raises(ValueError):
        remote_commands.tunnel_status("x; id")
    with pytest.raises(ValueError):
        remote_commands.bgp_neighbor("169.254.10.1' -c 'configure terminal")
