"""A Juniper SRX's configuration read as Junos reads it, in its set and hierarchical
forms, into tunnel records with Junos's defaults said."""

from pathlib import Path

import pytest

from driver.cgw.detect import detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.junos.bgp import junos_bgp
from driver.cgw.junos.conf import parse
from driver.cgw.junos.proposals import of_record
from driver.cgw.junos.routes import static_routes
from driver.cgw.junos.tunnels import junos_tunnels, record
from driver.core.paths import PROJECT

SCENARIOS = PROJECT / "tests" / "scenarios"
SAMPLE = SCENARIOS / "junos-aws-sample" / "junos.conf"
FIXED = SCENARIOS / "junos-fixed" / "junos.conf"
HIERARCHICAL = SCENARIOS / "junos-twin" / "juniper.conf"
VSRX = Path(__file__).parent / "vsrx-aws.conf"


def test_the_set_and_the_hierarchical_form_of_one_srx_read_the_same():
    dialect = ROUTERS["junos"]
    as_set, as_tree = dialect.read(FIXED), dialect.read(HIERARCHICAL)
    fields = ("name", "right", "ike", "esp", "start_action", "version", "leftid", "local_ts")
    assert [[getattr(t, f) for f in fields] for t in as_set.tunnels] == [
        [getattr(t, f) for f in fields] for t in as_tree.tunnels
    ]  # the inactive vpn-old is not among them
    first = as_tree.tunnels[0]
    assert (first.ike, first.esp) == (
        "aes-256-cbc sha-256 group14",
        "aes-256-cbc hmac-sha-256-128 group14",
    )
    assert (first.version, first.start_action, first.leftid) == ("2", "start", "203.0.113.10")
    assert as_set.inside_cidrs == as_tree.inside_cidrs == ("169.254.255.0/30", "169.254.255.4/30")
    assert as_tree.problems == []


def test_st0_dot_unit_is_st0_unit_and_several_statements_share_one_set_line():
    conf = parse(
        "set interfaces st0.1 family inet address 169.254.255.2/30\n"
        "set security ike gateway g dead-peer-detection interval 10 threshold 3\n"
        "set routing-options static route 10.0.0.0/16 next-hop st0.1\n"
        "set routing-options static route 10.0.0.0/16 qualified-next-hop st0.2 preference 6\n"
        'set security ike policy p pre-shared-key ascii-text "a key"\n'
        "set security ike gateway g dead-peer-detection\n",
        "f",
    )
    assert conf.root.at("interfaces", "st0", "unit", "1", "family", "inet", "address")
    dpd = conf.root.at("security", "ike", "gateway", "g", "dead-peer-detection")
    assert (dpd.value("interval"), dpd.value("threshold")) == ("10", "3")
    assert [(r.destination, r.metric) for r in static_routes(conf, "st0.2")] == [
        ("10.0.0.0/16", 6)
    ]  # the backup: its own preference over the static route's 5
    assert conf.root.value("security", "ike", "policy", "p", "pre-shared-key", "ascii-text") == (
        "a key"
    )


def test_what_the_file_leaves_out_is_junos_default_and_said():
    text = (
        "set security ike gateway g address 198.51.100.1\n"
        "set security ike gateway g ike-policy p\n"
        "set security ipsec vpn v ike gateway g\n"
        "set security ipsec vpn v bind-interface st0.1\n"
    )
    [tunnel] = junos_tunnels(parse(text, "f"))
    made = record(tunnel)
    assert (made.version, made.start_action) == ("1", "trap")  # v1-only, on-traffic
    said = " / ".join(tunnel.defaulted)
    assert "gateway g version v1-only" in said and "establish-tunnels on-traffic" in said


def test_awss_sample_reads_its_bgp_with_the_neighbours_local_as_and_hold_time():
    bgp = junos_bgp(parse(SAMPLE.read_text(), "s"), "s")
    assert bgp.asn == 65000  # every neighbour's local-as
    assert {a: (n.remote_as, n.timers) for a, n in bgp.neighbors.items()} == {
        "169.254.255.1": ("7224", (10, 30)), "169.254.255.5": ("7224", (10, 30)),
    }  # fmt: skip
    assert all(n.policy_out for n in bgp.neighbors.values())  # export EXPORT-DEFAULT


def test_a_published_vsrx_configuration_with_groups_is_read_and_the_groups_named():
    conf = parse(VSRX.read_text(), "vsrx")
    assert conf.form == "hierarchical"
    assert any("configuration groups are not expanded" in what for _, what in conf.problems)
    assert [t.name for t in junos_tunnels(conf)] == ["ipsec_vpn1", "ipsec_vpn2"]


def test_gcm_proposals_take_their_prf_and_unknown_words_are_no_aws_name():
    [gcm] = of_record("aes-256-gcm group20", True)
    assert gcm["enc"] == {"AES256-GCM-16"} and gcm["prf"] == {"SHA2-384"} and gcm["dh"] == {20}
    [old] = of_record("3des-cbc md5 group2", True)
    assert old["other"] == {"3des-cbc", "md5"}


@pytest.mark.parametrize(
    "text, said",
    [
        ('set security ike policy p pre-shared-key ascii-text "open\n', "a quote is never closed"),
        ("set security ike policy p proposals ] a [\n", "'[' list is not closed"),
        ("security {\n ike {\n", "is never closed with '}'"),
        (
            "groups {\n aws {\n  interfaces {\n  }\n }\n}\napply-groups aws;\n",
            "configuration groups are not expanded",
        ),
    ],
)
def test_what_junos_would_not_load_is_a_problem_with_its_line(text, said):
    problems = parse(text, "f").problems
    assert problems and said in problems[0][1], problems


@pytest.mark.parametrize("path", [SAMPLE, FIXED, HIERARCHICAL, VSRX])
def test_each_form_is_detected_as_junos_by_its_content(path):
    assert detect(path).implementation == "junos"


def test_a_bare_statement_ends_a_set_line_and_banners_and_up_move_as_junos_does():
    text = (
        "[edit security ike]\n"
        "user@srx# set gateway g address 198.51.100.1\n"
        "user@srx# set gateway g dead-peer-detection\n"
        "top\n"
        "edit security ike gateway h\n"
        "up\n"
        "set gateway k address 198.51.100.2\n"
        "top\n"
        "deactivate security ike gateway g address\n"
    )
    conf = parse(text, "f")
    gateways = conf.root.at("security", "ike", "gateway")
    assert gateways.at("g", "dead-peer-detection") is not None  # a bare container is set
    assert gateways.at("g", "address") is None  # deactivated
    assert gateways.value("k", "address") == "198.51.100.2"  # `up` from an entry: its list


def test_comments_only_outside_quotes_and_a_comment_that_reads_like_a_command():
    text = (
        "/* set security ike gateway x address 1.2.3.4 */\n"
        'security {\n ike {\n  gateway g {\n   description "a /* b";\n'
        "   address 198.51.100.1; ## note\n  }\n }\n}\n"
    )
    conf = parse(text, "f")
    assert conf.form == "hierarchical" and conf.problems == []
    assert conf.root.value("security", "ike", "gateway", "g", "address") == "198.51.100.1"
