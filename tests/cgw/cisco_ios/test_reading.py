"""A Cisco IOS configuration read as IOS reads it: submodes by the commands they
have (indented as show running-config prints them, or pasted flat), each value with
its line, and what the file leaves out taken from IOS's defaults."""

from pathlib import Path

from driver.cgw.cisco_ios.conf import parse
from driver.cgw.cisco_ios.dialect import DIALECT
from driver.cgw.cisco_ios.proposals import in_aws_names
from driver.cgw.cisco_ios.tunnels import ios_tunnels, record, secrets_of
from driver.cgw.detect import detect

SCENARIOS = Path(__file__).parents[2] / "scenarios"
SAMPLE = SCENARIOS / "cisco-ios-aws-sample" / "cisco-ios.cfg"
FIXED = SCENARIOS / "cisco-ios-fixed" / "cisco-ios.cfg"

# Flat, as typed into config mode or pasted into a mail (the shape of a crypto map
# configuration people post: github.com/JustinKQuijanoo/homelab-projects,
# Networking/IPSec_VPN/Router_Config/AWS-R5.md), with a second ACL entry.
FLAT = """\
crypto isakmp policy 10
encr aes 256
hash sha256
authentication pre-share
group 14
crypto isakmp key abcdefgh12345678 address 198.51.100.1
access-list 100 permit ip 192.168.0.0 0.0.255.255 10.0.0.0 0.0.255.255
access-list 100 permit ip 172.16.0.0 0.0.15.255 10.0.0.0 0.0.255.255
crypto ipsec transform-set TSET esp-aes 256 esp-sha256-hmac
crypto map CMAP 10 ipsec-isakmp
set transform-set TSET
set peer 198.51.100.1
set pfs group14
match address 100
interface GigabitEthernet0/0
ip address 203.0.113.10 255.255.255.0
crypto map CMAP
ip route 0.0.0.0 0.0.0.0 203.0.113.1
"""

IKEV2 = """\
crypto ikev2 proposal AWS
 encryption aes-cbc-256 aes-gcm-256
 integrity sha256
 group 14 19
!
crypto ikev2 policy AWS
 proposal AWS
!
crypto ikev2 keyring AWS-KEYS
 peer tunnel1
  address 198.51.100.1
  pre-shared-key fixture_psk_tunnel1_0123456789abcdef
 !
!
crypto ikev2 profile AWS-1
 match identity remote address 198.51.100.1 255.255.255.255
 identity local address 203.0.113.10
 authentication remote pre-share
 authentication local pre-share
 keyring local AWS-KEYS
 lifetime 28800
 dpd 10 3 periodic
!
crypto ipsec transform-set T1 esp-gcm 256
 mode tunnel
!
crypto ipsec profile P1
 set transform-set T1
 set pfs group14
 set ikev2-profile AWS-1
!
interface Tunnel1
 ip address 169.254.249.18 255.255.255.252
 tunnel source 203.0.113.10
 tunnel mode ipsec ipv4
 tunnel destination 198.51.100.1
 tunnel protection ipsec profile P1
!
ip route 10.0.0.0 255.255.0.0 169.254.249.17
"""


def test_awss_sample_reads_as_two_tunnel_interfaces_with_their_lines():
    assert detect(SAMPLE).implementation == "cisco-ios"
    tunnels = ios_tunnels(parse(SAMPLE.read_text(), "s"))
    assert [(t.name, t.peer, t.version) for t in tunnels] == [
        ("Tunnel1", "198.51.100.1", "1"),
        ("Tunnel2", "198.51.100.2", "1"),
    ]
    one = tunnels[0]
    # both ISAKMP policies are global: IOS offers them on every tunnel
    assert [w for w, _ in one.ike] == ["encryption aes 128 hash sha group 2"] * 2
    assert one.ike[0][1] == "s:27" and one.ike_lifetime == "28800"
    assert one.transforms == [("esp-aes 128 esp-sha-hmac", "s:59")]
    assert one.esp == "esp-aes 128 esp-sha-hmac pfs group2" and one.sa_lifetime == "3600"
    assert one.dpd == (10, "on-demand") and one.address == "169.254.249.18/30"
    assert one.key.secret == "PASSWORD" and one.key_where == "s:40"
    assert one.routes == []  # the sample's ip route lines are comments
    assert not one.problems


def test_the_fixed_sample_routes_into_each_interface_and_reads_as_records():
    read = DIALECT.read(FIXED)
    assert read.inside_cidrs == ("169.254.249.16/30", "169.254.249.20/30")
    assert [t.routes for t in ios_tunnels(parse(FIXED.read_text(), "f"))] == [
        ["10.0.0.0/16"],
        ["10.0.0.0/16"],
    ]
    first = read.tunnels[0]
    assert (first.right, first.start_action, first.route_based != []) == (
        "198.51.100.1",
        "start",
        True,
    )
    assert [s.secret for s in read.secrets] == [
        "fixture_psk_tunnel1_0123456789abcdef",
        "fixture_psk_tunnel2_0123456789abcdef",
    ]


def test_a_flat_paste_is_read_by_modes_and_a_crypto_map_is_one_sa_pair_per_acl_entry():
    conf = parse(FLAT, "flat")
    policy = conf.all("crypto", "isakmp", "policy")[0]
    assert [c.text for c in policy.children] == [
        "encr aes 256",
        "hash sha256",
        "authentication pre-share",
        "group 14",
    ]
    interface = conf.all("interface")[0]
    assert [c.text for c in interface.children] == ["ip address 203.0.113.10 255.255.255.0",
                                                    "crypto map CMAP"]  # fmt: skip
    assert conf.all("ip", "route")  # a global command after the interface closes it
    tunnels = ios_tunnels(conf)
    assert [(t.name, t.local_ts, t.remote_ts) for t in tunnels] == [
        ("crypto map CMAP 10#1", "192.168.0.0/16", "10.0.0.0/16"),
        ("crypto map CMAP 10#2", "172.16.0.0/20", "10.0.0.0/16"),
    ]
    assert tunnels[0].ike == [("encryption aes 256 hash sha256 group 14", "flat:1")]
    assert tunnels[0].key.secret == "abcdefgh12345678" and tunnels[0].pfs == "group14"
    assert record(tunnels[0]).start_action == "trap"  # a crypto map negotiates on traffic


def test_ikev2_reads_the_profile_the_ipsec_profile_names_and_the_keyring_peer():
    (t,) = ios_tunnels(parse(IKEV2, "v2"))
    assert (t.version, t.ike_lifetime, t.dpd, t.local_id) == (
        "2", "28800", (10, "periodic"), "203.0.113.10",
    )  # fmt: skip
    assert t.ike == [("encryption aes-cbc-256 aes-gcm-256 integrity sha256 group 14 19", "v2:1")]
    assert t.key.secret == "fixture_psk_tunnel1_0123456789abcdef" and t.routes == ["10.0.0.0/16"]
    aws = in_aws_names(t.ike[0][0], ike=True)[0]
    assert aws["enc"] == {"AES256", "AES256-GCM-16"} and aws["dh"] == {14, 19}
    assert in_aws_names(t.esp, ike=False)[0]["enc"] == {"AES256-GCM-16"}


def test_what_the_file_leaves_out_is_ioss_default_and_said():
    text = FIXED.read_text().replace("  group 2\n", "").replace("  set pfs group2\n", "")
    t = ios_tunnels(parse(text, "d"))[0]
    assert t.ike[0][0] == "encryption aes 128 hash sha group 1"
    assert t.pfs is None
    assert "isakmp policy 200: group 1" in t.defaulted
    assert any("no PFS" in d for d in t.defaulted)


def test_a_profile_named_but_never_defined_is_a_problem_at_its_line():
    text = FIXED.read_text().replace(
        "tunnel protection ipsec profile ipsec-vpn-1a2b3c4d-0",
        "tunnel protection ipsec profile ipsec-vpn-typo",
    )
    t = ios_tunnels(parse(text, "u"))[0]
    assert t.problems == [
        (
            "conf-cisco-undefined",
            "u:116",
            "Tunnel1: IPsec profile 'ipsec-vpn-typo' is never defined",
        )
    ]


def test_keys_ios_printed_encrypted_are_no_keys():
    text = FIXED.read_text().replace(
        "key fixture_psk_tunnel1_0123456789abcdef", "key 6 FLgBaJHXdYY_AcHZZMgQ_RhTDJXHUBAAB"
    )
    tunnels = ios_tunnels(parse(text, "e"))
    assert tunnels[0].key is None and tunnels[0].key_where == "e:37"
    assert len(secrets_of(tunnels)) == 1
