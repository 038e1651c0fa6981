"""Lint of a Cisco IOS router's configuration: IOS's traps at their lines, the rules
every implementation's tunnels answer to, and each fix in IOS's words."""

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.cisco_ios.test_reading import FIXED, FLAT, IKEV2, SAMPLE
from tests.cgw.router_files import by_rule, edited

LAB = load_lab(FIXED.parent / "lab.yml")


def lint(tmp_path, text: str) -> dict[str, list]:
    path = tmp_path / "router.cfg"
    path.write_text(text)
    return by_rule(lint_customer(LAB, path, None))


def fixed(*changes: tuple[str, str]) -> str:
    return edited(FIXED, *changes)


def test_the_fixed_sample_has_no_error():
    found = by_rule(lint_customer(LAB, FIXED, None))
    assert not [f for fs in found.values() for f in fs if f.severity == "error"]
    assert "read as a Cisco IOS router's (IOS XE 17 defaults)" in (
        found["conf-implementation"][0].message
    )


def test_awss_sample_routes_nothing_into_its_tunnels_and_holds_a_placeholder_key():
    found = by_rule(lint_customer(LAB, SAMPLE, None))
    [route] = found["conf-cisco-no-route"]
    assert route.where.endswith(":113") and "Tunnel1 and Tunnel2" in route.message
    assert route.hint == (
        "ip route 10.0.0.0 255.255.0.0 Tunnel1; ip route 10.0.0.0 255.255.0.0 Tunnel2"
    )
    assert [f.where.rsplit(":", 1)[1] for f in found["conf-psk-mismatch"]] == ["40", "169"]
    assert "crypto keyring" in found["conf-psk-mismatch"][0].hint  # IOS's words


def test_a_value_left_to_ioss_default_is_named_at_its_policy(tmp_path):
    found = lint(tmp_path, fixed(("  group 2\n", "")))
    [p200, p201] = found["conf-cisco-default"]
    assert "crypto isakmp policy 200 sets no group: IOS takes its default (group 1)" in (
        p200.message
    )
    assert p200.hint == "group 14 under crypto isakmp policy 200" and p201.severity == "error"
    assert "conf-no-common-ike" in found


def test_no_pfs_and_a_pfs_group_aws_refuses(tmp_path):
    found = lint(tmp_path, fixed(("  set pfs group2\n", "")))
    assert "quick mode fails at once" in found["conf-cisco-pfs"][0].message
    found = lint(tmp_path, fixed(("set pfs group2", "set pfs group1")))
    assert "set pfs group1 is none of the DH groups" in found["conf-cisco-pfs"][0].message


def test_undefined_gre_and_inside_address_at_their_lines(tmp_path):
    found = lint(
        tmp_path,
        fixed(
            ("set transform-set ipsec-prop-vpn-1a2b3c4d-0", "set transform-set ipsec-typo"),
            (
                "  tunnel mode ipsec ipv4\n  tunnel protection ipsec profile ipsec-vpn-1a2b3c4d-1",
                "  tunnel mode gre ip\n  tunnel protection ipsec profile ipsec-vpn-1a2b3c4d-1",
            ),
            ("ip address 169.254.249.22", "ip address 169.254.249.21"),
        ),  # fmt: skip
    )
    [undefined] = found["conf-cisco-undefined"]
    assert "transform set 'ipsec-typo' is never defined" in undefined.message
    [gre] = found["conf-cisco-gre"]
    assert "Tunnel2 is 'tunnel mode gre ip'" in gre.message and gre.hint == "tunnel mode ipsec ipv4"
    [inside] = found["conf-cisco-inside"]
    assert inside.hint == "ip address 169.254.249.22 255.255.255.252"


def test_a_crypto_map_with_two_acl_entries_is_two_sa_pairs_and_applied_nowhere(tmp_path):
    found = lint(tmp_path, FLAT.replace("crypto map CMAP\n", ""))
    assert "2 SA pairs on one tunnel" in found["conf-sa-pairs"][0].message
    assert "one access-list entry per crypto map" in found["conf-sa-pairs"][0].hint
    assert "applied to no interface" in found["conf-cisco-unapplied"][0].message


def test_ikev2_profile_with_certificates_and_an_encrypted_key(tmp_path):
    text = IKEV2.replace(" authentication local pre-share", " authentication local rsa-sig")
    text = text.replace("pre-shared-key fixture_psk", "pre-shared-key 6 fixture_psk")
    found = lint(tmp_path, text)
    assert "authentication local rsa-sig" in found["conf-cisco-auth"][0].message
    assert "encrypted by IOS" in found["conf-cisco-encrypted-key"][0].message


def test_a_cisco_asas_file_is_read_as_an_asas_and_named_when_forced_to_ios(tmp_path):
    asa = (  # the shape of AWS's Cisco ASA example (doc_source/Cisco_ASA.md)
        "crypto ikev1 enable outside\n"
        "crypto ikev1 policy 201\n encryption aes\n authentication pre-share\n group 2\n"
        "tunnel-group 198.51.100.1 type ipsec-l2l\n"
        "crypto map amzn_vpn_map 1 match address acl-amzn\n"
    )
    found = lint(tmp_path, asa)
    assert "read as a Cisco ASA's" in found["conf-implementation"][0].message
    path = tmp_path / "router.cfg"
    [said] = by_rule(lint_customer(LAB, path, None, "cisco-ios"))["conf-cisco-asa"]
    assert said.where.endswith(":1") and "Cisco ASA's" in said.message
    assert said.hint == "--cgw-daemon cisco-asa"


def test_awss_bgp_sample_peers_with_the_asn_vgws_had_before_2018(tmp_path):
    sample = FIXED.parent.parent / "cisco-ios-bgp-sample"
    found = by_rule(lint_customer(load_lab(sample / "lab.yml"), sample / "cisco-ios.cfg", None))
    assert [f.where.rsplit(":", 1)[1] for f in found["bgp-remote-as"]] == ["84", "166"]
    assert found["bgp-remote-as"][0].hint == "neighbor 169.254.255.1 remote-as 64512"
    assert "conf-cisco-no-route" not in found  # BGP routes into the tunnels
    static = lint(tmp_path, FIXED.read_text() + "router bgp 65000\n neighbor 169.254.249.17 "
                  "remote-as 64512\n")  # fmt: skip
    assert "bgp-static-lab" in static


def test_init_writes_a_lab_from_a_cisco_router_its_bgp_and_inside_addresses_included():
    from driver.analysis.lab_from_cgw import lab_text
    from driver.lab.loader import parse_lab

    bgp = FIXED.parent.parent / "cisco-ios-bgp" / "cisco-ios.cfg"
    lab = parse_lab(lab_text(bgp), "init")
    assert (lab.vpn.routing, lab.vpn.customer_gateway_asn, lab.vpn.amazon_side_asn) == (
        "bgp", 65000, 64512,
    )  # fmt: skip
    assert [str(t.inside_cidr) for t in lab.tunnels] == ["169.254.255.0/30", "169.254.255.4/30"]
    assert list(lab.vpn.tunnel_options.ike_versions) == ["ikev1"]
    static = parse_lab(lab_text(FIXED), "init")
    assert static.vpn.routing == "static"
    assert [str(t.inside_cidr) for t in static.tunnels] == [
        "169.254.249.16/30",
        "169.254.249.20/30",
    ]


def test_a_tunnel_interface_without_tunnel_mode_is_ioss_default_gre(tmp_path):
    found = lint(tmp_path, fixed(("  tunnel mode ipsec ipv4\n", "")))
    assert [f.message.split(":")[0] for f in found["conf-cisco-gre"]] == [
        "Tunnel1 sets no tunnel mode, so IOS takes its default, GRE (tunnel mode gre ip)",
        "Tunnel2 sets no tunnel mode, so IOS takes its default, GRE (tunnel mode gre ip)",
    ]
