"""Lint of a MikroTik RouterOS export: RouterOS's traps at their lines, the rules every
implementation's tunnels answer to, and each fix in RouterOS's words."""

from pathlib import Path

from driver.lab.loader import load_lab
from tests.cgw.mikrotik.test_reading import GENERATED, PAYUNGSAK, V7
from tests.cgw.router_files import by_rule, linted

SCENARIOS = Path(__file__).parents[1] / "scenarios"
LAB = load_lab(SCENARIOS / "mikrotik-twin" / "lab.yml")


def lint(tmp_path, text: str) -> dict[str, list]:
    return by_rule(linted(tmp_path, LAB, text, "export.rsc"))


def test_the_aws_export_has_no_error_and_names_its_release(tmp_path):
    found = lint(tmp_path, V7.read_text())
    assert not [f for fs in found.values() for f in fs if f.severity == "error"]
    assert "(RouterOS 7.16 defaults)" in found["conf-implementation"][0].message
    assert "conf-mikrotik-fasttrack" not in found  # defconf accepts IPsec before it
    assert "conf-mikrotik-nat" not in found  # ipsec-policy=out,none
    [same] = found["conf-identical-selectors"]
    assert "RouterOS sends by the first matching policy" in same.message


def test_fasttrack_and_masquerade_ahead_of_the_policy_are_warned(tmp_path):
    text = V7.read_text().replace("ipsec-policy=out,none \\\n    out-interface-list=WAN",
                                  "out-interface-list=WAN")  # fmt: skip
    text = text.replace('comment="defconf: accept out ipsec policy" ipsec-policy=\\\n    out,ipsec',
                        'comment="defconf: accept out ipsec policy"')  # fmt: skip
    found = lint(tmp_path, text)
    [nat] = found["conf-mikrotik-nat"]
    assert "10.0.0.0/16" in nat.message and nat.hint.startswith("ipsec-policy=out,none")
    [fast] = found["conf-mikrotik-fasttrack"]
    assert fast.where.endswith(":32") and "skip the policy" in fast.message


def test_pfs_off_and_a_hidden_key_are_said_as_such(tmp_path):
    text = V7.read_text().replace("pfs-group=\\\n    modp2048", "pfs-group=none")
    text = text.replace(" secret=fixture_psk_tunnel2_0123456789abcdef", "")
    found = lint(tmp_path, text)
    [pfs] = found["conf-mikrotik-pfs"]  # one proposal, said once
    assert "pfs-group=none" in pfs.message and pfs.hint == "/ip ipsec proposal: pfs-group=modp2048"
    [hidden] = found["conf-mikrotik-hidden-key"]
    assert "show-sensitive" in hidden.hint
    assert all("aws-tunnel2" not in f.message for f in found.get("conf-secret-missing", []))


def test_a_generated_script_shows_one_tunnel_carrying_two_sa_pairs(tmp_path):
    found = lint(tmp_path, GENERATED.read_text())
    assert "conf-tunnel-count" in found  # tunnel 2's policy disabled
    assert "conf-sa-pairs" in found  # the inside /32s and the VPC on tunnel 1
    [disabled] = found["conf-mikrotik-disabled"]
    assert "policy 169.254.255.5/32" in disabled.message or "169.254.255.5" in disabled.message


def test_an_all_disabled_script_says_each_disabled_item(tmp_path):
    found = lint(tmp_path, PAYUNGSAK.read_text())
    assert len(found["conf-mikrotik-disabled"]) == 6  # two peers, four policies
    assert "conf-tunnel-count" in found


def test_a_masquerade_that_leaves_the_vpc_out_is_no_finding(tmp_path):
    masquerade = "ipsec-policy=out,none \\\n    out-interface-list=WAN"
    text = V7.read_text()
    assert masquerade in text
    for said in ("dst-address=!10.0.0.0/16 out-interface-list=WAN",
                 "dst-address-list=!aws out-interface-list=WAN\n"
                 "/ip firewall address-list\nadd address=10.0.0.0/16 list=aws"):  # fmt: skip
        assert "conf-mikrotik-nat" not in lint(tmp_path, text.replace(masquerade, said))
    found = lint(tmp_path, text.replace(masquerade, "dst-address=10.0.0.0/8 out-interface=e1"))
    assert "conf-mikrotik-nat" in found  # a masquerade towards the VPC itself


def test_set_changes_the_item_the_export_made_and_comments_do_not_continue(tmp_path):
    text = V7.read_text().replace("/ip ipsec peer\n", "# a path: C:\\\n/ip ipsec peer\n")
    text += "/ip ipsec policy\nset [ find peer=aws-tunnel2 ] disabled=yes\n"
    found = lint(tmp_path, text)
    assert "conf-mikrotik-undefined" not in found  # the peers' menu line was not swallowed
    assert "conf-mikrotik-disabled" in found  # tunnel 2's policy switched off by set
    assert "conf-tunnel-count" in found


def test_init_refuses_two_sa_pairs_on_one_tunnel_as_one_tunnel():
    """The generator's script holds two policies, both on tunnel 1: init does not take
    the second for AWS's tunnel 2, nor the inside addresses' /32s for the networks."""
    import pytest

    from driver.analysis.lab_from_cgw import lab_text
    from driver.core.errors import VpnlabError

    with pytest.raises(VpnlabError, match=r"1 tunnel\(s\) \(2 SA pairs\)"):
        lab_text(GENERATED)
    assert "local_network_cidr: 192.168.0.0/16" in lab_text(V7)
