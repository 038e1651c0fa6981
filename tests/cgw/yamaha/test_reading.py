"""A Yamaha RTX's configuration read as the RTX reads it (``show config``, AWS's
sample, other published configurations) into tunnel records, with the RTX's initial
values said where the file leaves a command out."""

from pathlib import Path

from driver.cgw.detect import detect
from driver.cgw.dialects import ROUTERS
from driver.cgw.yamaha.bgp import yamaha_bgp
from driver.cgw.yamaha.conf import parse
from driver.cgw.yamaha.routes import static_routes
from driver.cgw.yamaha.tunnels import record, yamaha_tunnels
from driver.core.paths import PROJECT

SCENARIOS = PROJECT / "tests" / "scenarios"
SAMPLE = SCENARIOS / "yamaha-aws-sample" / "rtx.conf"
SHOW_CONFIG = SCENARIOS / "yamaha-twin" / "show-config.txt"
AZURE = Path(__file__).parent / "azure-ikev2.txt"
OCI = Path(__file__).parent / "oci-static.txt"


def test_awss_sample_and_show_config_read_into_one_record_each_tunnel():
    dialect = ROUTERS["yamaha"]
    for path in (SAMPLE, SHOW_CONFIG):
        assert detect(path).implementation == "yamaha"
        read = dialect.read(path)
        assert [t.name for t in read.tunnels] == ["tunnel 1", "tunnel 2"]
        assert [t.right for t in read.tunnels] == ["198.51.100.1", "198.51.100.2"]
        assert read.inside_cidrs == ("169.254.255.0/30", "169.254.255.4/30")
        assert read.problems == []
    sample = dialect.read(SAMPLE)
    first = sample.tunnels[0]
    assert (first.ike, first.esp, first.version) == (
        "aes-cbc sha modp1024",
        "aes-cbc sha-hmac modp1024",  # pfs on: ipsec ike group's only group
        "1",  # ipsec ike version left out: IKEv1
    )
    assert (first.start_action, first.leftid, first.local_ts) == ("start", "203.0.113.10", None)
    assert "ipsec ike version 1 1" in sample.defaulted
    assert [s.secret for s in sample.secrets] == ["plain-text-password1", "plain-text-password2"]
    assert sample.bgp.asn == 65000 and sample.bgp.neighbors["169.254.255.5"].timers == (10, 30)
    shown = dialect.read(SHOW_CONFIG).tunnels[0]
    assert (shown.ike, shown.esp) == ("aes-cbc sha256 modp2048", "aes-cbc sha256-hmac modp2048")
    # IKEv1 with two groups: the first for phase 1, the second for PFS
    two = SHOW_CONFIG.read_text().replace("group 1 modp2048", "group 1 modp2048 modp1024")
    t = yamaha_tunnels(parse(two, "f"))[0]
    assert (t.ike_words(), t.esp_words()) == (
        "aes-cbc sha256 modp2048",
        "aes-cbc sha256-hmac modp1024",
    )
    assert (shown.local_ts, shown.remote_ts) == ("0.0.0.0/0", "0.0.0.0/0")


def test_the_ipsec_tunnel_df_bit_command_is_not_the_tunnels_sa_policy():
    conf = parse("tunnel select 1\n ipsec tunnel 101\n ipsec tunnel outer df-bit clear\n", "f")
    assert conf.tunnels["1"][("ipsec", "tunnel")].words == ("ipsec", "tunnel", "101")


def test_what_the_file_leaves_out_is_the_rtxs_initial_value_and_said():
    conf = parse(
        "tunnel select 1\n ipsec tunnel 1\n  ipsec sa policy 1 7 esp\n"
        "  ipsec ike remote address 7 198.51.100.1\n tunnel enable 1\n",
        "f",
    )
    (t,) = yamaha_tunnels(conf)
    made = record(t)
    assert (made.ike, made.esp, made.version) == ("3des-cbc sha modp1024", "aes-cbc", "1")
    assert made.start_action == "none"  # no ipsec auto refresh on: it only answers
    assert t.keepalive() == ("none", 0, 0)  # auto: heartbeat, answered only
    assert t.lifetime(ike=False)[0] == 28800
    said = {"ipsec auto refresh off", "ipsec ike pfs 7 off", "ipsec sa policy 1 esp aes-cbc"}
    assert said <= set(t.defaulted)


def test_a_tunnel_never_enabled_is_no_record_and_the_router_switch_overrides_the_gateways():
    conf = parse(
        "tunnel select 1\n ipsec tunnel 1\n  ipsec sa policy 1 1 esp aes-cbc sha-hmac\n"
        "  ipsec ike remote address 1 198.51.100.1\n"
        "ipsec auto refresh 1 on\n",
        "f",
    )
    assert yamaha_tunnels(conf) == []
    (t,) = yamaha_tunnels(conf, enabled_only=False)
    assert t.start_action() == "none"  # the router's own switch is off (its default)
    conf = parse(SHOW_CONFIG.read_text() + "ipsec auto refresh 2 off\n", "f")
    assert [t.start_action() for t in yamaha_tunnels(conf)] == ["start", "none"]


def test_ikev2_without_proposal_limitation_offers_all_it_supports():
    (t,) = yamaha_tunnels(parse(AZURE.read_text(), "azure"))
    made = record(t)
    assert made.version == "2" and not t.limited
    assert made.ike.startswith("aes256-cbc,aes-cbc,3des-cbc,des-cbc sha256,sha,md5 ")
    assert t.keepalive() == ("rfc4306", 10, 6)  # dpd under IKEv2 is RFC 4306's check
    assert t.name("local") == ("<router", "LAN-side")  # the author's placeholder, as written
    assert t.key() == (None, t.where("pre-shared-key"))  # the author's mask is no key


def test_routes_into_tunnels_keep_their_gateways_order_and_hide():
    routes = static_routes(parse(SHOW_CONFIG.read_text(), "f"))
    assert [(r.destination, r.tunnel, r.hide, r.order) for r in routes] == [
        ("10.0.0.0/16", "1", True, 0),
        ("10.0.0.0/16", "2", True, 1),
    ]  # the default route's gateway is an address, not a tunnel


def test_bgp_announces_what_bgp_import_brings_in_for_its_neighbours_as():
    text = SAMPLE.read_text()
    assert [str(p) for p, _ in yamaha_bgp(parse(text, "f"), "f").networks] == ["0.0.0.0/0"] * 2
    moved = text.replace("bgp neighbor 1 7224", "bgp neighbor 1 64512").replace(
        "bgp neighbor 2 7224", "bgp neighbor 2 64512"
    )
    assert yamaha_bgp(parse(moved, "f"), "f").networks == []  # bgp import 7224: nobody's


def test_ocis_template_reads_with_its_phase_2_ids():
    tunnels = yamaha_tunnels(parse(OCI.read_text(), "oci"))
    assert [t.phase2_ids() for t in tunnels] == [("0.0.0.0/0", "0.0.0.0/0")] * 2
    assert [t.keepalive() for t in tunnels] == [("dpd", 5, 4)] * 2


def test_a_pasted_session_no_commands_and_a_pppoe_description_read_as_the_router_does():
    text = (
        "[RTX1210] # pp select 1\n"
        " description pp ISP\n"
        "pp1# pp enable 1\n"
        + SHOW_CONFIG.read_text()
        + "no ipsec ike pfs 1\n"
        + "[RTX1210] # no ipsec auto refresh\n"
    )
    conf = parse(text, "f")
    assert conf.problems == []  # a pp's description is no tunnel command out of place
    first, second = yamaha_tunnels(conf)
    assert (first.pfs_group(), second.pfs_group()) == (None, "modp2048")
    assert first.start_action() == "none"  # `no ipsec auto refresh`: off again


def test_malformed_lines_are_problems_or_ignored_never_a_crash():
    text = SHOW_CONFIG.read_text() + (
        "ipsec ike duration ipsec-sa 1 ²\nbgp use on\nbgp autonomous-system ²\n"
        "bgp import\nbgp neighbor 1\nipsec sa policy 9\nipsec ike pfs\ntunnel select x\n"
        "ipsec ike local address 2 ipcp pp 1\ntunnel template 2\n"
    )
    conf = parse(text, "f")
    assert len(conf.problems) == 4  # sa policy, ike pfs, tunnel select x, tunnel template
    first, second = yamaha_tunnels(conf)
    assert first.lifetime(ike=False)[0] == 28800  # "²" is no number: the initial value
    assert second.local is None and second.identity() is None  # an interface's address
    assert yamaha_bgp(conf, "f").asn is None


def test_a_tunnels_prompt_makes_a_pasted_command_that_tunnels():
    """Under the administrator's prompt `# tunnel select 1` reads as a comment; the
    `tunnel1# ` prompt of the lines after it says which tunnel they belong to."""
    text = "\n".join(
        ["# tunnel select 1"]
        + [
            f"tunnel1# {line.strip()}" if line.startswith(" ") else line
            for line in SHOW_CONFIG.read_text().split("tunnel select 2")[0].splitlines()[20:]
        ]
    )
    conf = parse(text, "f")
    assert conf.problems == []
    (t,) = yamaha_tunnels(conf)
    assert (t.number, t.policy_id, t.address.words[3]) == ("1", "201", "169.254.255.2/30")
