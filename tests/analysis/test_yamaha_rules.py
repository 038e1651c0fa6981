"""Lint of a Yamaha RTX's configuration: the RTX's traps at their lines, the rules
every implementation's tunnels answer to, and each fix in the RTX's words."""

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.router_files import by_rule, edited
from tests.cgw.yamaha.test_reading import SAMPLE, SHOW_CONFIG

LAB = load_lab(SHOW_CONFIG.parent / "lab.yml")


def lint(tmp_path, text: str, lab=LAB):
    path = tmp_path / "config.txt"
    path.write_text(text)
    return lint_customer(lab, path, None)


def shown(*changes: tuple[str, str]) -> str:
    return edited(SHOW_CONFIG, *changes)


def test_the_show_config_the_twin_runs_has_no_error_and_no_mss_finding():
    found = lint_customer(LAB, SHOW_CONFIG, None)
    assert [f for f in found if f.severity == "error"] == []
    assert "conf-mtu" not in by_rule(found)  # ip tunnel tcp mss limit 1387 on both


def test_awss_sample_names_its_traps_in_the_rtxs_words():
    found = by_rule(lint_customer(load_lab(SAMPLE.parent / "lab.yml"), SAMPLE, None))
    assert len(found["bgp-remote-as"]) == 2
    assert found["bgp-remote-as"][0].hint.startswith("bgp neighbor <id> <the VGW's ASN>")
    assert [f.where.rsplit(":", 1)[1] for f in found["conf-yamaha-phase2-id"]] == ["66", "185"]
    assert "conf-yamaha-no-refresh" not in found and "conf-yamaha-pfs" not in found


def test_an_rtx_left_at_its_initial_values_never_starts_and_offers_no_pfs(tmp_path):
    text = shown(
        ("ipsec auto refresh on\n", ""),
        ("  ipsec ike pfs 1 on\n", ""),
        ("  ipsec ike encryption 1 aes-cbc\n", ""),
        ("  ipsec ike duration ipsec-sa 2 3600\n", ""),
        ("  ipsec ike keepalive use 2 on dpd 10 3\n", ""),
    )
    found = by_rule(lint(tmp_path, text))
    assert len(found["conf-no-initiator"]) == 2  # AWS waits too (add)
    assert found["conf-no-initiator"][0].hint.startswith("ipsec auto refresh on")
    assert found["conf-yamaha-pfs"][0].hint == "ipsec ike pfs 1 on"
    assert "3des-cbc" in found["conf-no-common-ike"][0].message  # the initial cipher
    assert found["conf-yamaha-lifetime"][0].message.startswith(
        "tunnel 2: the ipsec-sa lifetime is 28800 s"
    )
    assert "ipsec ike keepalive use is auto" in found["conf-yamaha-keepalive"][0].message


def test_a_tunnel_left_disabled_or_its_policy_undefined_is_named(tmp_path):
    text = shown((" tunnel enable 2\n", ""), ("ipsec tunnel 201", "ipsec tunnel 209"))
    found = by_rule(lint(tmp_path, text))
    assert found["conf-yamaha-disabled"][0].hint == "tunnel select 2, then tunnel enable 2"
    assert "SA policy 209, which is not defined" in found["conf-yamaha-undefined"][0].message
    assert "conf-tunnel-count" in found  # neither is a tunnel the RTX brings up


def test_addresses_routes_and_nat_traversal_in_the_rtxs_words(tmp_path):
    text = shown(
        ("ip tunnel address 169.254.255.6/30", "ip tunnel address 169.254.255.5/30"),
        ("ip route 10.0.0.0/16 gateway tunnel 1 hide gateway tunnel 2 hide\n", ""),
        ("ipsec ike local address 1 203.0.113.10", "ipsec ike local address 1 192.168.0.1"),
    )
    found = by_rule(lint(tmp_path, text))
    assert found["conf-yamaha-tunnel-address"][0].hint == "ip tunnel address 169.254.255.6/30"
    assert found["conf-yamaha-no-route"][0].hint == (
        "ip route 10.0.0.0/16 gateway tunnel 1 hide gateway tunnel 2 hide"
    )
    assert found["conf-yamaha-nat-t"][0].hint == "ipsec ike nat-traversal 1 on"


def test_bgp_importing_for_an_as_no_neighbour_has_announces_nothing(tmp_path):
    text = shown() + (
        "bgp use on\nbgp autonomous-system 65000\n"
        "bgp neighbor 1 64512 169.254.255.1 hold-time=30\n"
        "bgp neighbor 2 64512 169.254.255.5 hold-time=30\n"
        "bgp import filter 1 equal 0.0.0.0/0\nbgp import 7224 static filter 1\n"
    )
    lab = load_lab(SAMPLE.parent / "lab.yml")
    found = by_rule(lint(tmp_path, text, lab))
    assert "names AS 7224, which no neighbour has (64512)" in (
        found["conf-yamaha-bgp-import"][0].message
    )
    assert found["conf-yamaha-bgp-import"][0].hint.startswith("bgp import 64512 static filter 1")


def test_a_command_outside_its_tunnel_and_ikev2_offering_all_are_said(tmp_path):
    text = "ip tunnel address 169.254.255.2/30\n" + shown(
        ("  ipsec ike duration ipsec-sa 1 3600", "  ipsec ike version 1 2"),
    )
    found = by_rule(lint(tmp_path, text))
    assert "outside any 'tunnel select'" in found["conf-yamaha-syntax"][0].message
    assert found["conf-yamaha-syntax"][0].where.endswith(":1")
    (limited,) = found["conf-yamaha-proposal-limitation"]
    assert "3DES, DES, MD5 and modp768 among them" in limited.message
    assert limited.hint == "ipsec ike proposal-limitation 1 on, to offer only what is configured"


def test_an_ah_sa_policy_offers_nothing_aws_carries(tmp_path):
    text = shown(
        ("ipsec sa policy 201 1 esp aes-cbc sha256-hmac", "ipsec sa policy 201 1 ah sha-hmac")
    )
    found = by_rule(lint(tmp_path, text))
    assert "no ESP proposal in 'ah sha-hmac'" in found["conf-no-common-esp"][0].message
