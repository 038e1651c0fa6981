"""A Juniper SRX's twin: strongSwan files that negotiate as Junos would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import re

import pytest

from driver.cgw.junos.conf import parse
from driver.cgw.junos.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_frr import FRR_CONF
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.junos.test_reading import FIXED, HIERARCHICAL, SAMPLE
from tests.cgw.router_files import charon_loads, edited
from tests.conftest import requires_root

IMMEDIATELY = "set security ipsec vpn vpn-1 establish-tunnels immediately\n"


def fixed(*changes: tuple[str, str]) -> str:
    return edited(FIXED, *changes)


def test_the_twin_offers_what_the_srx_offers_and_starts_as_it_does():
    made = twin(parse(HIERARCHICAL.read_text(), "srx"), "srx")
    swanctl = made.files[SWANCTL]
    assert swanctl.count("proposals = aes256-sha256-modp2048") == 4  # IKE and ESP, twice
    assert swanctl.count("start_action = start") == 2 and "vpn-old" not in swanctl
    assert "version = 2" in swanctl and 'id = "203.0.113.10"' in swanctl
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    assert "tunnel 2 169.254.255.6/30 10.0.0.0/16" in made.files[UPDOWN]
    assert 'metric() { case "$1" in 1) echo 5 ;; 2) echo 6 ;; ' in made.files[UPDOWN]


def test_on_traffic_keeps_the_st0_unit_up_and_ikev1_takes_its_dpd_threshold():
    made = twin(
        parse(
            fixed((IMMEDIATELY, ""), ("gw-vpn-1 version v2-only", "gw-vpn-1 version v1-only")),
            "srx",
        ),
        "srx",
    )
    assert made.start_actions == {"198.51.100.1": "trap", "198.51.100.2": "start"}
    assert made.prepare[0] == (
        "ip",
        "link",
        "add",
        "st0.1",
        "type",
        "xfrm",
        "dev",
        "eth0",
        "if_id",
        "1",
    )
    swanctl = made.files[SWANCTL]
    assert "dpd_timeout = 30s" in swanctl and "reauth_time = 28800s" in swanctl


def test_no_pfs_offers_no_group_and_gcm_takes_its_prf():
    text = fixed(
        ("set security ipsec policy ipsec-pol-vpn perfect-forward-secrecy keys group14\n", ""),
        ("ike-prop-vpn-1 authentication-algorithm sha-256\n", ""),
        (
            "ike-prop-vpn-1 encryption-algorithm aes-256-cbc",
            "ike-prop-vpn-1 encryption-algorithm aes-256-gcm",
        ),
    )
    swanctl = twin(parse(text, "srx"), "srx").files[SWANCTL]
    assert "esp_proposals = aes256-sha256\n" in swanctl
    assert "proposals = aes256gcm16-prfsha384-modp2048" in swanctl


@pytest.mark.parametrize(
    "change, said",
    [
        (
            ("ascii-text fixture_psk_tunnel1_0123456789abcdef", 'ascii-text "$9$abcdef"'),
            "encrypted by Junos ($9$…)",
        ),
        (("set security ipsec vpn vpn-1 bind-interface st0.1\n", ""), "binds no st0 interface"),
        (
            ("ike-pol-vpn-1 proposals ike-prop-vpn-1", "ike-pol-vpn-1 proposal-set standard"),
            "proposal-set standard",
        ),
        (
            (
                "ike-prop-vpn-1 encryption-algorithm aes-256-cbc",
                "ike-prop-vpn-1 encryption-algorithm aes-192-gcm-x",
            ),
            "has no twin",
        ),
        (("ipsec-prop-vpn protocol esp", "ipsec-prop-vpn protocol ah"), "AH: AWS carries ESP only"),
        (
            (
                "set security ipsec vpn vpn-1 df-bit clear\n",
                "set security ipsec vpn vpn-1 traffic-selector a local-ip 192.168.0.0/16 "
                "remote-ip 10.0.0.0/16\n",
            ),
            "has traffic selectors",
        ),
        (("gw-vpn-1 address 198.51.100.1", "gw-vpn-1 address aws.example"), "the twin needs AWS's"),
        (
            ("qualified-next-hop st0.2 preference 6", "next-hop st0.2"),
            "next hops of one preference",
        ),
        (
            (
                "ike-prop-vpn-1 authentication-method pre-shared-keys",
                "ike-prop-vpn-1 authentication-method rsa-signatures",
            ),
            "authenticates with rsa-signatures",
        ),
        (
            ("gw-vpn-1 local-identity inet 203.0.113.10", "gw-vpn-1 local-identity key-id abc"),
            "local-identity is a key-id",
        ),
        (
            (
                "set routing-options static",
                "set routing-instances vr1 instance-type virtual-router\n"
                "set routing-options static",
            ),
            "routing-instances",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(change, said):
    with pytest.raises(Untranslatable, match=re.escape(said)) as refused:
        twin(parse(fixed(change), "srx"), "srx")
    assert "nothing was started" in str(refused.value)


def test_bgp_runs_as_frr_with_junoss_hold_time_and_an_export_policy_is_refused():
    bgp = "set protocols bgp group aws "
    text = FIXED.read_text() + (
        "set routing-options autonomous-system 65000\n"
        f"{bgp}type external\n{bgp}neighbor 169.254.255.1 peer-as 64512\n"
        f"{bgp}neighbor 169.254.255.5 peer-as 64512 hold-time 30\n"
    )
    frr = twin(parse(text, "srx"), "srx").files[FRR_CONF]
    assert "router bgp 65000" in frr and "neighbor 169.254.255.1 timers 30 90" in frr
    assert "neighbor 169.254.255.5 timers 10 30" in frr
    with pytest.raises(Untranslatable, match="does not translate routing policy"):
        twin(parse(SAMPLE.read_text().replace("plain-text-password", "k"), "s"), "s")


@pytest.mark.root
@requires_root()
def test_charon_loads_the_twin_as_written(tmp_path):
    """strongSwan's own parser and charon are the judges of the twin's files."""
    made = twin(parse(fixed((IMMEDIATELY, "")), "srx"), "srx")
    assert charon_loads(tmp_path, made) == {"vpn-1", "vpn-2"}


def test_a_remote_identity_is_what_the_twin_expects_of_aws():
    extra = "set security ike gateway gw-vpn-1 remote-identity hostname aws.example"
    text = fixed(("gw-vpn-1 version v2-only", f"gw-vpn-1 version v2-only\n{extra}"))
    assert 'id = "aws.example"' in twin(parse(text, "srx"), "srx").files[SWANCTL]
