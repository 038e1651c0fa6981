"""Lint of a customer gateway's FRR or Quagga file against a BGP lab: each rule
triggered by one change to a clean file, on the line where the mistake is.

The clean file is vpnlab's own rendering (tests/render/test_frr.py has FRR's
parser accept it); what FRR then does with the mistakes is
tests/local/dataplane/test_bgp.py's (the live bgpd agrees with the rule).
"""

import shutil

import pytest

from driver.analysis import cgw_bgp_rules
from driver.analysis.cgw_bgp_rules import BGP_RULES
from driver.analysis.cgw_rules import lint_config
from driver.analysis.lab_from_cgw import lab_text
from driver.cgw.frr import conf as bgp_conf
from driver.core.paths import PROJECT
from driver.lab.loader import load_lab, parse_lab
from driver.render.frr import FRR_CONF, frr_files
from tests.fixtures import cgw_fixture

BGP_LAB = load_lab(PROJECT / "labs" / "bgp.yml")
SEED_LAB = load_lab(PROJECT / "labs" / "seed.yml")
CLEAN = frr_files(BGP_LAB)[FRR_CONF]


def customer_dir(tmp_path, frr_conf: str | None = CLEAN, at: str = "frr/frr.conf", **more):
    """A customer's /etc: the route-based swanctl fixture plus a BGP file."""
    root = tmp_path / "etc"
    shutil.copytree(cgw_fixture("swanctl-xfrm-updown"), root)
    if frr_conf is not None:
        (root / at).parent.mkdir(parents=True, exist_ok=True)
        (root / at).write_text(frr_conf)
    for path, text in more.items():
        (root / path.replace("__", "/")).write_text(text)
    return root


def bgp(findings) -> list[tuple[str, str, str]]:
    """(rule, severity, line) of the bgp-* findings."""
    return sorted(
        (f.rule, f.severity, f.where.rpartition(":")[2])
        for f in findings
        if f.rule.startswith("bgp-")
    )


def line_of(text: str, needle: str) -> str:
    return str(next(n for n, line in enumerate(text.splitlines(), 1) if needle in line))


def test_vpnlabs_own_rendering_is_clean(tmp_path):
    assert bgp(lint_config(BGP_LAB, customer_dir(tmp_path), None)) == []


CASES = [
    # (rule, severity, change: old -> new, the line the finding names)
    ("bgp-local-as", "error", ("router bgp 65000", "router bgp 65010"), "router bgp"),
    ("bgp-remote-as", "error",
     ("neighbor 169.254.11.1 remote-as 64512", "neighbor 169.254.11.1 remote-as 7224"),
     "neighbor 169.254.11.1 remote-as"),
    ("bgp-neighbors", "warning",
     ("169.254.11.1", "169.254.12.1"),
     "neighbor 169.254.12.1 remote-as"),
    ("bgp-timers", "warning",
     ("neighbor 169.254.10.1 timers 10 30", "neighbor 169.254.10.1 timers 3 9"),
     "neighbor 169.254.10.1 remote-as"),
    ("bgp-policy", "error", (" no bgp ebgp-requires-policy\n", ""), "neighbor 169.254.10.1 remote"),
    ("bgp-shutdown", "warning",
     ("neighbor 169.254.10.1 timers 10 30", "neighbor 169.254.10.1 shutdown"),
     "neighbor 169.254.10.1 remote-as"),
    ("bgp-prefixes", "warning", ("network 192.168.0.0/16", "network 192.168.1.0/24"),
     "router bgp"),  # the public subnet 192.168.0.0/24 is announced by nobody
    ("bgp-prefixes", "warning",
     ("network 192.168.0.0/16", "network 192.168.0.0/16\n  network 10.0.0.0/8"),
     "network 10.0.0.0/8"),  # the AWS VPC's local route wins
    ("bgp-prefixes", "info", ("network 192.168.0.0/16", "redistribute connected"),
     "redistribute"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "severity", "change", "at"), CASES)
def test_each_rule_on_the_line_of_the_mistake(tmp_path, rule, severity, change, at):
    text = CLEAN.replace(*change)
    assert text != CLEAN
    found = bgp(lint_config(BGP_LAB, customer_dir(tmp_path, text), None))
    expected = (rule, severity, line_of(text, at))
    assert expected in found, found
    # the same neighbour appears in one finding of that rule (with a second tunnel's
    # neighbour gone, bgp-neighbors also says Tunnel2 has none)
    assert {r for r, _, _ in found} <= {rule, "bgp-neighbors"}


def test_a_missing_neighbour_is_named_by_tunnel(tmp_path):
    text = "\n".join(line for line in CLEAN.splitlines() if "169.254.11.1" not in line)
    [finding] = [f for f in lint_config(BGP_LAB, customer_dir(tmp_path, text), None)
                 if f.rule.startswith("bgp-")]  # fmt: skip
    assert finding.rule == "bgp-neighbors" and finding.severity == "error"
    assert "no neighbour 169.254.11.1: Tunnel2" in finding.message


def test_the_101st_network_is_the_one_named(tmp_path):
    """192.168.0.0/16 and 101 more: the 101st is 10.0.99.0/24."""
    networks = "".join(f"  network 10.{n // 250}.{n % 250}.0/24\n" for n in range(101))
    text = CLEAN.replace("  network 192.168.0.0/16\n", "  network 192.168.0.0/16\n" + networks)
    found = bgp(lint_config(BGP_LAB, customer_dir(tmp_path, text), None))
    assert ("bgp-prefixes", "error", line_of(text, "network 10.0.99.0/24")) in found


def test_a_transit_gateway_sites_speaker_may_announce_a_thousand(tmp_path):
    """As one site of a Transit Gateway lab (check --cgw-config --site) the same 101 are
    accepted; the 1,001st is the one named, with whose limit it is."""
    for count, named in ((101, None), (1000, "network 10.3.249.0/24")):
        networks = "".join(f"  network 10.{n // 250}.{n % 250}.0/24\n" for n in range(count))
        text = CLEAN.replace("  network 192.168.0.0/16\n", "  network 192.168.0.0/16\n" + networks)
        with cgw_bgp_rules.on_transit_gateway():
            found = lint_config(BGP_LAB, customer_dir(tmp_path / str(count), text), None)
        errors = [f for f in found if f.rule == "bgp-prefixes" and f.severity == "error"]
        if named is None:
            assert errors == []
        else:
            (error,) = errors
            assert error.where.endswith(f":{line_of(text, named)}")
            assert "the Transit Gateway's connection accepts 1000 prefixes" in error.message
    # Outside it, a VGW's 100 again.
    found = bgp(lint_config(BGP_LAB, customer_dir(tmp_path / "vgw", text), None))
    assert ("bgp-prefixes", "error", line_of(text, "network 10.0.99.0/24")) in found


def test_no_bgp_default_ipv4_unicast_needs_activate(tmp_path):
    text = CLEAN.replace(" no bgp network import-check\n", " no bgp network import-check\n"
                         " no bgp default ipv4-unicast\n")  # fmt: skip
    found = bgp(lint_config(BGP_LAB, customer_dir(tmp_path, text), None))
    assert [r for r, _, _ in found] == ["bgp-not-activated"] * 2
    activated = text.replace(" exit-address-family", "  neighbor 169.254.10.1 activate\n"
                             "  neighbor 169.254.11.1 activate\n exit-address-family")  # fmt: skip
    assert bgp(lint_config(BGP_LAB, customer_dir(tmp_path / "b", activated), None)) == []


def test_peer_group_settings_count_for_their_members(tmp_path):
    text = "\n".join(
        [
            "router bgp 65000",
            " neighbor AWS peer-group",
            " neighbor AWS remote-as 64512",
            " neighbor AWS timers 10 30",
            " neighbor AWS route-map ALL in",
            " neighbor AWS route-map ALL out",
            " neighbor 169.254.10.1 peer-group AWS",
            " neighbor 169.254.11.1 peer-group AWS",
            " address-family ipv4 unicast",
            "  network 192.168.0.0/16",
            " exit-address-family",
            "route-map ALL permit 10",
        ]
    )
    assert bgp(lint_config(BGP_LAB, customer_dir(tmp_path, text), None)) == []


def test_a_file_written_by_frr_before_7_4_or_under_datacenter_needs_no_policy(tmp_path):
    bare = CLEAN.replace(" no bgp ebgp-requires-policy\n", "").replace(
        "frr defaults traditional\n", ""
    )
    for n, head in enumerate(["frr version 7.2\n", "frr defaults datacenter\n"]):
        found = bgp(lint_config(BGP_LAB, customer_dir(tmp_path / str(n), head + bare), None))
        assert found == [], head
    found = bgp(
        lint_config(BGP_LAB, customer_dir(tmp_path / "new", "frr version 8.4.4\n" + bare), None)
    )
    assert {r for r, _, _ in found} == {"bgp-policy"}


def test_quagga_has_no_rfc_8212_policy(tmp_path):
    quagga = CLEAN.replace(" no bgp ebgp-requires-policy\n", "")
    root = customer_dir(tmp_path, quagga, at="quagga/bgpd.conf")
    assert bgp_conf.find(["/etc/quagga/bgpd.conf"]).suite == "quagga"
    assert bgp(lint_config(BGP_LAB, root, None)) == []


def test_debians_daemons_file_starts_no_bgpd(tmp_path):
    root = customer_dir(tmp_path, frr__daemons="zebra=yes\nbgpd=no\nospfd=no\n")
    assert bgp(lint_config(BGP_LAB, root, None)) == [("bgp-daemons", "error", "2")]
    root = customer_dir(tmp_path / "on", frr__daemons="bgpd=yes\n")
    assert bgp(lint_config(BGP_LAB, root, None)) == []


def test_a_bgp_lab_without_a_bgp_file_and_a_static_lab_with_one(tmp_path):
    found = lint_config(BGP_LAB, customer_dir(tmp_path, None), None)
    assert bgp(found) == [("bgp-config-missing", "error", str(tmp_path / "etc"))]
    found = lint_config(SEED_LAB, customer_dir(tmp_path / "static"), None)
    assert [(r, s) for r, s, _ in bgp(found)] == [("bgp-static-lab", "warning")]


def test_every_bgp_rule_is_tested():
    tested = {c[0] for c in CASES} | {
        "bgp-neighbors",
        "bgp-prefixes",
        "bgp-not-activated",
        "bgp-daemons",
        "bgp-config-missing",
        "bgp-static-lab",
    }
    assert tested == set(BGP_RULES)


BGP_FIXTURES = ["quagga-ipsec-vti", "frr-bgpd-conf-ipsec-vti", "frr-vtysh-ipsec-vti"]


@pytest.mark.parametrize("name", BGP_FIXTURES)
def test_public_customers_files_against_the_lab_init_writes_for_them(name):
    """`vpnlab init --from-cgw-config` reads the BGP file too (ASNs, inside CIDRs from
    the neighbours); lint of the same files against that lab finds no BGP error."""
    lab = parse_lab(lab_text(cgw_fixture(name)), name)
    assert lab.vpn.routing == "bgp" and lab.vpn.tunnel_interface == "vti"
    config = {
        "quagga-ipsec-vti": (65000, ("169.254.54.16/30", "169.254.227.236/30")),
        "frr-bgpd-conf-ipsec-vti": (65000, ("169.254.10.0/30", "169.254.11.0/30")),
        "frr-vtysh-ipsec-vti": (65016, ("169.254.27.164/30", "169.254.141.224/30")),
    }[name]
    assert (lab.vpn.customer_gateway_asn, tuple(str(t.inside_cidr) for t in lab.tunnels)) == config
    found = bgp(lint_config(lab, cgw_fixture(name), None))
    assert not [f for f in found if f[1] == "error"], found
    if name == "frr-vtysh-ipsec-vti":
        assert ("bgp-prefixes", "info", "22") in found  # redistribute connected


def test_the_same_quagga_file_under_another_lab_says_what_aws_would_refuse():
    text = lab_text(cgw_fixture("quagga-ipsec-vti")).replace(
        "customer_gateway_asn: 65000", "customer_gateway_asn: 65010"
    )
    found = bgp(lint_config(parse_lab(text, "q"), cgw_fixture("quagga-ipsec-vti"), None))
    assert ("bgp-local-as", "error", "24") in found
