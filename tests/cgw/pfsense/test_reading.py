"""pfSense config.xml backups — pfsensible's public fixtures (pfSense 22.2's form) and
a two-tunnel Routed VTI configuration in pfSense 2.7's (sources in each file's
header) — read into tunnel records as pfSense's ipsec_setup_tunnels would group and
write them, with their lines."""

from pathlib import Path

import pytest

from driver.cgw.dialects import ROUTERS
from driver.cgw.pfsense.conf import parse
from driver.cgw.pfsense.tunnels import pf_tunnels
from tests.cgw.router_files import edited

HERE = Path(__file__).parent
POLICY = HERE / "pfsensible-ipsec.xml"
AGGREGATE = HERE / "pfsensible-aggregate.xml"
VTI = HERE.parents[1] / "scenarios/pfsense-twin/config.xml"
PFSENSE = ROUTERS["pfsense"]


def test_an_ikev2_phase_1s_phase_2s_are_one_child_with_every_selector():
    read = PFSENSE.read(POLICY, None)
    first = read.tunnels[0]
    assert (first.name, first.right, first.version, first.line) == (
        "phase 1 1 (test_tunnel)", "1.2.4.8", "2", 72)  # fmt: skip
    # each encryption item, in order, with its hash and group (prf off: not selected)
    assert first.ike.split(",")[:2] == ["aes128-sha256-modp2048", "aes256-sha256-modp2048"]
    # AEAD first, without a hash; then each cipher with each hash; the PFS group on each
    assert first.esp == "aes128gcm128-modp2048,aes128-sha256-modp2048"
    assert first.local_ts == "192.168.1.0/24,192.168.1.0/24"  # <type>lan</type>, twice
    assert first.remote_ts == "10.20.30.40/24,10.20.30.50/24"
    assert first.start_action == "trap"  # pfSense's default: on traffic
    assert read.problems == []


def test_ikev1_and_splitconn_make_a_child_per_phase_2():
    text = edited(VTI, ("<iketype>ikev2</iketype>", "<iketype></iketype>"))
    tunnels = pf_tunnels(parse(text, "f"))
    assert [t.version for t in tunnels] == ["1", "1"]
    assert "phase 1 1 iketype (empty: IKEv1)" in tunnels[0].defaulted
    assert tunnels[0].label == "phase 1 1 phase 2 1 (AWS tunnel 1)"
    assert tunnels[0].ike_rekey() == 25920  # IKEv1 reauthenticates at 90% of 28800


def test_a_routed_vti_is_its_ipsec_interface_with_its_addresses_and_routes():
    read = PFSENSE.read(VTI, None)
    assert read.inside_cidrs == ("169.254.255.0/30", "169.254.255.4/30")
    assert [t.start_action for t in read.tunnels] == ["start", "start"]  # a VTI starts
    assert [t.dpdaction for t in read.tunnels] == ["restart", "restart"]
    assert [s.secret for s in read.secrets] == [
        "fixture_psk_tunnel1_0123456789abcdef", "fixture_psk_tunnel2_0123456789abcdef"]  # fmt: skip
    tunnels = pf_tunnels(parse(VTI.read_text(), "f"))
    assert tunnels[0].ifname == "ipsec1"
    assert tunnels[0].selectors("local") == "169.254.255.2,0.0.0.0/0,::/0"


def test_disabled_entries_and_phase_1s_without_a_proposal_bring_up_nothing():
    text = edited(
        VTI,
        ("<ikeid>2</ikeid>\n\t\t\t<iketype>", "<ikeid>2</ikeid>\n\t\t\t<disabled></disabled>\n"
                                             "\t\t\t<iketype>"),
    )  # fmt: skip
    assert [t.ikeid for t in pf_tunnels(parse(text, "f"))] == ["1"]


@pytest.mark.parametrize(
    "text, said",
    [
        ("<pfsense><ipsec>", "not XML pfSense would load"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><pfsense/>', "document type"),
        ("<opnsense><ipsec/></opnsense>", "an OPNsense config.xml"),
        ("<config/>", "no pfSense config.xml"),
        ("<pfsense>" + "<a>" * 80 + "</a>" * 80 + "</pfsense>", "nested deeper"),
    ],
)
def test_what_pfsense_would_not_load_is_a_problem_with_its_line(text, said):
    conf = parse(text, "f")
    assert any(said in what for _, what in conf.problems), conf.problems
    assert pf_tunnels(conf) == [] or conf.product == "pfSense"


def test_malformed_elements_never_crash_the_reader():
    lines = VTI.read_text().splitlines()
    for i in range(len(lines)):
        for text in ("\n".join(lines[:i]), "\n".join(lines[:i] + lines[i + 1 :])):
            conf = parse(text, "f")
            for t in pf_tunnels(conf):
                t.ike_words(), t.esp_words(), t.selectors("local"), t.vti_addresses()
