"""What verify runs on the instances, and how AWS's answers are read back."""

import pytest

from driver.checks import remote_commands
from driver.checks.reachability import CODES_URL, explain
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


@pytest.mark.parametrize(
    "commands",
    [
        remote_commands.SETUP_STATE,
        remote_commands.DIAGNOSTICS,
        remote_commands.ping("10.0.1.20"),
        remote_commands.tunnel_status("Tunnel1"),
    ],
)
def test_vpnlabs_own_commands_are_recognised(commands):
    assert remote_commands.is_vpnlab_command(commands, "server")


def test_test_hosts_only_ping():
    assert remote_commands.is_vpnlab_command(remote_commands.ping("10.0.1.20"), "aws")
    for commands in (remote_commands.SETUP_STATE, remote_commands.DIAGNOSTICS):
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


def test_explanation_codes_become_sentences():
    sg = explain(
        {
            "ExplanationCode": "ENI_SG_RULES_MISMATCH",
            "Direction": "ingress",
            "NetworkInterface": {"Id": "eni-1"},
            "SecurityGroups": [{"Id": "sg-1"}, {"Id": "sg-2"}],
        }
    )
    assert sg == (
        "ENI_SG_RULES_MISMATCH: the security groups sg-1, sg-2 of eni-1 do not allow "
        "this traffic (ingress)"
    )
    route = explain(
        {
            "ExplanationCode": "NO_ROUTE_TO_DESTINATION",
            "RouteTable": {"Id": "rtb-1"},
            "Destination": {"Id": "vgw-1"},
        }
    )
    assert route.startswith("NO_ROUTE_TO_DESTINATION: route table rtb-1 has no route to vgw-1")
    assert "route propagation" in route
    assert explain({"ExplanationCode": "TGW_RTB_CANNOT_ROUTE"}) == (
        f"TGW_RTB_CANNOT_ROUTE (see {CODES_URL})"
    )


def test_a_wait_polls_again_through_throttling_but_not_through_other_errors():
    from botocore.exceptions import ClientError

    from driver.aws_api.waiting import Backoff, wait_until

    answers = iter([ClientError({"Error": {"Code": "Throttling"}}, "Describe"), (True, "UP")])

    def probe():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    fast = Backoff(first=0.001, longest=0.001)
    assert wait_until(probe, 5, "x", lambda m: None, fast).status == "UP"

    def denied():
        raise ClientError({"Error": {"Code": "UnauthorizedOperation"}}, "Describe")

    with pytest.raises(ClientError, match="UnauthorizedOperation"):
        wait_until(denied, 5, "x", lambda m: None, fast)


def test_a_wait_is_bounded_and_says_how_long_it_waited():
    from driver.aws_api.waiting import Backoff, wait_until

    said: list[str] = []
    outcome = wait_until(
        lambda: (False, "DOWN"), 0.3, "tunnels", said.append, Backoff(0.01, 1.0, 0.01), 0.1
    )
    assert not outcome.done and outcome.status == "DOWN" and 0.3 <= outcome.seconds < 1.0
    assert said and said[0].startswith("  waiting for tunnels (0 s of 0 s): DOWN")
