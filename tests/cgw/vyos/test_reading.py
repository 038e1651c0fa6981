"""VyOS and EdgeOS configurations as people hand them over — AWS's Vyatta sample,
``show configuration commands`` of a 1.4 router, VyOS's own Azure example and
smoketest config.boot, an EdgeRouter's config.boot, a UniFi Security Gateway's
config.gateway.json (sources in each file's header) — read into tunnel records with
their lines, and what the file leaves out said as the platform's default."""

import contextlib
import json
from pathlib import Path

import pytest

from driver.cgw.dialects import ROUTERS
from driver.cgw.router import Untranslatable
from driver.cgw.vyos.conf import parse
from driver.cgw.vyos.tunnels import vyos_tunnels
from driver.cgw.vyos.twin import twin

HERE = Path(__file__).parent
SAMPLE = HERE / "aws-vyatta-sample.txt"
VYOS14 = HERE / "vyos14-aws.txt"
AZURE = HERE / "azure-psk.txt"
SMOKETEST = HERE / "smoketest-azure.boot"
EDGEROUTER = HERE / "edgerouter.boot"
USG = HERE / "usg-config.gateway.json"
VYOS = ROUTERS["vyos"]


def test_aws_sample_reads_as_vyos_13_with_its_two_vtis_and_bgp():
    read = VYOS.read(SAMPLE, None)
    first, second = read.tunnels
    assert (first.name, first.right, first.line) == ("peer 3.115.150.60", "3.115.150.60", 16)
    assert second.right == "35.76.47.115"
    # no key-exchange: 1.3 writes keyexchange=ike (IKEv2 first, either answered)
    assert first.version == "0" and any("key-exchange" in d for d in read.defaulted)
    assert "VyOS 1.3" in read.defaulted[0]
    assert first.ike == first.esp == "aes128-sha1-modp1024"  # pfs enable: the IKE group
    assert (first.start_action, first.dpdaction, first.keyingtries) == ("start", "restart",
                                                                         "%forever")  # fmt: skip
    assert first.left == "110.134.213.239" and first.local_ts == "0.0.0.0/0"
    assert read.inside_cidrs == ("169.254.233.168/30", "169.254.207.96/30")
    assert [s.secret for s in read.secrets] == ["Xl2oWZh8DR3L2uQaZUx6Jr9iJHLzDQDz",
                                                "UTgg8rNXNn7p0di.a64_emoo_fOlHWDI"]  # fmt: skip
    assert read.bgp.asn == 65000 and set(read.bgp.neighbors) == {"169.254.233.169",
                                                                  "169.254.207.97"}  # fmt: skip
    assert read.bgp.neighbors["169.254.233.169"].timers == (10, 30)
    assert [str(n) for n, _ in read.bgp.networks] == ["0.0.0.0/0"]
    assert read.problems == []


def test_a_14_router_names_its_peers_and_its_as_in_system_as():
    read = VYOS.read(VYOS14, None)
    assert [(t.name, t.right) for t in read.tunnels] == [
        ("peer AWS", "52.194.154.6"), ("peer AWS_backup", "54.248.82.123")]  # fmt: skip
    assert read.defaulted == [
        "ike-group AWS key-exchange (none: IKEv2 first, either answered) (VyOS 1.4)"
    ]
    assert read.tunnels[0].leftid == "110.134.213.239"
    assert read.bgp.asn == 65000
    # a route-map export towards one neighbour is routing policy
    assert read.bgp.neighbors["169.254.61.113"].policy_out
    assert not read.bgp.neighbors["169.254.234.49"].policy_out


def test_14s_keys_in_authentication_psk_are_found_by_the_peers_id():
    read = VYOS.read(AZURE, None)
    assert [s.secret for s in read.secrets] == ["ch00s3-4-s3cur3-psk"] * 2
    assert [t.version for t in read.tunnels] == ["2", "2"]
    assert read.tunnels[0].esp == "aes256-sha1-modp1024"  # pfs dh-group2
    assert [t.start_action for t in read.tunnels] == ["trap", "trap"]  # connection-type respond


def test_config_boot_with_a_vyatta_footer_reads_with_edgeos_defaults():
    conf = parse(SMOKETEST.read_text(), "boot")
    assert (conf.form, conf.platform) == ("config.boot", "EdgeOS (or VyOS ≤ 1.2)")
    tunnels = vyos_tunnels(conf)
    assert len(tunnels) == 6 and tunnels[0].peer.where == "boot:227"
    assert tunnels[0].esp_words() == "aes256-sha1"  # pfs disable
    assert tunnels[0].lifetime(ike=False) == 27000


@pytest.mark.parametrize(
    "line",
    [
        "set service ubnt-discover disable",  # Ubiquiti's discovery service
        "set service unms disable",
        "set service gui https-port 443",  # EdgeOS's web UI (VyOS's is service https)
        "set system offload hwnat enable",
        "ubnt@edgerouter# set system analytics-handler send-analytics-report false",
    ],
)
def test_set_commands_with_a_service_only_edgeos_has_are_edgeoss(line):
    conf = parse(SAMPLE.read_text() + line + "\n", "f")
    assert conf.platform == "EdgeOS (or VyOS ≤ 1.2)"
    assert [t.version for t in vyos_tunnels(conf)] == ["1", "1"]  # EdgeOS starts IKEv1
    assert parse(SAMPLE.read_text(), "f").platform == "VyOS 1.3"


def test_an_edgerouters_placeholders_read_without_a_guess():
    read = VYOS.read(EDGEROUTER, None)
    assert [t.version for t in read.tunnels] == ["1", "1"]  # key-exchange ikev1, as written
    assert read.tunnels[0].right == "OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_1"
    assert read.inside_cidrs is None  # its vti addresses are placeholders too


def test_a_usg_config_gateway_json_is_the_same_tree_with_its_lines():
    conf = parse(USG.read_text(), "usg")
    assert conf.form == "json" and conf.platform == "EdgeOS (or VyOS ≤ 1.2)"
    tunnels = vyos_tunnels(conf)
    assert [t.remote for t in tunnels] == ["198.51.100.1", "198.51.100.2"]
    assert tunnels[0].key() == ("fixture_psk_tunnel1_0123456789abcdef", "usg:162")
    assert tunnels[0].address() == ("169.254.255.2/30", "usg:7")
    assert set(conf.root.children) <= {"vpn", "interfaces", "protocols", "policy"}


SET = """\
vyos@vyos# set vpn ipsec ike-group AWS proposal 1 dh-group '14'
set vpn ipsec ike-group AWS proposal 1 encryption 'aes256'
set vpn ipsec ike-group AWS lifetime '3600'
set vpn ipsec ike-group AWS lifetime '28800'
set interfaces vti vti0 address '169.254.255.2/30'
set interfaces vti vti0 address '2001:db8::2/126'
set system login user vyos authentication plaintext-password 'secret'
"""
BOOT = """\
interfaces {
    vti vti0 {
        address 169.254.255.2/30
        address 2001:db8::2/126
    }
}
/* a comment */
vpn {
    ipsec {
        ike-group AWS {
            lifetime 28800
            proposal 1 {
                dh-group 14
                encryption aes256
            }
        }
    }
}
system {
    login {
        user vyos
    }
}
// vyos-config-version: "ipsec@13"
"""
JSON = {
    "interfaces": {"vti": {"vti0": {"address": ["169.254.255.2/30", "2001:db8::2/126"]}}},
    "vpn": {"ipsec": {"ike-group": {"AWS": {
        "lifetime": "28800", "proposal": {"1": {"dh-group": "14", "encryption": "aes256"}}}}}},
    "system": {"login": {"user": {"vyos": "''"}}},
}  # fmt: skip


def _shape(node) -> dict:
    return {name: _shape(child) for name, child in node.children.items()}


def test_set_commands_config_boot_and_json_make_one_tree():
    trees = [parse(text, "f").root for text in (SET, BOOT, json.dumps(JSON, indent=2))]
    shapes = [_shape(t) for t in trees]
    # a single-valued leaf set again replaces the value (lifetime), a multi-valued one
    # (address) keeps each
    assert shapes[0]["vpn"]["ipsec"]["ike-group"]["AWS"]["lifetime"] == {"28800": {}}
    assert shapes[0] == shapes[1] == shapes[2]
    assert "system" not in shapes[0]  # never read, never kept
    assert [t.value("vpn", "ipsec", "ike-group", "AWS", "lifetime") for t in trees] == ["28800"] * 3


@pytest.mark.parametrize(
    "text, said",
    [
        ("set vpn ipsec ike-group AWS lifetime '28800\n", "quote is never closed"),
        ("vpn {\n    ipsec {\n", "'ipsec {' is never closed"),
        ("}\nvpn {\n}\n", "closes nothing"),
        ('{"vpn": {"ipsec": }', "not JSON"),
    ],
)
def test_what_vyos_would_not_load_is_a_problem_with_its_line(text, said):
    conf = parse(text, "f")
    assert any(said in what for _, what in conf.problems), conf.problems


def test_delete_removes_what_an_earlier_set_wrote():
    conf = parse(SET + "delete interfaces vti vti0 address '2001:db8::2/126'\n", "f")
    assert conf.root.values("interfaces", "vti", "vti0", "address") == ["169.254.255.2/30"]
    # the value a set replaced does not come back
    conf = parse(SET + "delete vpn ipsec ike-group AWS lifetime '28800'\n", "f")
    assert conf.root.value("vpn", "ipsec", "ike-group", "AWS", "lifetime") is None


def test_comments_and_quotes_are_read_as_vyos_reads_them():
    conf = parse("set vpn ipsec ike-group AWS lifetime 3600 # an hour\n", "f")
    assert conf.root.value("vpn", "ipsec", "ike-group", "AWS", "lifetime") == "3600"
    boot = parse(
        "vpn {\n  ipsec {\n    site-to-site {\n      peer 198.51.100.1 {\n"
        '        authentication {\n          pre-shared-secret "a/*b \\"c\\""\n        }\n'
        "        ike-group AWS\n      }\n    }\n  }\n}\n",
        "f",
    )
    peer = boot.root.at("vpn", "ipsec", "site-to-site", "peer", "198.51.100.1")
    assert peer.value("authentication", "pre-shared-secret") == 'a/*b "c"'
    assert peer.value("ike-group") == "AWS" and boot.problems == []
    unclosed = parse('vpn {\n  ipsec {\n    ike-group AWS {\n      lifetime "3600\n', "f")
    assert any("quote is never closed" in what for _, what in unclosed.problems)
    assert unclosed.root.value("vpn", "ipsec", "ike-group", "AWS", "lifetime") is None


def test_json_nested_beyond_reason_is_a_problem_not_a_crash():
    for depth in (70, 3000):
        conf = parse('{"vpn": ' + '{"a": ' * depth + '"x"' + "}" * (depth + 1), "f")
        assert any("nested deeper" in what for _, what in conf.problems), depth


def test_14s_psk_is_found_by_either_sides_identity_and_each_peer_gets_its_own():
    text = AZURE.read_text().replace(
        "set vpn ipsec authentication psk azure id '203.0.113.2'\n"
        "set vpn ipsec authentication psk azure id '203.0.113.3'\n",
        "",
    ) + (
        "set vpn ipsec authentication psk second id '203.0.113.3'\n"
        "set vpn ipsec authentication psk second secret 'another'\n"
    )
    first, second = vyos_tunnels(parse(text, "f"))
    assert first.key()[0] == "ch00s3-4-s3cur3-psk"  # by its own address, 198.51.100.3
    assert second.key()[0] == "another"  # by the peer's: it comes first


def test_a_14_peer_without_remote_address_answers_anyone_and_disabled_tunnels_are_none():
    text = VYOS14.read_text().replace(
        "set vpn ipsec site-to-site peer AWS remote-address '52.194.154.6'\n", ""
    )
    tunnels = vyos_tunnels(parse(text, "f"))
    assert tunnels[0].remote is None and tunnels[0].start_action() == "none"
    text += (
        "set vpn ipsec site-to-site peer AWS tunnel 1 disable\n"
        "set vpn ipsec site-to-site peer AWS tunnel 1 local prefix any\n"
    )
    assert [t.label for t in vyos_tunnels(parse(text, "f"))] == ["peer AWS_backup"]


def test_any_prefix_is_each_platforms_whole_space():
    tail = (
        "set vpn ipsec site-to-site peer {p} tunnel 1 local prefix any\n"
        "set vpn ipsec site-to-site peer {p} tunnel 1 remote prefix 10.0.0.0/16\n"
    )
    (v14,) = [t for t in vyos_tunnels(parse(VYOS14.read_text() + tail.format(p="AWS"), "f"))
              if t.child is not None]  # fmt: skip
    assert v14.prefixes("local") == "0.0.0.0/0,::/0"
    (v13,) = [
        t
        for t in vyos_tunnels(parse(SAMPLE.read_text() + tail.format(p="3.115.150.60"), "f"))
        if t.child is not None
    ]
    assert v13.prefixes("local") == "0.0.0.0/0"


def test_malformed_lines_never_crash_the_reader():
    lines = SAMPLE.read_text().splitlines() + BOOT.splitlines() + USG.read_text().splitlines()
    for i in range(len(lines)):
        for text in (
            "\n".join(lines[:i]), "\n".join(lines[i:]), lines[i] + " {", "{" + lines[i],
            lines[i] + ' "', lines[i] + " /*", "{" + "\n".join(lines[i:]),
        ):  # fmt: skip
            conf = parse(text, "f")
            assert isinstance(conf.problems, list)
            vyos_tunnels(conf)  # and what was read, however little, reads into tunnels
            with contextlib.suppress(Untranslatable):  # refused, saying why: never a crash
                twin(conf, "f")
