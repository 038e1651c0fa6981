"""A Yamaha RTX's twin: strongSwan files that negotiate as the RTX would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.router import Untranslatable
from driver.cgw.twin_frr import FRR_CONF
from driver.cgw.twin_swanctl import SWANCTL
from driver.cgw.yamaha.conf import parse
from driver.cgw.yamaha.twin import UPDOWN, twin
from tests.cgw.router_files import edited
from tests.cgw.yamaha.test_reading import AZURE, SAMPLE, SHOW_CONFIG


def shown(*changes: tuple[str, str]) -> str:
    return edited(SHOW_CONFIG, *changes)


def test_the_twin_offers_what_the_rtx_offers_and_starts_as_it_does():
    made = twin(parse(SHOW_CONFIG.read_text(), "rtx"), "rtx")
    swanctl = made.files[SWANCTL]
    assert swanctl.count("    proposals = aes128-sha256-modp2048\n") == 2
    # its PFS group first; answering, any group it has, or none, as the peer's PFS
    assert swanctl.count("esp_proposals = aes128-sha256-modp2048-modp1536-modp1024-modpnone") == 2
    assert swanctl.count("reauth_time = 21600s") == 2  # it rekeys at 75% of 28,800 s
    assert swanctl.count("version = 1") == 2 and swanctl.count("dpd_timeout = 30s") == 2
    assert swanctl.count("start_action = start") == 2 and 'id = "203.0.113.10"' in swanctl
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    assert "tunnel 2 169.254.255.6/30 10.0.0.0/16" in made.files[UPDOWN]
    assert made.prepare == ()  # hide: the routes come and go with the tunnels
    assert "round robin" in swanctl  # the header says how two gateways are run


def test_without_auto_refresh_it_only_answers_and_a_route_without_hide_stays():
    made = twin(
        parse(
            shown(
                ("ipsec auto refresh on\n", ""),
                ("gateway tunnel 1 hide gateway tunnel 2 hide", "gateway tunnel 1"),
            ),
            "rtx",
        ),
        "rtx",
    )
    assert made.start_actions == {"198.51.100.1": "none", "198.51.100.2": "none"}
    assert made.prepare[0][:4] == ("ip", "link", "add", "tunnel1")  # no hide: kept up


def test_ikev2_without_proposal_limitation_offers_what_aws_could_choose():
    text = shown(
        ("ipsec ike duration ipsec-sa 1 3600", "ipsec ike version 1 2"),
        ("ipsec ike duration ipsec-sa 2 3600", "ipsec ike version 2 2"),
    )
    swanctl = twin(parse(text, "rtx"), "rtx").files[SWANCTL]
    assert "proposals = aes256-aes128-sha256-sha1-modp2048-modp1536-modp1024" in swanctl
    # IKEv2 takes ipsec ike group's first group for PFS too
    assert "esp_proposals = aes256-aes128-sha256-sha1-modp2048" in swanctl
    assert "dpd_timeout" not in swanctl  # IKEv2: liveness by its retransmissions


def test_what_the_twin_cannot_be_is_refused_with_every_reason_and_its_line():
    with pytest.raises(Untranslatable) as refused:
        twin(parse(SAMPLE.read_text().replace("7224", "64512"), "aws"), "aws")
    said = str(refused.value)
    assert said.count("IKEv1 without phase 2 IDs") == 2 and "aws:66:" in said
    text = shown(
        ("keepalive use 1 on dpd 10 3", "keepalive use 1 on"),
        ("esp aes-cbc sha256-hmac\n  ipsec ike duration ipsec-sa 2", "esp aes-cbc\n"
         "  ipsec ike duration ipsec-sa 2"),
        ("gateway tunnel 2 hide", "gateway tunnel 2 hide filter 1"),
    )  # fmt: skip
    with pytest.raises(Untranslatable) as refused:
        twin(parse(text, "rtx"), "rtx")
    said = str(refused.value)
    line = text.splitlines().index("  ipsec ike keepalive use 1 on") + 1
    assert "Yamaha's own heartbeat" in said and f"rtx:{line}:" in said
    assert "esp aes-cbc with no integrity algorithm" in said
    assert "filter 1: a route's filter, keepalive or weight is not translated" in said


def test_its_bgp_runs_as_frr_with_the_rtxs_hold_time_and_imports():
    text = (
        shown()
        + "bgp use on\nbgp autonomous-system 65000\n"
        + "bgp neighbor 1 64512 169.254.255.1 local-address=169.254.255.2\n"
        + "bgp neighbor 2 64512 169.254.255.5 hold-time=30 local-address=169.254.255.6\n"
        + "bgp import filter 1 equal 192.168.0.0/16\nbgp import 64512 static filter 1\n"
    )
    frr = twin(parse(text, "rtx"), "rtx").files[FRR_CONF]
    assert "neighbor 169.254.255.1 timers 60 180" in frr  # hold-time left out: 180 s
    assert "neighbor 169.254.255.5 timers 10 30" in frr
    assert "  network 192.168.0.0/16" in frr
    with pytest.raises(Untranslatable, match="routing policy"):
        twin(parse(text + "bgp export filter 1 include 10.0.0.0/16\n"
                   "bgp export 64512 filter 1\n", "rtx"), "rtx")  # fmt: skip


def test_the_azure_configuration_is_refused_for_its_placeholders_not_guessed():
    with pytest.raises(Untranslatable, match=r"a masked one, \*\*\*\*\*, is none"):
        twin(parse(AZURE.read_text(), "azure"), "azure")


def test_pfs_off_proposes_none_and_answers_the_peers_and_keys_are_kept_as_bytes():
    text = shown(
        ("  ipsec ike pfs 1 on\n", ""),
        ("text fixture_psk_tunnel1_0123456789abcdef", "text 0xfixture"),
        ("text fixture_psk_tunnel2_0123456789abcdef", "0x6669787475726532"),  # "fixture2"
    )
    made = twin(parse(text, "rtx"), "rtx")
    swanctl = made.files[SWANCTL]
    assert "esp_proposals = aes128-sha256-modpnone-modp2048-modp1536-modp1024\n" in swanctl
    # a text key that would read as hex is written as its bytes; a hex key as the RTX's
    assert 'secret = "0x' + b"0xfixture".hex() + '"' in swanctl
    assert 'secret = "fixture2"' in swanctl


def test_one_tunnels_routes_with_hide_and_without_are_refused():
    text = shown() + "ip route 192.0.2.0/24 gateway tunnel 1\n"
    with pytest.raises(Untranslatable, match="routes into it with hide and without"):
        twin(parse(text, "rtx"), "rtx")


def test_a_file_name_with_a_line_break_stays_in_the_twins_comments():
    source = "rtx\nconnections { evil { remote_addrs = 192.0.2.1 } }"
    swanctl = twin(parse(SHOW_CONFIG.read_text(), source), source).files[SWANCTL]
    header = swanctl[: swanctl.index("connections {\n")]
    assert all(line.startswith("#") for line in header.splitlines())
    assert "evil" not in swanctl.replace(header, "")
