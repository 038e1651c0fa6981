"""A Palo Alto firewall's configuration read as PAN-OS reads it, in each form it
prints (set commands, configure mode's edit/top, XML, braces), into tunnel records
with PAN-OS's defaults and factory profiles said."""

from pathlib import Path

import pytest

from driver.cgw.detect import detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.panos.conf import parse
from driver.cgw.panos.proposals import of_record
from driver.cgw.panos.tunnels import pan_tunnels, record, secrets_of
from driver.core.paths import PROJECT

SCENARIOS = PROJECT / "tests" / "scenarios"
SAMPLE = SCENARIOS / "panos-aws-sample" / "panos.conf"
FIXED = SCENARIOS / "panos-fixed" / "panos.conf"
XML = SCENARIOS / "panos-twin" / "running-config.xml"
HERE = Path(__file__).parent
CLOUDFLARE = HERE / "cloudflare.conf"
FACTORY = HERE / "factory-braces.conf"

GW = "set network ike gateway gw1 "


def test_the_set_and_the_xml_form_of_one_firewall_read_the_same():
    dialect = ROUTERS["panos"]
    as_set, as_xml = dialect.read(FIXED), dialect.read(XML)
    fields = ("name", "right", "ike", "esp", "start_action", "version", "local_ts", "left")
    assert [[getattr(t, f) for f in fields] for t in as_set.tunnels] == [
        [getattr(t, f) for f in fields] for t in as_xml.tunnels
    ]
    assert as_set.inside_cidrs == as_xml.inside_cidrs == ("169.254.255.0/30", "169.254.255.4/30")
    first = as_xml.tunnels[0]
    assert first.ike == "encryption aes-256-cbc hash sha256 dh-group group14"
    assert (first.right, first.version, first.start_action) == ("198.51.100.1", "2", "start")
    assert as_set.problems == as_xml.problems == []


def test_one_set_command_sets_several_values_as_the_schema_splits_them():
    text = GW + "protocol ikev1 dpd interval 10 retry 3 enable yes\n"
    conf = parse(text + GW + "protocol ikev1 ike-crypto-profile p exchange-mode main\n", "f")
    gw = conf.network.at("ike", "gateway", "gw1", "protocol", "ikev1")
    assert (gw.value("dpd", "interval"), gw.value("dpd", "retry"), gw.value("dpd", "enable")) == (
        "10", "3", "yes",
    )  # fmt: skip
    assert (gw.value("ike-crypto-profile"), gw.value("exchange-mode")) == ("p", "main")
    assert gw.where_of("exchange-mode") == "f:2"


def test_a_list_grows_a_value_is_replaced_and_delete_removes():
    profile = "set network ike crypto-profiles ike-crypto-profiles p "
    conf = parse(
        f"{profile}hash sha1\n{profile}hash [ sha256 sha384 ]\n"
        f"{GW}protocol version ikev1\n{GW}protocol version ikev2\n"
        f"{GW}local-id id a.example\ndelete network ike gateway gw1 local-id\n",
        "f",
    )
    assert conf.network.values("ike", "crypto-profiles", "ike-crypto-profiles", "p", "hash") == [
        "sha1", "sha256", "sha384",
    ]  # fmt: skip
    gateway = conf.network.at("ike", "gateway", "gw1")
    assert gateway.values("protocol", "version") == ["ikev2"]
    assert gateway.at("local-id") is None


def test_awss_sample_in_configure_mode_loses_what_follows_an_edit_without_top():
    conf = parse(SAMPLE.read_text(), "sample")
    assert [where for where, _ in conf.problems] == ["sample:127", "sample:268"]
    assert "no 'top' came back" in conf.problems[0][1] and "line 102" in conf.problems[0][1]
    # what was read before it stands: profiles, gateways, the tunnel
    tunnel = conf.network.at("tunnel", "ipsec", "ipsec-tunnel-1")
    assert tunnel.value("tunnel-interface") == "tunnel.1"
    assert conf.network.at("tunnel", "ipsec", "ipsec-tunnel-1", "network") is None
    # 'ip' under 'interface tunnel' is no unit's
    assert conf.network.values("interface", "tunnel", "ip") == [
        "169.254.255.5/30", "169.254.255.1/30",
    ]  # fmt: skip
    assert conf.network.values("interface", "tunnel", "units", "tunnel.1", "ip") == []


def test_panorama_prefixes_session_prompts_and_address_objects_are_read_through():
    text = (
        "admin@PA-VM# set network ike gateway gw1 peer-address ip AWS-T1\n"
        "set template T config devices localhost.localdomain network tunnel ipsec t1 "
        "auto-key ike-gateway gw1\n"
        "set shared address AWS-T1 ip-netmask 198.51.100.1\n"
    )
    [tunnel] = pan_tunnels(parse(text, "f"))
    assert tunnel.peer == "198.51.100.1" and tunnel.gateway_name == "gw1"


def test_cloudflares_guide_reads_with_its_objects_and_encrypted_keys_kept_apart():
    conf = parse(CLOUDFLARE.read_text(), "cf")
    tunnels = pan_tunnels(conf)
    assert [t.peer for t in tunnels] == ["162.159.66.164", "172.64.242.164"]
    [first, _] = [record(t) for t in tunnels]
    assert first.version == "2" and first.leftid.endswith(".ipsec.cloudflare.com")
    assert first.esp == "encryption aes-256-cbc authentication sha256 sha1 dh-group group20"
    assert secrets_of(tunnels) == []  # both keys are -AQ==…: nothing to compare
    assert ROUTERS["panos"].read(CLOUDFLARE).inside_cidrs == ("10.252.2.26/31", "10.252.2.28/31")


def test_the_factory_profiles_in_brace_form_are_the_ones_vpnlab_assumes():
    from driver.cgw.panos import defaults

    conf = parse(FACTORY.read_text(), "braces")
    assert conf.form == "braces" and conf.problems == []
    ike = conf.network.at("ike", "crypto-profiles", "ike-crypto-profiles")
    for name, (encryption, hashes, groups, seconds) in defaults.FACTORY_IKE.items():
        assert ike.values(name, "encryption") == encryption
        assert (ike.values(name, "hash"), ike.values(name, "dh-group")) == (hashes, groups)
        assert int(ike.value(name, "lifetime", "hours")) * 3600 == seconds
    ipsec = conf.network.at("ike", "crypto-profiles", "ipsec-crypto-profiles")
    for name, (encryption, hashes, groups, seconds) in defaults.FACTORY_IPSEC.items():
        assert ipsec.values(name, "esp", "encryption") == encryption
        assert ipsec.values(name, "esp", "authentication") == hashes
        assert ipsec.values(name, "dh-group") == groups
        assert int(ipsec.value(name, "lifetime", "hours")) * 3600 == seconds


def test_what_the_file_leaves_out_is_panoss_default_and_said():
    text = (
        f"{GW}peer-address ip 198.51.100.1\n{GW}authentication pre-shared-key key k\n"
        "set network tunnel ipsec t1 auto-key ike-gateway gw1\n"
    )
    [tunnel] = pan_tunnels(parse(text, "f"))
    made = record(tunnel)
    assert made.version == "1" and made.start_action == "trap"  # ikev1; on traffic
    assert made.ike == "encryption aes-128-cbc 3des hash sha1 dh-group group2"  # factory
    said = " / ".join(tunnel.defaulted)
    assert "gateway gw1 protocol version ikev1" in said
    assert "crypto profile default (the factory's: encryption aes-128-cbc 3des" in said
    assert "tunnel t1 tunnel-monitor enable no" in said


def test_every_combination_of_a_profile_is_judged_by_aws_names():
    offered = of_record("encryption aes-256-gcm aes128 3des hash sha256 dh-group group14", True)
    names = [(p["enc"], p["prf"], p["other"]) for p in offered]
    assert ({"AES256-GCM-16"}, {"SHA2-256"}, set()) in names  # GCM: the hash is its PRF
    assert ({"AES128"}, {"SHA2-256"}, set()) in names  # aes128: PAN-OS 4's aes-128-cbc
    assert (set(), {"SHA2-256"}, {"3des"}) in names
    [esp] = of_record("encryption aes-128-gcm authentication none", False)
    assert esp["enc"] == {"AES128-GCM-16"} and not esp["other"] and not esp["dh"]


@pytest.mark.parametrize(
    "text, said",
    [
        ('<!DOCTYPE c [<!ENTITY x "y">]><config>&x;</config>', "document type or entity"),
        ("<config>" * 80 + "</config>" * 80, "nested deeper than 64"),
        ("<config><network>", "not XML PAN-OS would load"),
        (GW + 'authentication pre-shared-key key "open\n', "a quote is never closed"),
        (GW + "protocol ikev2 dh-group [ group14\n", "'[' list is not closed"),
        ("ike {\n crypto-profiles {\n", "is never closed with '}'"),
        (
            "set network ike crypto-profiles ike-crypto-profiles p hash ] encryption [\n",
            "'[' list is not closed",
        ),
        ("network {\n ike {\n" + " x" * 3000 + " v;\n }\n}\n", "nested deeper than 64"),
    ],  # fmt: skip
)
def test_what_pan_os_would_not_load_is_a_problem_with_its_line(text, said):
    problems = parse(text, "f").problems
    assert problems and said in problems[0][1], problems


@pytest.mark.parametrize("path", [SAMPLE, FIXED, XML, CLOUDFLARE, FACTORY])
def test_each_form_is_detected_as_pan_os_by_its_content(path):
    assert detect(path).implementation == "panos"


def test_what_real_files_carry_reads_as_pan_os_reads_it():
    bgp = "set network virtual-router default protocol bgp "
    text = (
        "\ufeffadmin@PA-VM> configure\n"
        "edit network\n"
        "set ike gateway gw1 peer-address ip 198.51.100.1\n"
        "set tunnel ipsec t1 auto-key ike-gateway [ gw1 ]\n"
        "set tunnel ipsec t1 auto-key proxy-id p protocol any local 10.1.0.0/16 "
        "remote 10.0.0.0/16\n"
        "set ike crypto-profiles ike-crypto-profiles p lifetime seconds 3600\n"
        "set ike crypto-profiles ike-crypto-profiles p lifetime hours 8\n"
        "set ike crypto-profiles ike-crypto-profiles p hash [sha256 sha1]\n"
        "top\n"
        "set vsys vsys1 import network virtual-router [ default ]\n"
        f"{bgp}peer-group g peer p connection-options keep-alive-interval $ka\n"
        'set deviceconfig system login-banner "one\nline two"\n'
    )
    conf = parse(text, "f")
    assert conf.problems == []
    [tunnel] = pan_tunnels(conf)
    assert tunnel.gateway_name == "gw1" and tunnel.peer == "198.51.100.1"
    assert (tunnel.proxy.value("local"), tunnel.proxy.value("remote")) == (
        "10.1.0.0/16", "10.0.0.0/16",
    )  # fmt: skip
    profile = conf.network.at("ike", "crypto-profiles", "ike-crypto-profiles", "p")
    assert list(profile.at("lifetime").children) == ["hours"]  # a choice: the last one
    assert profile.values("hash") == ["sha256", "sha1"]
    assert list(conf.network.entries("virtual-router")) == [
        conf.network.at("virtual-router", "default")
    ]


def test_an_xml_export_after_a_prompt_and_a_panorama_with_two_templates():
    xml = XML.read_text()
    conf = parse("admin@PA-VM> show config running\n" + xml, "f")
    assert conf.form == "xml" and len(pan_tunnels(conf)) == 2
    two = (
        "set template A config devices localhost.localdomain network ike gateway g "
        "peer-address ip 198.51.100.1\n"
        "set template B config devices localhost.localdomain network ike gateway g "
        "peer-address ip 198.51.100.9\n"
    )
    [(where, what)] = parse(two, "f").problems
    assert where == "f:2" and "2 templates or devices" in what


def test_bgp_left_off_is_no_bgp_and_timers_that_are_no_numbers_are_defaults():
    from driver.cgw.panos.bgp import pan_bgp

    bgp = "set network virtual-router default protocol bgp "
    assert pan_bgp(parse(f"{bgp}enable no\n", "f"), "f") is None
    text = (
        f"{bgp}enable yes local-as 65000\n{bgp}peer-group g peer p peer-address ip "
        "169.254.255.1 connection-options hold-time $hold\n"
    )
    [peer] = pan_bgp(parse(text, "f"), "f").neighbors.values()
    assert peer.timers == (30, 90)
