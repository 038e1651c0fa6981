"""Lint of a Cisco ASA's configuration: the ASA's traps at their lines, the rules every
implementation's tunnels answer to, and each fix in the ASA's words."""

from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.cisco_asa.test_reading import MINIMAL
from tests.cgw.cisco_asa.test_twin import two_tunnels
from tests.cgw.router_files import by_rule, linted

SCENARIOS = Path(__file__).parents[1] / "scenarios"
TWIN = SCENARIOS / "cisco-asa-twin"
LAB = load_lab(TWIN / "lab.yml")
STATIC = load_lab(SCENARIOS / "cisco-ios-fixed" / "lab.yml")  # 169.254.249.16/30, .20/30


def lint(tmp_path, text: str, lab=STATIC) -> dict[str, list]:
    return by_rule(linted(tmp_path, lab, text, "asa.cfg"))


def test_awss_bgp_example_with_the_labs_keys_has_no_error():
    found = by_rule(lint_customer(LAB, TWIN / "cisco-asa.cfg", None))
    assert not [f for fs in found.values() for f in fs if f.severity == "error"]
    assert "read as a Cisco ASA's (ASA 9.x defaults)" in found["conf-implementation"][0].message
    assert "conf-mtu" not in found  # sysopt connection tcpmss 1379


def test_a_vti_outside_the_inside_cidr_and_pfs_off_name_their_lines(tmp_path):
    text = two_tunnels().replace(" set pfs\n", "")
    found = lint(tmp_path, text)
    [pfs] = {f.where: f for f in found["conf-asa-pfs"]}.values()  # one profile, said once
    assert pfs.where.endswith("asa.cfg:10")
    assert "IKEv2: the first CHILD_SA rekey fails" in pfs.message
    assert pfs.hint.startswith("set pfs group14")
    inside = found["conf-asa-inside"]
    assert [f.hint for f in inside] == ["ip address 169.254.249.18 255.255.255.252",
                                        "ip address 169.254.249.22 255.255.255.252"]  # fmt: skip


def test_no_route_says_the_route_by_the_vtis_nameif(tmp_path):
    text = two_tunnels()
    for route in ("route aws1 10.0.0.0 255.255.0.0 169.254.255.1 1\n",
                  "route aws2 10.0.0.0 255.255.0.0 169.254.255.5 1\n"):  # fmt: skip
        text = text.replace(route, "")
    found = lint(tmp_path, text)
    [route] = found["conf-asa-no-route"]
    assert route.hint.startswith("route aws1 10.0.0.0 255.255.0.0 <AWS's inside address")


def test_a_masked_key_is_said_once_as_such(tmp_path):
    text = two_tunnels().replace("pre-shared-key fixture_psk_tunnel1_0123456789abcdef",
                                 "pre-shared-key *****")  # fmt: skip
    found = lint(tmp_path, text)
    [masked] = found["conf-asa-masked-key"]
    assert "more system:running-config" in masked.hint
    assert "conf-psk-mismatch" not in found or all(
        "Tunnel1" not in f.message for f in found["conf-psk-mismatch"]
    )


def test_ike_disabled_and_a_crypto_map_applied_nowhere_are_errors(tmp_path):
    found = lint(tmp_path, MINIMAL.replace("crypto ikev2 enable outside\n", ""))
    assert found["conf-asa-ike-disabled"][0].hint == (
        "crypto ikev1 enable outside (IKEv2: crypto ikev2 enable outside)"
    )
    mapped = (
        "crypto ikev1 enable outside\ncrypto ikev1 policy 10\n authentication pre-share\n"
        " encryption aes-256\n hash sha256\n group 14\n"
        "crypto ipsec ikev1 transform-set T esp-aes-256 esp-sha256-hmac\n"
        "access-list VPN extended permit ip 192.168.0.0 255.255.0.0 10.0.0.0 255.255.0.0\n"
        "crypto map M 10 match address VPN\ncrypto map M 10 set peer 198.51.100.1\n"
        "crypto map M 10 set ikev1 transform-set T\ncrypto map M 10 set pfs group14\n"
        "tunnel-group 198.51.100.1 type ipsec-l2l\ntunnel-group 198.51.100.1 ipsec-attributes\n"
        " ikev1 pre-shared-key fixture_psk_tunnel1_0123456789abcdef\n"
    )
    found = lint(tmp_path, mapped)
    [unapplied] = found["conf-asa-unapplied"]
    assert unapplied.where.endswith("asa.cfg:9") and unapplied.severity == "error"
    assert unapplied.hint == "crypto map <name> interface outside"
