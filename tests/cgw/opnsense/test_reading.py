"""An OPNsense config.xml read as OPNsense writes swanctl.conf from it: the
Connections model's items joined by their connection's uuid, each child a record
with its connection's IKE side, its local and remote rounds, its VTI (by reqid),
the pre-shared key whose identities are the connection's, and the static routes
through a gateway on a VTI's far end; what the file leaves empty taken from the
model's defaults or strongSwan's."""

from pathlib import Path

import pytest

from driver.cgw.detect import detect
from driver.cgw.opnsense.conf import parse
from driver.cgw.opnsense.dialect import DIALECT, read
from driver.cgw.opnsense.tunnels import opn_tunnels, record, static_routes

HERE = Path(__file__).parent
VTI = HERE / "aws-vti.xml"
PFSENSE = HERE.parent / "pfsense" / "pfsensible-ipsec.xml"


def tunnels(text: str):
    conf = parse(text, "config.xml")
    found = opn_tunnels(conf)
    static_routes(conf, found)
    return conf, found


def test_an_opnsense_config_is_opnsenses_and_a_pfsense_one_stays_pfsenses():
    assert detect(VTI).implementation == "opnsense"
    assert detect(PFSENSE).implementation == "pfsense"
    assert "read it as pfSense's" in parse(PFSENSE.read_text(), "p").problems[0][1]


def test_each_child_is_a_record_with_its_connection_vti_key_and_routes():
    conf, (one, two) = tunnels(VTI.read_text())
    assert not conf.problems and not one.problems
    assert (one.name, one.remote_addrs, two.remote_addrs) == (
        "aws-tunnel1", "198.51.100.1", "198.51.100.2")  # fmt: skip
    assert one.address == "169.254.255.2/30" and one.routes == ["10.0.0.0/16"]
    assert one.key.secret == "fixture_psk_tunnel1_0123456789abcdef"  # by its identities
    assert two.key.secret.startswith("fixture_psk_tunnel2")
    made = record(one)
    assert (made.ike, made.esp, made.version) == ("aes256-sha256-modp2048",) * 2 + ("2",)
    assert made.route_based[0][1] == "VTI ipsec1" and made.keyingtries == "%forever"
    assert read(VTI).inside_cidrs == ("169.254.255.0/30", "169.254.255.4/30")
    [ike] = DIALECT.proposals(made.ike)
    assert ike["enc"] == {"AES256"} and ike["dh"] == {14} and ike["prf"] == {"SHA2-256"}


def test_what_the_file_leaves_empty_is_the_models_or_strongswans():
    text = VTI.read_text()
    child = text.index("<child uuid")
    end = text.index("</child>", child)
    block = text[child:end].replace(
        "<esp_proposals>aes256-sha256-modp2048</esp_proposals>", "<esp_proposals/>"
    )
    block = "\n".join(line for line in block.splitlines()
                      if not line.strip().startswith(("<start_action", "<dpd_action", "<local_ts",
                                                      "<remote_ts")))  # fmt: skip
    text = text[:child] + block + text[end:]
    _, (one, _) = tunnels(text)
    made = record(one)
    assert made.esp == "default" and made.start_action == "start" and made.dpdaction == "clear"
    assert "child aws-tunnel1: esp_proposals default" in one.defaulted
    assert (made.local_ts, made.remote_ts) == ("0.0.0.0/0", "0.0.0.0/0")  # a VTI's child


@pytest.mark.parametrize(
    "old, new, rule",
    [
        ("<policies>0</policies>", "<policies>1</policies>", "conf-opnsense-vti"),
        (
            "<reqid>1</reqid>\n          <esp",
            "<reqid>7</reqid>\n          <esp",
            "conf-opnsense-vti",
        ),
        ("<mode>tunnel</mode>", "<mode>transport</mode>", "conf-opnsense-mode"),
        (
            "<auth>psk</auth>\n          <id>203",
            "<auth>pubkey</auth>\n          <id>203",
            "conf-opnsense-auth",
        ),
    ],  # fmt: skip
)
def test_what_opnsense_would_not_bring_up_is_a_problem_at_its_line(old, new, rule):
    text = VTI.read_text()
    assert old in text, old
    _, found = tunnels(text.replace(old, new, 1))
    assert any(r == rule and ":" in where for t in found for r, where, _ in t.problems)


def test_an_item_pointing_to_no_connection_is_said():
    text = VTI.read_text().replace(
        "<connection>a7c0e1d2-3b4c-4d5e-8f60-718293a4b5c2</connection>\n          <round>0",
        "<connection>gone</connection>\n          <round>0", 1)  # fmt: skip
    conf, (_, two) = tunnels(text)
    assert "points to connection gone" in conf.problems[0][1]
    assert any(r == "conf-opnsense-orphan" for r, _, _ in two.problems)  # no local round


@pytest.mark.parametrize(
    "text, said",
    [
        ("<pfsense><ipsec/></pfsense>", "a pfSense config.xml"),
        ("<ipsec><phase1/></ipsec>", "no OPNsense config.xml"),
        ("<!DOCTYPE x [<!ENTITY a 'b'>]><opnsense/>", "document type"),
        ("---- BEGIN config.xml ----\nabc", "encrypted backup"),
    ],
)
def test_what_is_not_an_opnsense_config_is_said(text, said):
    assert said in parse(text, "x").problems[0][1]
