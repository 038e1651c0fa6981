"""Lint of a pfSense config.xml: pfSense's traps at their lines, the rules every
implementation's tunnels answer to, and each fix in pfSense's words."""

from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.router_files import by_rule, edited, errors, linted

SCENARIOS = Path(__file__).parents[1] / "scenarios"
VTI = SCENARIOS / "pfsense-twin/config.xml"
LAB = load_lab(VTI.parent / "lab.yml")


def lint(tmp_path, text: str, lab=LAB):
    return linted(tmp_path, lab, text, "config.xml")


def test_the_configuration_the_twin_runs_has_no_error_and_no_selector_warning():
    found = lint_customer(LAB, VTI, None)
    assert errors(found) == []
    assert "conf-selectors" not in by_rule(found)  # a VTI's 0.0.0.0/0 is among its selectors
    (said,) = by_rule(found)["conf-implementation"]
    assert "read as a pfSense's (pfSense 2.7.2 defaults)" in said.message


def test_pfs_off_a_long_lifetime_and_a_misplaced_vti_are_named_at_their_lines(tmp_path):
    text = edited(
        VTI,
        ("<pfsgroup>14</pfsgroup>", "<pfsgroup>0</pfsgroup>"),
        ("<lifetime>3600</lifetime>", "<lifetime>28800</lifetime>"),
        ("<address>169.254.255.2</address>", "<address>169.254.255.1</address>"),
    )
    found = by_rule(lint(tmp_path, text))
    pfs = found["conf-pfsense-pfs"][0]
    assert "PFS key group is off" in pfs.message and pfs.where.endswith(":171")
    assert pfs.hint == "the phase 2: PFS key group 14 (<pfsgroup>14</pfsgroup>)"
    assert "phase 2 lifetime is 28800 s" in found["conf-pfsense-lifetime"][0].message
    address = found["conf-pfsense-vti-address"][0]
    assert "Local Network Address 169.254.255.2" in address.hint


def test_a_phase_2_no_phase_1_owns_and_a_phase_1_left_without_one(tmp_path):
    text = edited(VTI, ("<ikeid>2</ikeid>\n\t\t\t<uniqid>", "<ikeid>9</ikeid>\n\t\t\t<uniqid>"))
    found = by_rule(lint(tmp_path, text))
    messages = sorted(f.message for f in found["conf-pfsense-orphan"])
    assert "phase 1 2 has no phase 2" in messages[0]
    assert "ikeid 9, which no phase 1 has" in messages[1]
    assert "conf-tunnel-count" in found  # only tunnel 1 comes up


def test_nothing_routed_into_the_vtis_and_the_frr_package_are_said(tmp_path):
    text = edited(
        VTI,
        ("<gateway>AWS_T1_VTIV4</gateway>", "<gateway>WANGW</gateway>"),
        ("</staticroutes>", "</staticroutes>\n\t<installedpackages><frrbgp><config/></frrbgp>"
                            "</installedpackages>"),
    )  # fmt: skip
    found = by_rule(lint(tmp_path, text))
    assert found["conf-pfsense-no-route"][0].hint.startswith(
        "System > Routing > Static Routes: 10.0.0.0/16 via the gateway of ipsec1"
    )
    assert "does not read it yet" in found["conf-pfsense-frr"][0].message


def test_a_file_pfsense_would_not_load_is_a_syntax_error(tmp_path):
    found = by_rule(lint(tmp_path, "<pfsense><ipsec>"))
    assert "not XML pfSense would load" in found["conf-pfsense-syntax"][0].message
