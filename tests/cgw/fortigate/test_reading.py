"""A FortiGate's configuration read by FortiOS's CLI grammar (config / edit / set /
unset / next / end), into tunnel records, with FortiOS's defaults by release."""

from driver.cgw.detect import detect
from driver.cgw.fortigate import defaults
from driver.cgw.fortigate.conf import parse
from driver.cgw.fortigate.proposals import in_aws_names
from driver.cgw.fortigate.tunnels import forti_tunnels, inside_cidr, record, secrets_of
from driver.core.paths import PROJECT

SAMPLE = PROJECT / "tests" / "scenarios" / "fortigate-aws-sample" / "fortigate.conf"
FIXED = PROJECT / "tests" / "scenarios" / "fortigate-fixed" / "fortigate.conf"

TWO_TUNNELS = """\
config vpn ipsec phase1-interface
    edit "aws-1"
        set remote-gw 198.51.100.1
        set proposal aes256-sha256 aes128-sha1
        set dhgrp 14 5
        set psksecret "a.key_for_tunnel_1"
    next
    edit "aws-2"
        set remote-gw 198.51.100.2
        set ike-version 2
        set psksecret ENC a2V5LCBlbmNyeXB0ZWQ=
    next
end
config vpn ipsec phase2-interface
    edit "aws-1-p2"
        set phase1name "aws-1"
        set proposal aes256gcm
        set src-subnet 192.168.0.0 255.255.0.0
        set auto-negotiate enable
    next
    edit "aws-2-p2"
        set phase1name "aws-2"
        set pfs disable
        set proposal aes128-sha1
        unset pfs
    next
end
config system interface
    edit "aws-1"
        set ip 169.254.10.2 255.255.255.252
        set type tunnel
    next
end
"""


def test_tables_entries_and_sub_tables_keep_their_lines():
    bgp = "config router bgp\n set as 65000\n config neighbor\n  edit 169.254.10.1\n"
    conf = parse(TWO_TUNNELS + bgp + "   set remote-as 64512\n  next\n end\nend\n", "fg")
    [first, second] = conf.entries("vpn ipsec phase1-interface")
    assert (first.name, first.line, first.setting("dhgrp").where) == ("aws-1", 2, "fg:5")
    assert second.get("ike-version") == "2"
    assert conf.table("router bgp").get("as") == "65000"
    [neighbor] = conf.entries("router bgp/neighbor")
    assert neighbor.name == "169.254.10.1" and neighbor.get("remote-as") == "64512"
    assert conf.problems == []


def test_a_tunnel_takes_what_is_set_and_fortios_defaults_for_the_rest():
    conf = parse(TWO_TUNNELS, "fg")
    one, two = forti_tunnels(conf)
    first = record(one)
    assert (first.right, first.version, first.start_action) == ("198.51.100.1", "1", "start")
    assert first.local_ts == "192.168.0.0/16" and first.remote_ts is None  # FortiOS: 0/0
    assert first.ike == "aes256-sha256 aes128-sha1 dhgrp 14 5"
    assert "phase1 ike-version 1" in one.defaulted  # left out: the 7.4 reference's default
    second = record(two)
    assert second.version == "2" and second.start_action == "none"  # phase 2: disable
    assert two.value("phase2", "pfs") == "enable"  # set disable, then unset: the default
    no_pfs = parse(TWO_TUNNELS.replace("        unset pfs\n", ""), "fg")
    assert record(forti_tunnels(no_pfs)[1]).esp == "aes128-sha1"  # no PFS: no DH group
    assert inside_cidr(conf, "aws-1") == "169.254.10.0/30" and inside_cidr(conf, "aws-2") is None
    [key] = secrets_of([one, two])  # an ENC key is FortiOS's own encryption: not compared
    assert (key.ids, key.secret, key.line) == (["198.51.100.1"], "a.key_for_tunnel_1", 6)


def test_entries_and_tables_left_open_are_named_where_they_open():
    conf = parse("config vpn ipsec phase2-interface\n edit p2\n  set phase1name x\n next\n"
                 "config router bgp\n set as 65000\n", "fg")  # fmt: skip
    said = dict(conf.problems)
    assert "never closed with 'end'" in said["fg:1"] and "fg:5" in said
    assert conf.table("router bgp") is None  # read inside the open table: not FortiOS's bgp
    assert parse("next\nend\n", "fg").problems == [
        ("fg:1", "'next' with no open entry or table"),
        ("fg:2", "'end' with no open entry or table"),
    ]


def test_awss_sample_as_pasted_leaves_fortios_one_tunnel():
    """Its phase2-interface is never closed: the second tunnel is read inside it."""
    conf = parse(SAMPLE.read_text(), "sample")
    assert [t.phase1.name for t in forti_tunnels(conf)] == ["vpn-44a8938f-0"]
    assert len(forti_tunnels(parse(FIXED.read_text(), "fixed"))) == 2


def test_fortios_proposals_in_awss_names():
    [cbc, gcm] = in_aws_names("aes128-sha1 aes256gcm-prfsha384", "14 2")
    assert (cbc["enc"], cbc["integ"], cbc["dh"]) == ({"AES128"}, {"SHA1"}, {2, 14})
    assert (gcm["enc"], gcm["prf"], gcm["integ"]) == ({"AES256-GCM-16"}, {"SHA2-384"}, set())
    [des] = in_aws_names("3des-md5", "2", pfs=False)
    assert des["other"] == {"3des", "md5"} and des["dh"] == set()


def test_defaults_that_change_between_releases_are_known():
    assert defaults.differs(defaults.PHASE1, "ike-version")
    assert defaults.default(defaults.PHASE1, "ike-version", "8.0") == "2"
    assert not defaults.differs(defaults.PHASE2, "keylifeseconds")


def test_a_fortios_table_says_fortigate():
    found = detect(SAMPLE)
    assert found.implementation == "fortigate"
    assert any("config vpn ipsec phase1-interface" in sign for sign in found.signs)
