"""A Cisco IOS router's twin: strongSwan files that negotiate as IOS would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.cisco_ios.conf import parse
from driver.cgw.cisco_ios.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.cisco_ios.test_reading import FIXED, FLAT, IKEV2
from tests.cgw.router_files import charon_loads
from tests.conftest import requires_root


def two_ikev2_tunnels() -> str:
    """IKEV2's tunnel and a second one like it, to AWS's other outside address."""
    second = IKEV2.replace("Tunnel1", "Tunnel2").replace("198.51.100.1", "198.51.100.2")
    for old, new in (("AWS-1", "AWS-2"), ("P1", "P2"), ("AWS-KEYS", "AWS-KEYS2"),
                     ("249.18 ", "249.22 "), ("tunnel1_", "tunnel2_")):  # fmt: skip
        second = second.replace(old, new)
    return IKEV2 + second


def test_the_twin_offers_what_ios_offers_and_reauthenticates_as_ikev1_does():
    made = twin(parse(FIXED.read_text(), "c"), "c")
    swanctl = made.files[SWANCTL]
    # two ISAKMP policies that say the same are one proposal
    assert "proposals = aes128-sha1-modp1024\n" in swanctl
    assert "esp_proposals = aes128-sha1-modp1024\n" in swanctl  # set pfs group2
    assert "version = 1" in swanctl and "reauth_time = 28800s" in swanctl
    assert "rekey_time = 3600s" in swanctl  # the profile's SA lifetime
    assert "dpd_delay = 10s" in swanctl and "keyingtries = 0" in swanctl
    assert swanctl.count("start_action = start") == 2
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    updown = made.files[UPDOWN]
    assert "tunnel 1 169.254.249.18/30 10.0.0.0/16" in updown
    assert 'device="Tunnel$1"' in updown


def test_ios_defaults_reach_the_twin_group_1_and_no_pfs():
    text = FIXED.read_text().replace("  group 2\n", "").replace("  set pfs group2\n", "")
    made = twin(parse(text, "d"), "d")
    assert "proposals = aes128-sha1-modp768\n" in made.files[SWANCTL]
    assert "esp_proposals = aes128-sha1\n" in made.files[SWANCTL]
    assert "isakmp policy 200: group 1" in made.defaulted


def test_ikev2_with_its_proposal_becomes_one_strongswan_proposal_per_ios_proposal():
    text = two_ikev2_tunnels()
    made = twin(parse(text, "v2"), "v2")
    swanctl = made.files[SWANCTL]
    # GCM apart, with the integrity algorithm as its PRF: strongSwan's rule for AEAD
    assert (
        "proposals = aes256-sha256-modp2048-ecp256, aes256gcm16-prfsha256-modp2048-ecp256\n"
        in swanctl
    )
    assert "esp_proposals = aes256gcm16-modp2048\n" in swanctl
    assert "version = 2" in swanctl and 'id = "203.0.113.10"' in swanctl
    assert "rekey_time = 28800s" in swanctl and "dpd_delay = 10s" in swanctl


@pytest.mark.parametrize(
    "text, said",
    [
        (FLAT, r"1 peer\(s\) \(198.51.100.1\)"),
        (
            FIXED.read_text().replace(
                "key fixture_psk_tunnel1_0123456789abcdef", "key 7 0822455D0A16544541"
            ),
            "encrypted by IOS",
        ),
        (
            FIXED.read_text() + "router bgp 65000\n neighbor 169.254.249.17 remote-as 64512\n"
            " redistribute static\n",
            "the twin's routing table is not the router's",
        ),
        (IKEV2.replace(" proposal AWS\n", " match fvrf any\n"), "no crypto ikev2 proposal"),
        (
            FIXED.read_text().replace("esp-aes 128 esp-sha-hmac", "esp-aes 128 esp-md5-hmac", 1),
            None,
        ),  # md5 has a twin: AWS refuses it in the negotiation, as it would
        (
            FIXED.read_text().replace("esp-aes 128 esp-sha-hmac", "esp-null esp-sha-hmac", 1),
            "'esp-null' has no twin",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(text, said):
    if said is None:
        twin(parse(text, "x"), "x")
        return
    with pytest.raises(Untranslatable, match=said) as refused:
        twin(parse(text, "x"), "x")
    assert "nothing was started" in str(refused.value)


BGP = FIXED.parent.parent / "cisco-ios-bgp" / "cisco-ios.cfg"


def test_router_bgp_runs_as_frr_with_ioss_timers_and_both_blocks_merged():
    made = twin(parse(BGP.read_text(), "b"), "b")
    frr = made.files["/etc/frr/frr.conf"]
    assert "router bgp 65000" in frr and "no bgp ebgp-requires-policy" in frr
    for peer in ("169.254.255.1", "169.254.255.5"):  # one neighbour per router bgp block
        assert f"neighbor {peer} remote-as 64512" in frr
        assert f"neighbor {peer} timers 10 30" in frr  # IOS's keepalive, hold
        assert f"neighbor {peer} default-originate" in frr
    assert frr.count("network 0.0.0.0/0") == 1  # IOS's network 0.0.0.0: the default route
    assert "bgpd=yes" in made.files["/etc/frr/daemons"]
    assert "tunnel 1 169.254.255.2/30\n" in made.files[UPDOWN]  # no static route: BGP routes


def test_routing_policy_the_twin_cannot_translate_is_refused():
    text = BGP.read_text().replace(
        "neighbor 169.254.255.1 soft-reconfiguration inbound",
        "neighbor 169.254.255.1 route-map AWS-IN in",
    )
    with pytest.raises(Untranslatable, match="does not translate routing policy"):
        twin(parse(text, "p"), "p")


# A crypto map for both of AWS's tunnels, one access-list entry each (policy-based: the
# shape of the crypto map configurations people post, FLAT above).
MAPPED = (
    FLAT.replace("access-list 100 permit ip 172.16.0.0 0.0.15.255 10.0.0.0 0.0.255.255\n", "")
    .replace("crypto isakmp key abcdefgh12345678 address 198.51.100.1\n",
             "crypto isakmp key abcdefgh12345678 address 198.51.100.1\n"
             "crypto isakmp key ijklmnop12345678 address 198.51.100.2\n")
    .replace("interface GigabitEthernet0/0\n",
             "crypto map CMAP 20 ipsec-isakmp\nset transform-set TSET\nset peer 198.51.100.2\n"
             "set pfs group14\nmatch address 100\ninterface GigabitEthernet0/0\n")
)  # fmt: skip


def test_a_crypto_map_runs_policy_based_started_by_traffic():
    made = twin(parse(MAPPED, "m"), "m")
    swanctl = made.files[SWANCTL]
    assert made.addresses == ("198.51.100.1", "198.51.100.2")
    assert swanctl.count("local_ts = 192.168.0.0/16") == 2
    assert swanctl.count("remote_ts = 10.0.0.0/16") == 2
    assert "if_id" not in swanctl
    # IOS sends by the first matching entry: the second, with the same access list,
    # only answers when AWS starts its tunnel
    assert swanctl.count("start_action = trap") == 1 and swanctl.count("start_action = none") == 1
    assert UPDOWN not in made.files and not made.executables
    assert "esp_proposals = aes256-sha256-modp2048" in swanctl


@pytest.mark.root
@requires_root()
@pytest.mark.parametrize("text", ["fixed", "ikev2", "mapped"])
def test_charon_loads_the_twin_as_written(tmp_path, text):
    """strongSwan's own parser and charon are the judges of the twin's files: IKEv1
    and IKEv2 tunnel interfaces, and a policy-based crypto map."""
    config = {"fixed": FIXED.read_text(), "ikev2": two_ikev2_tunnels(), "mapped": MAPPED}[text]
    made = twin(parse(config, "c"), "c")
    assert len(charon_loads(tmp_path, made)) == 2
