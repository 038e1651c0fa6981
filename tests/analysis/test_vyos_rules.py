"""Lint of a VyOS configuration: VyOS's traps at their lines, the rules every
implementation's tunnels answer to, and each fix in VyOS's words (set commands)."""

from pathlib import Path

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.router_files import by_rule, edited, errors, linted
from tests.cgw.vyos.test_reading import SAMPLE

SCENARIOS = Path(__file__).parents[1] / "scenarios"
TWIN = SCENARIOS / "vyos-twin/show-configuration-commands.txt"
LAB = load_lab(TWIN.parent / "lab.yml")


def lab_with(tmp_path, *changes: tuple[str, str]):
    """The sample's lab with a few edits."""
    path = tmp_path / "lab.yml"
    path.write_text(edited(SCENARIOS / "vyos-aws-sample/lab.yml", *changes))
    return load_lab(path)


def lint(tmp_path, text: str, lab=LAB):
    return linted(tmp_path, lab, text)


def test_the_configuration_the_twin_runs_has_no_error():
    found = lint_customer(LAB, TWIN, None)
    assert errors(found) == []
    assert "conf-vyos-key-exchange" not in by_rule(found)  # ikev2, said


def test_awss_vyatta_sample_names_its_traps_in_vyoss_words():
    found = by_rule(lint_customer(load_lab(SCENARIOS / "vyos-aws-sample/lab.yml"), SAMPLE, None))
    syntax = found["conf-vyos-bgp-syntax"]
    assert sorted(int(f.where.rsplit(":", 1)[1]) for f in syntax) == [54, 106, 110]
    assert syntax[0].hint == (
        "set protocols bgp 65000 address-family ipv4-unicast network 0.0.0.0/0"
    )
    assert "starts IKEv2" in found["conf-vyos-key-exchange"][0].message
    assert "may be EdgeOS's, which starts IKEv1" in found["conf-vyos-key-exchange"][0].message
    assert found["conf-vyos-key-exchange"][0].severity == "info"  # AWS allows both


def test_an_ikev1_only_tunnel_and_no_key_exchange_is_an_error(tmp_path):
    lab = lab_with(tmp_path, ("tunnel_options: {}", "tunnel_options: {ike_versions: [ikev1]}"))
    found = by_rule(lint(tmp_path, SAMPLE.read_text(), lab))
    said = found["conf-vyos-key-exchange"][0]
    assert said.severity == "error" and "never IKEv1" in said.message
    assert said.hint == "set vpn ipsec ike-group AWS key-exchange ikev1"


def test_pfs_lifetimes_and_a_misplaced_vti_address_are_named_at_their_lines(tmp_path):
    text = edited(
        TWIN,
        ("set vpn ipsec esp-group AWS pfs 'enable'", "set vpn ipsec esp-group AWS pfs 'disable'"),
        ("esp-group AWS lifetime '3600'", "esp-group AWS lifetime '7200'"),
        ("vti0 address '169.254.255.2/30'", "vti0 address '169.254.255.1/30'"),
    )
    found = by_rule(lint(tmp_path, text))
    assert found["conf-vyos-pfs"][0].hint == "set vpn ipsec esp-group AWS pfs dh-group14"
    assert "pfs disable" in found["conf-vyos-pfs"][0].message
    assert found["conf-vyos-lifetime"][0].hint == "set vpn ipsec esp-group AWS lifetime 3600"
    shorter = by_rule(lint(tmp_path, edited(TWIN, ("esp-group AWS lifetime '3600'",
                                                    "esp-group AWS lifetime '1800'"))))  # fmt: skip
    assert "after the SA expired" in shorter["conf-vyos-lifetime"][0].message
    address = found["conf-vyos-vti-address"][0]
    assert address.hint == "set interfaces vti vti0 address 169.254.255.2/30"
    assert address.where.endswith(":12")


def test_undefined_groups_and_keys_are_errors_with_the_command_to_define_them(tmp_path):
    text = edited(
        TWIN,
        ("peer AWS ike-group 'AWS'", "peer AWS ike-group 'IKE'"),
        ("set vpn ipsec site-to-site peer AWS_backup authentication pre-shared-secret "
         "'fixture_psk_tunnel2_0123456789abcdef'\n", ""),
    )  # fmt: skip
    found = by_rule(lint(tmp_path, text))
    (undefined,) = found["conf-vyos-undefined"]
    assert "ike-group IKE is not defined" in undefined.message
    assert undefined.hint.startswith("set vpn ipsec ike-group <group> proposal 1 encryption")
    # a missing key is said once, by the rule every implementation answers to
    (missing,) = found["conf-secret-missing"]
    assert missing.hint.startswith("1.4: set vpn ipsec authentication psk <name> id")


def test_a_static_lab_with_nothing_routed_into_the_vtis(tmp_path):
    lab = lab_with(tmp_path, ("routing: bgp", "routing: static\n  static_routes: [192.168.0.0/16]"))
    text = "\n".join(line for line in TWIN.read_text().splitlines() if "protocols bgp" not in line)
    found = by_rule(lint(tmp_path, text, lab))
    assert found["conf-vyos-no-route"][0].hint.startswith(
        "set protocols static route 10.0.0.0/16 interface vti0"
    )


def test_bgp_announcing_nothing_is_said(tmp_path):
    text = edited(TWIN, ("set protocols bgp address-family ipv4-unicast network 192.168.0.0/16\n",
                         ""))  # fmt: skip
    found = by_rule(lint(tmp_path, text))
    assert found["conf-vyos-bgp-network"][0].hint == (
        "set protocols bgp address-family ipv4-unicast network <your network>"
    )


def test_a_line_vyos_would_not_load_is_a_syntax_error(tmp_path):
    found = by_rule(lint(tmp_path, TWIN.read_text() + "set vpn ipsec ike-group AWS lifetime '1\n"))
    assert "quote is never closed" in found["conf-vyos-syntax"][0].message
