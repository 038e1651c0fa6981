"""pfSense config.xml backups — pfsensible's public fixtures (pfSense 22.2's form) and
a two-tunnel Routed VTI configuration in pfSense 2.7's (sources in each file's
header) — read into tunnel records as pfSense's ipsec_setup_tunnels would group and
write them, with their lines."""

import contextlib
from pathlib import Path

import pytest

from driver.cgw.dialects import ROUTERS
from driver.cgw.pfsense.conf import parse
from driver.cgw.pfsense.tunnels import pf_tunnels
from driver.cgw.pfsense.twin import twin
from driver.cgw.router import Untranslatable
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


def test_an_empty_iketype_is_ikev1_that_pfsense_never_reauthenticates():
    tunnels = pf_tunnels(parse(edited(VTI, ("<iketype>ikev2</iketype>", "<iketype></iketype>")),
                               "f"))  # fmt: skip
    assert [t.version for t in tunnels] == ["1", "1"]
    assert tunnels[0].ike_renewal() == (0, 0)  # reauth derived only for a literal ikev1
    assert "phase 1 1 iketype (empty: IKEv1, never reauthenticated)" in tunnels[0].defaulted
    assert tunnels[0].label == "phase 1 1 phase 2 1 (AWS tunnel 1)"  # a child per phase 2
    said = pf_tunnels(parse(edited(VTI, ("<iketype>ikev2</iketype>", "<iketype>ikev1</iketype>")),
                            "f"))  # fmt: skip
    assert said[0].ike_renewal() == (0, 25920)  # 90% of 28800


def test_splitconn_makes_a_child_per_phase_2_and_rekey_times_are_pfsenses():
    text = edited(
        VTI,
        ("<remote-gateway>198.51.100.1</remote-gateway>",
         "<remote-gateway>198.51.100.1</remote-gateway>\n\t\t\t<splitconn></splitconn>"),
        ("<reauth_time></reauth_time>", "<reauth_time>27000</reauth_time>"),
        ("<lifetime>3600</lifetime>\n\t\t\t<rekey_time></rekey_time>",
         "<lifetime>3600</lifetime>\n\t\t\t<rekey_time>1800</rekey_time>"),
    )  # fmt: skip
    first, second = pf_tunnels(parse(text, "f"))
    assert first.split and not second.split
    assert first.ike_renewal() == (25920, 27000)  # IKEv2: a reauthentication beside rekeys
    assert first.child_rekey() == 1800  # its rekey_time, where it says one
    assert pf_tunnels(parse(VTI.read_text(), "f"))[0].child_rekey() == 3240  # else 90%


def test_mobile_clients_and_disabled_entries_bring_up_nothing():
    mobile = (
        "<phase1>\n<ikeid>3</ikeid>\n<iketype>ikev2</iketype>\n<mobile></mobile>\n"
        "<authentication_method>eap-mschapv2</authentication_method>\n<encryption><item>"
        "<encryption-algorithm><name>aes</name><keylen>256</keylen></encryption-algorithm>"
        "<hash-algorithm>sha256</hash-algorithm><dhgroup>14</dhgroup></item></encryption>\n"
        "</phase1>\n<phase2>\n<ikeid>3</ikeid>\n<mode>tunnel</mode>\n<reqid>3</reqid>\n"
        "<localid><type>lan</type></localid>\n</phase2>\n</ipsec>"
    )
    disabled = ("<ikeid>2</ikeid>\n\t\t\t<iketype>",
                "<ikeid>2</ikeid>\n\t\t\t<disabled></disabled>\n\t\t\t<iketype>")  # fmt: skip
    text = edited(VTI, ("</ipsec>", mobile), disabled)
    assert [t.ikeid for t in pf_tunnels(parse(text, "f"))] == ["1"]
    read = PFSENSE.read(VTI, None)
    assert [t.keyingtries for t in read.tunnels] == ["1", "1"]  # pfSense writes none


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
        ("<ipsec><phase1/></ipsec>", "a backup of one area (<ipsec>)"),
        ("---- BEGIN config.xml ----\nU2FsdGVk\n", "an encrypted backup"),
        (
            "<pfsense><ipsec><phase1><ikeid>1</ikeid><encryption-algorithm><name>aes</name>"
            "</encryption-algorithm></phase1></ipsec></pfsense>",
            "the form before pfSense 2.4.4",
        ),
        ("<pfsense>" + "<a>" * 80 + "</a>" * 80 + "</pfsense>", "nested deeper"),
    ],
)
def test_what_pfsense_would_not_load_is_a_problem_with_its_line(text, said):
    conf = parse(text, "f")
    assert any(said in what for _, what in conf.problems), conf.problems
    assert pf_tunnels(conf) == [] or conf.product == "pfSense"


def test_malformed_elements_never_crash_the_reader_or_the_twin():
    lines = VTI.read_text().splitlines()
    for i in range(len(lines)):
        for text in ("\n".join(lines[:i]), "\n".join(lines[:i] + lines[i + 1 :])):
            conf = parse(text, "f")
            for t in pf_tunnels(conf):
                t.ike_words(), t.esp_words(), t.selectors("local"), t.vti_addresses()
            with contextlib.suppress(Untranslatable):  # refused, saying why: never a crash
                twin(conf, "f")
