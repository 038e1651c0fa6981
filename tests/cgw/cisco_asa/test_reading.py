"""A Cisco ASA configuration read as the ASA reads it: IOS's mode-following reader with
the ASA's command modes, crypto map lines gathered into entries, 8.2's isakmp
spellings as 8.4 converts them, object groups expanded, each value with its line,
and what the file leaves out taken from the ASA's defaults. The fixtures are public
ASA files (each names its source in its header)."""

from pathlib import Path

import pytest

from driver.cgw.cisco_asa.conf import parse_asa
from driver.cgw.cisco_asa.dialect import DIALECT, read
from driver.cgw.cisco_asa.tunnels import asa_tunnels
from driver.cgw.cisco_ios.conf import parse
from driver.cgw.detect import detect

HERE = Path(__file__).parent
VTI_BGP = HERE / "aws-asa97-vti-bgp-ikev1.cfg"
VTI_STATIC = HERE / "aws-asa97-vti-static-ikev1.cfg"
CRYPTO_MAP = HERE / "aws-asa82-cryptomap-ikev1.cfg"
AZURE_MAP = HERE / "azure-asa92-cryptomap-ikev1-showrun.cfg"
AZURE_VWAN = HERE / "azure-vwan-asa98-vti-ikev2-bgp.cfg"
FIXTURES = [VTI_BGP, VTI_STATIC, CRYPTO_MAP, AZURE_MAP, AZURE_VWAN]


def tunnels(text: str):
    return asa_tunnels(parse_asa(text, "asa.cfg"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_public_asa_file_is_an_asas_not_an_ios_routers(path):
    found = detect(path)
    assert found.implementation == "cisco-asa"
    assert any("tunnel-group" in sign for sign in found.signs)
    assert read(path).tunnels  # and reads into records


def test_awss_vti_example_reads_both_tunnels_with_their_lines():
    [one, two] = tunnels(VTI_BGP.read_text())
    assert (one.name, one.peer, two.peer) == ("Tunnel1", "203.0.113.1", "203.0.113.2")
    assert one.version == "1" and one.local == "outside_interface"  # its quotes dropped
    assert one.address == "169.254.33.198/30"
    # policies 200 and 201 (one per tunnel in AWS's example) are both offered
    assert [w for w, _ in one.ike] == ["encryption aes hash sha group 2"] * 2
    assert one.esp == "esp-aes esp-sha-hmac pfs group2"
    assert (one.sa_lifetime, one.ike_lifetime) == ("3600", "28800")
    assert one.dpd == (10, "periodic") and one.where("dpd").endswith(":115")
    assert one.key.secret == "pre-shared-key" and one.key_where.endswith(":110")
    assert not one.problems and not one.defaulted
    config = read(VTI_BGP)
    assert config.inside_cidrs == ("169.254.33.196/30", "169.254.33.192/30")
    assert config.bgp.asn == 65343
    assert sorted(config.bgp.neighbors) == ["169.254.33.193", "169.254.33.197"]
    assert config.bgp.neighbors["169.254.33.197"].timers == (10, 30)


def test_the_82_spellings_read_as_84_converts_them_and_a_backup_peer_is_said():
    [entry] = tunnels(CRYPTO_MAP.read_text())
    assert entry.name == "crypto map amzn_vpn_map 1" and entry.peer == "AWS_ENDPOINT_1"
    assert [w for w, _ in entry.ike] == ["encryption aes hash sha group 2"]  # isakmp policy
    assert entry.esp == "esp-aes esp-sha-hmac pfs group2"  # set transform-set
    assert entry.key.secret == "password_here"  # 8.2's pre-shared-key
    rules = {rule: what for rule, _, what in entry.problems}
    assert "AWS_ENDPOINT_2 a backup" in rules["conf-asa-backup-peer"]
    # AWS's placeholders are no networks: said with the access-list entry's line
    assert "'access-list acl-amzn extended permit ip any vpc_subnet" in rules["conf-asa-undefined"]


def test_a_show_running_config_with_object_groups_and_a_masked_key():
    [entry] = tunnels(AZURE_MAP.read_text())  # the prompt and ": Saved" lines skipped
    assert (entry.local_ts, entry.remote_ts) == ("192.168.1.0/24", "10.0.0.0/16")
    assert entry.key is None and entry.key_where  # ***** as show running-config prints it
    assert entry.pfs is None
    assert "crypto map azure-crypto-map 1: no PFS (set pfs absent)" in entry.defaulted
    assert f"tunnel-group {entry.peer}: isakmp keepalive threshold 10 retry 2" in entry.defaulted
    assert entry.dpd == (10, "periodic")  # the ASA's default for a site-to-site group


def test_an_ikev2_vti_offers_every_combination_of_its_policy_and_proposal():
    [one, _] = tunnels(AZURE_VWAN.read_text())
    assert one.version == "2"
    assert [w for w, _ in one.ike] == [
        "encryption aes-256 aes-192 aes integrity sha256 sha prf sha256 sha group 14"
    ]
    assert one.esp == "encryption aes-256 aes-192 aes integrity sha-256 sha-1"
    [ike] = DIALECT.proposals(one.ike[0][0])
    assert ike["enc"] == {"AES128", "AES256"} and ike["other"] == {"aes-192"}
    assert ike["integ"] == {"SHA1", "SHA2-256"} and ike["dh"] == {14}
    [esp] = DIALECT.proposals(one.esp)
    assert esp["integ"] == {"SHA1", "SHA2-256"} and esp["dh"] == set()


MINIMAL = """\
crypto ikev2 policy 10
 encryption aes-gcm-256
 integrity null
 group 20
 prf sha384
crypto ikev2 enable outside
crypto ipsec ikev2 ipsec-proposal P
 protocol esp encryption aes-gcm-256
 protocol esp integrity null
crypto ipsec profile PROF
 set ikev2 ipsec-proposal P
 set pfs
tunnel-group 198.51.100.1 type ipsec-l2l
tunnel-group 198.51.100.1 ipsec-attributes
 ikev2 remote-authentication pre-shared-key fixture_psk_tunnel1_0123456789abcdef
 ikev2 local-authentication pre-shared-key fixture_psk_tunnel1_0123456789abcdef
interface Tunnel1
 nameif aws1
 ip address 169.254.255.2 255.255.255.252
 tunnel source interface outside
 tunnel destination 198.51.100.1
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile PROF
route aws1 10.0.0.0 255.255.0.0 169.254.255.1 1
"""


def test_the_asas_defaults_fill_what_the_file_leaves_out():
    [t] = tunnels(MINIMAL)
    assert t.pfs == "group2"
    assert "crypto ipsec profile PROF: set pfs group2 (before 9.13)" in t.defaulted
    assert (t.ike_lifetime, t.sa_lifetime) == ("86400", "28800")
    assert "IPsec SA lifetime 28800 s" in t.defaulted
    assert t.routes == ["10.0.0.0/16"]  # a route names the VTI by its nameif
    assert t.key.secret.startswith("fixture_psk_tunnel1") and not t.problems
    [ike] = DIALECT.proposals(t.ike[0][0])
    assert ike["enc"] == {"AES256-GCM-16"} and ike["integ"] == set()
    assert ike["prf"] == {"SHA2-384"} and ike["dh"] == {20}


@pytest.mark.parametrize(
    "old, new, rule, said",
    [
        (
            "crypto ikev2 enable outside\n",
            "",
            "conf-asa-ike-disabled",
            "'crypto ikev2 enable outside' is missing",
        ),
        (" tunnel mode ipsec ipv4\n", "", "conf-asa-mode", "tunnel mode ipsec ipv4"),
        (
            "set ikev2 ipsec-proposal P",
            "set ikev2 ipsec-proposal Q",
            "conf-asa-undefined",
            "IKEv2 ipsec-proposal 'Q' is never defined",
        ),
        (
            "remote-authentication pre-shared-key fixture",
            "remote-authentication pre-shared-key x",
            "conf-asa-two-keys",
            "AWS has one key",
        ),
        (
            "tunnel-group 198.51.100.1 ipsec",
            "tunnel-group 198.51.100.9 ipsec",
            "conf-asa-undefined",
            "no tunnel-group 198.51.100.1",
        ),
    ],  # fmt: skip
)
def test_what_the_asa_would_not_bring_up_is_a_problem_at_its_line(old, new, rule, said):
    assert old in MINIMAL
    text = MINIMAL.replace(old, new)
    text = text.replace("tunnel-group 198.51.100.1 type", "tunnel-group 198.51.100.9 type") if (
        "198.51.100.9" in new) else text  # fmt: skip
    [t] = tunnels(text)
    assert any(r == rule and said in what and ":" in where for r, where, what in t.problems)


def test_ioss_commands_in_an_asas_file_and_an_asas_in_an_ioss_are_named():
    asa = parse_asa("crypto keyring AWS\n pre-shared-key address 198.51.100.1 key k\n", "a")
    assert "is Cisco IOS's" in asa.problems[0][1] and asa.problems[0][0] == "a:1"
    ios = parse(MINIMAL, "i")
    assert ios.problems and "--cgw-daemon cisco-asa" in ios.problems[0][1]


def test_a_dynamic_map_entry_is_no_tunnel_and_ike_must_be_on_the_maps_interface():
    text = CRYPTO_MAP.read_text().replace(
        "crypto map amzn_vpn_map interface outside_interface\n",
        "crypto map amzn_vpn_map 65535 ipsec-isakmp dynamic SYSTEM_DEFAULT_CRYPTO_MAP\n"
        "crypto map amzn_vpn_map interface inside\n",
    )
    [entry] = tunnels(text)  # ASDM's dynamic entry answers unknown peers: not AWS's
    [said] = [w for r, _, w in entry.problems if r == "conf-asa-ike-disabled"]
    assert "not enabled on inside" in said and "enabled on outside_interface" in said


def test_odd_lines_are_read_without_a_traceback():
    text = MINIMAL + "route\nroute aws1\ncrypto ikev1 policy \u00b2\n"
    text += "crypto map M \u00b2 set peer x\n"
    text = text.replace(
        " ikev2 local-authentication pre-shared-key fixture_psk_tunnel1_0123456789abcdef",
        " ikev2 local-authentication pre-shared-key",
    )
    [t] = tunnels(text)
    assert t.key is None and t.key_where == ""  # no value: not configured, not masked
