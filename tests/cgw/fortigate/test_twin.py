"""A FortiGate's twin: strongSwan files that negotiate as FortiOS would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.fortigate.conf import parse
from driver.cgw.fortigate.twin import SWANCTL, UPDOWN, twin
from driver.cgw.router import Untranslatable
from tests.cgw.fortigate.test_reading import FIXED, SAMPLE
from tests.cgw.router_files import charon_loads
from tests.conftest import requires_root


def fixed(**changes) -> str:
    text = FIXED.read_text()
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text


def test_the_twin_offers_what_the_fortigate_offers_and_starts_as_it_does():
    made = twin(parse(FIXED.read_text(), "fg"), "fg")
    swanctl = made.files[SWANCTL]
    assert "proposals = aes256-sha256-modp2048" in swanctl  # proposal + dhgrp 14
    assert "esp_proposals = aes256-sha256-modp2048" in swanctl  # pfs enable (default)
    assert swanctl.count("start_action = start") == 2  # auto-negotiate enable
    assert "if_id_in = 1" in swanctl and "if_id_in = 2" in swanctl
    assert "version = 2" in swanctl and "rekey_time = 28800s" in swanctl
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    updown = made.files[UPDOWN]  # the tunnel interfaces and the static routes into them
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16" in updown
    assert "tunnel 2 169.254.255.6/30 10.0.0.0/16" in updown
    assert "phase2 pfs enable" in made.defaulted  # what FortiOS's default decided


def test_fortios_words_become_strongswans_with_every_dh_group():
    text = fixed(**{"set proposal aes256-sha256\n        set keylife": "set proposal "
                    "aes128-sha1 aes256gcm-prfsha384\n        set keylife"})  # fmt: skip
    text = text.replace(
        "set dhgrp 14\n        set proposal aes128", "set dhgrp 14 19\n        set proposal aes128"
    )
    swanctl = twin(parse(text, "fg"), "fg").files[SWANCTL]
    assert (
        "proposals = aes128-sha1-modp2048-ecp256, aes256gcm16-prfsha384-modp2048-ecp256" in swanctl
    )


def test_phase_2_without_pfs_offers_no_group_and_waits_for_traffic_without_auto_negotiate():
    text = FIXED.read_text().replace("        set dhgrp 14\n        set auto-negotiate enable\n",
                                     "        set pfs disable\n")  # fmt: skip
    swanctl = twin(parse(text, "fg"), "fg").files[SWANCTL]
    assert "esp_proposals = aes256-sha256\n" in swanctl
    assert swanctl.count("start_action = trap") == 2  # phase 2 auto-negotiate: disable


@pytest.mark.parametrize(
    "change, said",
    [
        (
            ("set proposal aes256-sha256", "set proposal aria128-sha256"),
            "aria128-sha256 has no twin",
        ),
        (
            ("set psksecret fixture_psk_tunnel1_0123456789abcdef", "set psksecret ENC c2VjcmV0"),
            "encrypted by FortiOS",
        ),
        (("set remote-gw 198.51.100.1", "set remote-gw aws.example"), "is no address"),
        (
            (
                "\nconfig router static\n",
                "\nconfig router bgp\n config neighbor\n  edit 169.254.255.1\n"
                "   set remote-as 64512\n   set route-map-in AWS-IN\n  next\n end\nend\n"
                "config router static\n",
            ),
            "does not translate routing policy",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(change, said):
    with pytest.raises(Untranslatable, match=said) as refused:
        twin(parse(FIXED.read_text().replace(*change, 1), "fg"), "fg")
    assert "nothing was started" in str(refused.value)


def test_awss_sample_as_pasted_is_no_twin_the_problems_say_why():
    with pytest.raises(Untranslatable) as refused:
        twin(parse(SAMPLE.read_text(), "sample"), "sample")
    assert "sample:39: config vpn ipsec phase2-interface is never closed" in str(refused.value)


@pytest.mark.root
@pytest.mark.root
@requires_root()
def test_charon_loads_the_twin_as_written(tmp_path):
    """strongSwan's own parser and charon are the judges of the twin's files."""
    made = twin(parse(FIXED.read_text(), "fg"), "fg")
    assert charon_loads(tmp_path, made) == {"vpn-44a8938f-0", "vpn-44a8938f-1"}


def test_config_router_bgp_runs_as_frr_with_fortioss_words_translated():
    text = FIXED.read_text().replace(
        "\nconfig router static\n",
        "\nconfig router bgp\n set as 65000\n config neighbor\n  edit 169.254.255.1\n"
        "   set remote-as 64512\n   set capability-default-originate enable\n"
        "   set keep-alive-timer 10\n   set holdtime-timer 30\n  next\n end\n"
        " config network\n  edit 1\n   set prefix 192.168.0.0 255.255.0.0\n  next\n end\n"
        "end\nconfig router static\n",
    )
    frr = twin(parse(text, "fg"), "fg").files["/etc/frr/frr.conf"]
    assert "router bgp 65000" in frr and "neighbor 169.254.255.1 remote-as 64512" in frr
    assert "neighbor 169.254.255.1 timers 10 30" in frr
    assert "neighbor 169.254.255.1 default-originate" in frr
    assert "network 192.168.0.0/16" in frr
