"""Lint of a Juniper SRX's configuration: Junos's traps at their lines, the rules every
implementation's tunnels answer to, and each fix in Junos's words."""

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.junos.test_reading import FIXED, HIERARCHICAL, SAMPLE
from tests.cgw.router_files import by_rule, errors

LAB = load_lab(FIXED.parent / "lab.yml")


def lint(tmp_path, text: str):
    path = tmp_path / "junos.conf"
    path.write_text(text)
    return lint_customer(LAB, path, None)


def test_the_fixed_srx_has_no_error_in_either_form():
    assert errors(lint_customer(LAB, FIXED, None)) == []
    assert errors(lint_customer(LAB, HIERARCHICAL, None)) == []


def test_awss_sample_names_its_traps_in_junos_words():
    found = by_rule(lint_customer(load_lab(SAMPLE.parent / "lab.yml"), SAMPLE, None))
    assert len(found["bgp-remote-as"]) == 2
    assert found["bgp-remote-as"][0].hint.startswith("set protocols bgp group <group> neighbor")
    # bgpd's own packets start an on-traffic VPN again: no "stays down" for a BGP router
    assert "conf-dpdaction" not in found and "conf-junos-on-traffic" not in found


def test_on_traffic_with_static_routes_and_no_route_at_all(tmp_path):
    text = FIXED.read_text().replace("establish-tunnels immediately", "df-bit clear")
    found = by_rule(lint(tmp_path, text))
    assert [f.message.split(":")[0] for f in found["conf-junos-on-traffic"]] == ["vpn-1", "vpn-2"]
    assert "establish-tunnels immediately" in found["conf-junos-on-traffic"][0].hint
    text = "\n".join(line for line in FIXED.read_text().splitlines() if "static route" not in line)
    [route] = by_rule(lint(tmp_path, text))["conf-junos-no-route"]
    assert route.hint == "set routing-options static route 10.0.0.0/16 next-hop [ st0.1 st0.2 ]"


def test_no_pfs_undefined_names_a_wrong_unit_address_and_a_policy_based_vpn(tmp_path):
    text = (
        FIXED.read_text()
        .replace(
            "set security ipsec policy ipsec-pol-vpn perfect-forward-secrecy keys group14\n", ""
        )
        .replace("gw-vpn-2 ike-policy ike-pol-vpn-2", "gw-vpn-2 ike-policy ike-pol-vpn-9")
        .replace(
            "st0.1 family inet address 169.254.255.2/30",
            "st0.1 family inet address 169.254.255.9/30",
        )
    )
    found = by_rule(lint(tmp_path, text))
    assert "no perfect-forward-secrecy (Junos's default)" in found["conf-junos-pfs"][0].message
    assert "refuses the first rekey" in found["conf-junos-pfs"][0].message  # IKEv2
    [undefined] = found["conf-junos-undefined"]
    assert "names ike policy 'ike-pol-vpn-9'" in undefined.message
    [unit] = found["conf-junos-unit"]
    assert unit.hint == (
        "delete interfaces st0.1 family inet address 169.254.255.9/30; "
        "set interfaces st0.1 family inet address 169.254.255.2/30"
    )
    policy_based = FIXED.read_text().replace(
        "set security ipsec vpn vpn-2 bind-interface st0.2\n", ""
    )
    assert by_rule(lint(tmp_path, policy_based))["conf-junos-policy-based"][0].message.startswith(
        "vpn vpn-2 binds no st0 unit"
    )


def test_a_proposal_without_its_algorithm_and_an_encrypted_key(tmp_path):
    text = (
        FIXED.read_text()
        .replace("set security ike proposal ike-prop-vpn-1 encryption-algorithm aes-256-cbc\n", "")
        .replace("ascii-text fixture_psk_tunnel2_0123456789abcdef", 'ascii-text "$9$AbCdEf"')
    )
    found = by_rule(lint(tmp_path, text))
    assert "sets no encryption-algorithm" in found["conf-junos-proposal"][0].message
    assert found["conf-junos-encrypted-key"][0].message.startswith("ike policy ike-pol-vpn-2")
    # an encrypted key is said once, as such, not also as a missing one
    assert not [f for f in found.get("conf-secret-missing", []) if f.message.startswith("vpn-2")]
    assert "conf-junos-syntax" not in found
    groups = tmp_path / "groups.conf"
    groups.write_text("groups {\n g {\n  security {\n   ike {\n   }\n  }\n }\n}\napply-groups g;\n")
    [said] = by_rule(lint_customer(LAB, groups, None, "junos"))["conf-junos-syntax"]
    assert "configuration groups are not expanded" in said.message


def test_no_nat_traversal_on_a_private_local_address_is_said(tmp_path):
    text = FIXED.read_text() + (
        "set security ike gateway gw-vpn-1 local-address 192.168.0.10\n"
        "set security ike gateway gw-vpn-1 no-nat-traversal\n"
        "set security ike gateway gw-vpn-2 no-nat-traversal\n"  # no local address: unknown
    )
    [said] = by_rule(lint(tmp_path, text))["conf-junos-nat-t"]
    assert said.message.startswith("gateway gw-vpn-1: its local address 192.168.0.10")
    assert said.hint == "delete security ike gateway gw-vpn-1 no-nat-traversal"
