"""A Palo Alto firewall's twin: strongSwan files that negotiate as PAN-OS would, the
tunnel interfaces it keeps up whether or not their SAs are, and the refusal, naming
the line, of what the twin cannot be faithful to."""

import re
import subprocess

import pytest

from driver.cgw.panos.conf import parse
from driver.cgw.panos.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_frr import FRR_CONF
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.panos.test_reading import FIXED, SAMPLE, XML
from tests.cgw.router_files import charon_loads, edited
from tests.conftest import requires_root

PROFILES = "set network ike crypto-profiles "
MONITOR_1 = (
    "set network tunnel ipsec ipsec-tunnel-1 tunnel-monitor enable yes destination-ip "
    "169.254.255.1 tunnel-monitor-profile default\n"
)


def fixed(*changes: tuple[str, str]) -> str:
    return edited(FIXED, *changes)


def test_the_twin_offers_what_the_firewall_offers_and_starts_as_it_does():
    made = twin(parse(XML.read_text(), "pa"), "pa")
    swanctl = made.files[SWANCTL]
    assert "proposals = aes256-sha256-modp2048" in swanctl
    assert "esp_proposals = aes256-sha256-modp2048" in swanctl
    assert swanctl.count("start_action = start") == 2  # tunnel monitoring: at once
    assert "version = 2" in swanctl and "rekey_time = 28800s" in swanctl
    assert "dpd_delay = 10s" in swanctl and "rekey_time = 3600s" in swanctl
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16" in made.files[UPDOWN]  # AWS-VPC, resolved
    assert made.prepare == ()  # monitored tunnels come and go with their SAs


def test_without_tunnel_monitoring_a_tunnel_starts_on_traffic_into_an_interface_kept_up():
    made = twin(parse(fixed((MONITOR_1, "")), "pa"), "pa")
    assert made.start_actions == {"198.51.100.1": "trap", "198.51.100.2": "start"}
    assert 'PERSISTENT=" 1 "' in made.files[UPDOWN]
    assert made.prepare == (
        ("ip", "link", "add", "tunnel.1", "type", "xfrm", "dev", "eth0", "if_id", "1"),
        ("ip", "address", "replace", "169.254.255.2/30", "dev", "tunnel.1"),
        ("ip", "link", "set", "tunnel.1", "up"),
        ("ip", "route", "replace", "10.0.0.0/16", "dev", "tunnel.1", "metric", "10"),
    )
    assert "dpd_action = trap" in made.files[SWANCTL]


def test_profiles_offer_every_combination_gcm_apart_and_no_pfs_offers_no_group():
    text = fixed(
        (f"{PROFILES}ike-crypto-profiles aws-ike encryption aes-256-cbc\n",
         f"{PROFILES}ike-crypto-profiles aws-ike encryption [ aes-256-cbc aes-128-cbc "
         "aes-256-gcm ]\n"),
        (f"{PROFILES}ike-crypto-profiles aws-ike hash sha256\n",
         f"{PROFILES}ike-crypto-profiles aws-ike hash [ sha256 sha1 ]\n"),
        (f"{PROFILES}ike-crypto-profiles aws-ike dh-group group14\n",
         f"{PROFILES}ike-crypto-profiles aws-ike dh-group [ group14 group20 ]\n"),
        (f"{PROFILES}ipsec-crypto-profiles aws-ipsec dh-group group14\n",
         f"{PROFILES}ipsec-crypto-profiles aws-ipsec dh-group no-pfs\n"),
        ("set network ike gateway ike-vpn-1 protocol version ikev2",
         "set network ike gateway ike-vpn-1 protocol version ikev2-preferred"),
    )  # fmt: skip
    swanctl = twin(parse(text, "pa"), "pa").files[SWANCTL]
    assert (
        "proposals = aes256-aes128-sha256-sha1-modp2048-ecp384, "
        "aes256gcm16-prfsha256-prfsha1-modp2048-ecp384"
    ) in swanctl
    assert "esp_proposals = aes256-sha256\n" in swanctl
    assert "version = 0" in swanctl  # ikev2-preferred: IKEv2 first, IKEv1 answered


def test_a_passive_gateway_never_starts_and_the_factory_profile_is_used_when_named():
    text = fixed(
        ("set network ike gateway ike-vpn-0 protocol-common nat-traversal enable no\n",
         "set network ike gateway ike-vpn-0 protocol-common passive-mode yes\n"),
        ("ipsec-tunnel-1 auto-key ipsec-crypto-profile aws-ipsec",
         "ipsec-tunnel-1 auto-key ipsec-crypto-profile default"),
        (MONITOR_1, ""),
    )  # fmt: skip
    made = twin(parse(text, "pa"), "pa")
    assert made.start_actions["198.51.100.1"] == "none"
    assert "esp_proposals = aes128-3des-sha1-modp1024" in made.files[SWANCTL]
    assert any("crypto profile default (the factory's" in d for d in made.defaulted)


@pytest.mark.parametrize(
    "change, said",
    [
        (
            ("key fixture_psk_tunnel1_0123456789abcdef", "key -AQ==c2VjcmV0"),
            "pa:27: gateway ike-vpn-0's key is encrypted by PAN-OS",
        ),
        (
            ("ike-vpn-0 peer-address ip 198.51.100.1", "ike-vpn-0 peer-address fqdn aws.example"),
            "peer-address is not an IP address",
        ),
        (
            (
                "ipsec-tunnel-1 auto-key ike-gateway ike-vpn-0",
                "ipsec-tunnel-1 auto-key ike-gateway ike-vpn-9",
            ),
            "names IKE gateway 'ike-vpn-9', which the file does not",
        ),
        (
            (
                "ike-crypto-profile aws-ike dpd enable yes interval 10\nset network ike gateway "
                "ike-vpn-0 protocol-common",
                "ike-crypto-profile missing dpd enable yes interval 10\n"
                "set network ike gateway ike-vpn-0 protocol-common",
            ),
            "names IKE crypto profile 'missing'",
        ),
        (
            ("aws-ipsec esp encryption aes-256-cbc", "aws-ipsec esp encryption null"),
            "null (crypto profile aws-ipsec) has no twin",
        ),
        (
            ("aws-ipsec esp authentication sha256", "aws-ipsec ah authentication sha256"),
            "uses AH: AWS has none",
        ),
        (("aws-ike hash sha256", "aws-ike hash non-auth"), "pairs GCM with hash non-auth"),
        (
            (
                "set network tunnel ipsec ipsec-tunnel-1 anti-replay yes\n",
                "set network tunnel ipsec ipsec-tunnel-1 auto-key proxy-id a local 192.168.0.0/16 "
                "remote 10.0.0.0/16\nset network tunnel ipsec ipsec-tunnel-1 auto-key proxy-id b "
                "local 192.168.1.0/24 remote 10.0.0.0/16\n",
            ),
            "has 2 proxy-IDs",
        ),
        (
            ("aws-ike encryption aes-256-cbc", "aws-ike encryption aes256"),
            "aes256 is PAN-OS 6's name",
        ),
        (
            (
                "set network ike gateway ike-vpn-0 protocol version ikev2",
                "set network ike gateway ike-vpn-0 protocol version ikev1\nset network ike gateway "
                "ike-vpn-0 protocol ikev1 ike-crypto-profile aws-ike",
            ),
            "offers GCM to an IKEv1",
        ),
        (
            ("interface tunnel.2 metric 20", "interface tunnel.2 metric 10"),
            "with the same metric (10)",
        ),
        (
            (
                "set network virtual-router default interface",
                "set network virtual-router default ecmp enable yes\nset network virtual-router "
                "default interface",
            ),
            "ecmp enable yes",
        ),
        (
            (
                "ike-vpn-0 peer-address ip 198.51.100.1",
                "ike-vpn-0 peer-address ip 198.51.100.1\n"
                "set network ike gateway ike-vpn-0 local-id type keyid id 0a0b",
            ),
            "of type keyid",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(change, said):
    text = fixed(change)
    if "non-auth" in said or "GCM to an IKEv1" in said:
        text = text.replace("aws-ike encryption aes-256-cbc", "aws-ike encryption aes-256-gcm")
    with pytest.raises(Untranslatable, match=re.escape(said)) as refused:
        twin(parse(text, "pa"), "pa")
    assert "nothing was started" in str(refused.value)


def test_awss_sample_as_pasted_is_no_twin_every_reason_at_once():
    with pytest.raises(Untranslatable) as refused:
        twin(parse(SAMPLE.read_text(), "sample"), "sample")
    said = str(refused.value)
    assert "sample:127: 'edit network virtual-router default …'" in said
    assert "names IKE crypto profile 'ike-crypto-vpn-35a6445c-1'" in said


def test_bgp_runs_as_frr_with_pan_oss_timers_and_redistributed_prefix():
    bgp = "set network virtual-router default protocol bgp "
    text = FIXED.read_text() + (
        f"{bgp}enable yes local-as 65000\n"
        f"{bgp}peer-group aws peer t1 peer-as 64512 peer-address ip 169.254.255.1\n"
        f"{bgp}peer-group aws peer t1 local-address interface tunnel.1 ip 169.254.255.2/30\n"
        f"{bgp}peer-group aws peer t2 peer-as 64512 peer-address ip 169.254.255.5\n"
        f"{bgp}peer-group aws peer t2 connection-options keep-alive-interval 10 hold-time 30\n"
        f"{bgp}redist-rules 192.168.0.0/16 enable yes set-origin igp\n"
    )
    frr = twin(parse(text, "pa"), "pa").files[FRR_CONF]
    assert "router bgp 65000" in frr and "neighbor 169.254.255.1 remote-as 64512" in frr
    assert "neighbor 169.254.255.1 timers 30 90" in frr  # PAN-OS's defaults
    assert "neighbor 169.254.255.5 timers 10 30" in frr
    assert "network 192.168.0.0/16" in frr
    with pytest.raises(Untranslatable, match="does not translate routing policy"):
        twin(parse(text + f"{bgp}policy export rules r1 action allow\n", "pa"), "pa")


@pytest.mark.root
@requires_root()
def test_charon_loads_the_twin_as_written(tmp_path):
    """strongSwan's own parser and charon are the judges of the twin's files."""
    made = twin(parse(fixed((MONITOR_1, "")), "pa"), "pa")
    assert charon_loads(tmp_path, made) == {"ipsec-tunnel-1", "ipsec-tunnel-2"}


def test_pan_oss_route_metrics_peer_id_and_ikev1_dpd_count_go_into_the_twin():
    text = fixed(
        ("set network ike gateway ike-vpn-1 protocol version ikev2",
         "set network ike gateway ike-vpn-1 protocol version ikev1\n"
         "set network ike gateway ike-vpn-1 protocol ikev1 ike-crypto-profile aws-ike dpd "
         "enable yes interval 10 retry 3\n"
         "set network ike gateway ike-vpn-1 peer-id type ipaddr id 198.51.100.9"),
    )  # fmt: skip
    made = twin(parse(text, "pa"), "pa")
    swanctl = made.files[SWANCTL]
    assert "dpd_timeout = 30s" in swanctl and swanctl.count("dpd_timeout") == 1  # IKEv1's
    assert 'id = "198.51.100.9"' in swanctl  # the peer-id it expects: AWS presents its IP
    assert 'id = "203.0.113.10"' in swanctl  # its local address is what it presents
    assert 'metric() { case "$1" in 1) echo 10 ;; 2) echo 20 ;; ' in made.files[UPDOWN]


def test_the_updown_script_keeps_a_persistent_interface_and_drops_the_others(tmp_path):
    """The script as charon runs it, with an `ip` that writes down what it is asked."""
    made = twin(parse(fixed((MONITOR_1, "")), "pa"), "pa")  # tunnel 1 persistent
    script = tmp_path / "updown.sh"
    script.write_text(made.files[UPDOWN])
    (tmp_path / "ip").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/calls\n')
    (tmp_path / "ip").chmod(0o755)
    for n, verb in ((1, "down-client"), (2, "down-client"), (2, "up-client")):
        env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "PLUTO_VERB": verb, "PLUTO_IF_ID_OUT": str(n)}
        subprocess.run(["sh", str(script)], env=env, check=True)
    calls = (tmp_path / "calls").read_text().splitlines()
    assert "link del tunnel.1" not in calls  # persistent: PAN-OS keeps it up
    assert calls[0] == "link del tunnel.2"
    assert "route replace 10.0.0.0/16 dev tunnel.2 metric 20" in calls
