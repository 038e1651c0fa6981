"""Lint of a FortiGate's configuration: FortiOS's traps at their lines, the rules
every implementation's tunnels answer to, and each fix in FortiOS's words."""

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab, parse_lab
from tests.cgw.fortigate.test_reading import FIXED, SAMPLE
from tests.cgw.router_files import by_rule

LAB = load_lab(FIXED.parent / "lab.yml")


def lint(tmp_path, text: str):
    path = tmp_path / "fortigate.conf"
    path.write_text(text)
    return lint_customer(LAB, path, None)


def test_the_fixed_sample_has_no_error_and_no_release_dependent_default():
    found = by_rule(lint_customer(LAB, FIXED, None))
    assert not [f for fs in found.values() for f in fs if f.severity == "error"]
    assert "conf-fortigate-default" not in found


def test_awss_sample_as_pasted_names_its_traps_in_fortios_words():
    found = by_rule(lint_customer(LAB, SAMPLE, None))
    [first, *_] = found["conf-fortigate-unterminated"]
    assert first.where.endswith(":39") and "phase2-interface is never closed" in first.message
    assert "close every entry with 'next'" in first.hint
    [count] = found["conf-tunnel-count"]
    assert "1 tunnel(s) FortiGate would load" in count.message
    assert "phase1-interface" in count.hint  # the fix in FortiOS's words, not ipsec.conf's
    [waits] = found["conf-no-initiator"]
    assert "auto-negotiate" in waits.message and "set auto-negotiate enable" in waits.hint
    [default] = found["conf-fortigate-default"]
    assert "ike-version" in default.message and "(7.4: 1, 8.0: 2)" in default.message
    assert all("plain-text-password" not in f.message for fs in found.values() for f in fs)


PHASES = """\
config vpn ipsec phase1-interface
    edit "t1"
        set remote-gw 198.51.100.1
        set ike-version 2
        set dhgrp 14
        {proposal1}
    next
    edit "t2"
        set remote-gw 198.51.100.2
        set ike-version 2
        set dhgrp 14
        set proposal aes256-sha256
    next
end
config vpn ipsec phase2-interface
    edit "t1"
        set phase1name "{phase1name}"
        set proposal aes256-sha256
        set dhgrp 14
        {pfs}
        set auto-negotiate enable
    next
    edit "t2"
        set phase1name "t2"
        set proposal aes256-sha256
        set dhgrp {dhgrp2}
        set auto-negotiate enable
    next
end
"""


def test_a_phase_2_naming_no_phase_1_and_a_phase_without_proposal(tmp_path):
    found = by_rule(
        lint(tmp_path, PHASES.format(proposal1="", phase1name="t9", pfs="", dhgrp2="14"))
    )
    [orphan] = found["conf-fortigate-phase1name"]
    assert "names phase 1 't9', which is not defined" in orphan.message
    assert "t1, t2" in orphan.hint
    found = by_rule(
        lint(tmp_path, PHASES.format(proposal1="", phase1name="t1", pfs="", dhgrp2="14"))
    )
    [missing] = found["conf-fortigate-no-proposal"]
    assert missing.where.endswith(":2") and "states no default list" in missing.message


def test_phase_2_without_pfs_or_with_groups_aws_does_not_rekey_with(tmp_path):
    text = (FIXED.parent / "lab.yml").read_text()
    only_14 = parse_lab(
        text.replace("tunnel_options: {}", "tunnel_options: {phase2: {dh_groups: [14]}}")
    )
    path = tmp_path / "fortigate.conf"
    path.write_text(
        PHASES.format(
            proposal1="set proposal aes256-sha256",
            phase1name="t1",
            pfs="set pfs disable",
            dhgrp2="2",
        )
    )
    off, groups = [f for f in lint_customer(only_14, path, None) if f.rule == "conf-fortigate-pfs"]
    assert off.where.endswith(":20") and "AWS requires PFS when it rekeys" in off.message
    assert (
        groups.where.endswith(":26")
        and "DH groups [2] are none of those AWS rekeys with (14)" in groups.message
    )
    assert "set dhgrp" in groups.hint


def test_init_writes_a_lab_from_a_fortigate_with_the_defaults_it_relies_on():
    from driver.analysis.lab_from_cgw import lab_text, next_command

    text = lab_text(FIXED)
    lab = parse_lab(text)
    assert [str(t.inside_cidr) for t in lab.tunnels] == ["169.254.255.0/30", "169.254.255.4/30"]
    assert lab.tunnels[0].options.ike_versions == ("ikev2",)
    assert lab.tunnels[0].preshared_key == "fixture_psk_tunnel1_0123456789abcdef"
    assert "# FortiOS 7.4's defaults for what the file leaves out: phase1 mode main" in text
    said = next_command(FIXED.parent / "lab.yml", FIXED, None, None)
    assert said.removeprefix("sudo ").startswith("vpnlab check")  # sudo: not root (invocation)


def test_config_router_bgp_is_judged_by_the_bgp_rules_with_fixes_in_fortios_words(tmp_path):
    text = FIXED.read_text().replace(
        "\nconfig router static\n",
        "\nconfig router bgp\n set as 65000\n config neighbor\n  edit 169.254.255.1\n"
        "   set remote-as 7224\n  next\n  edit 169.254.255.5\n   set remote-as 64512\n"
        "  next\n end\nend\nconfig router static\n",
    )
    found = by_rule(lint(tmp_path, text))
    assert "bgp-static-lab" in found  # this lab is static: AWS speaks no BGP on it
    bgp_lab = load_lab(FIXED.parents[1] / "cisco-ios-bgp" / "lab.yml")  # BGP, 169.254.255.x
    path = tmp_path / "bgp.conf"
    path.write_text(text)
    [remote] = by_rule(lint_customer(bgp_lab, path, None))["bgp-remote-as"]
    assert "remote-as 7224" in remote.message and "config neighbor" in remote.hint
