"""Lint of an OPNsense config.xml: OPNsense's traps at their lines, the rules every
implementation's tunnels answer to (its proposals judged as strongSwan's), and each
fix in OPNsense's words."""

from pathlib import Path

from driver.lab.loader import load_lab
from tests.cgw.opnsense.test_reading import VTI
from tests.cgw.router_files import by_rule, linted

SCENARIOS = Path(__file__).parents[1] / "scenarios"
LAB = load_lab(SCENARIOS / "opnsense-twin" / "lab.yml")


def lint(tmp_path, text: str) -> dict[str, list]:
    return by_rule(linted(tmp_path, LAB, text, "config.xml"))


def test_the_vti_configuration_has_no_error_or_warning(tmp_path):
    found = lint(tmp_path, VTI.read_text())
    assert not [f for fs in found.values() for f in fs if f.severity in ("error", "warning")]
    assert "read as an OPNsense's (OPNsense 25.x defaults)" in (
        found["conf-implementation"][0].message
    )
    assert "conf-defaults-appended" not in found  # swanctl's proposals are as written


def test_a_vti_address_outside_the_inside_cidr_and_no_route(tmp_path):
    text = VTI.read_text().replace("<tunnel_local>169.254.255.2</tunnel_local>",
                                   "<tunnel_local>169.254.255.9</tunnel_local>")  # fmt: skip
    text = text.replace("<gateway>AWS_T1_GW</gateway>", "<gateway>WAN_GW</gateway>")
    text = text.replace("<gateway>AWS_T2_GW</gateway>", "<gateway>WAN_GW</gateway>")
    found = lint(tmp_path, text)
    [address] = found["conf-opnsense-vti-address"]
    assert "169.254.255.9" in address.message and "169.254.255.2" in address.hint
    [route] = found["conf-opnsense-no-route"]
    assert "aws-tunnel1 and aws-tunnel2" in route.message


def test_pfs_left_to_strongswans_default_says_opnsenses_words(tmp_path):
    text = VTI.read_text().replace("<esp_proposals>aes256-sha256-modp2048</esp_proposals>",
                                   "<esp_proposals>default</esp_proposals>")  # fmt: skip
    found = lint(tmp_path, text)
    pfs = found["conf-no-pfs"]
    assert len(pfs) == 2  # each child
    assert all("OPNsense's 'default' is strongSwan's" in f.hint for f in pfs)
