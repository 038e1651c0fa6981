"""Lint of a Palo Alto firewall's configuration: PAN-OS's traps at their lines, the
rules every implementation's tunnels answer to, and each fix in PAN-OS's words."""

from driver.analysis.cgw_lint import lint_customer
from driver.lab.loader import load_lab
from tests.cgw.panos.test_reading import CLOUDFLARE, FIXED, SAMPLE, XML
from tests.cgw.router_files import by_rule, errors

LAB = load_lab(FIXED.parent / "lab.yml")
MONITOR = "tunnel-monitor enable yes destination-ip"


def lint(tmp_path, text: str):
    path = tmp_path / "panos.conf"
    path.write_text(text)
    return lint_customer(LAB, path, None)


def test_the_fixed_firewall_has_no_error_in_either_form():
    assert errors(lint_customer(LAB, FIXED, None)) == []
    assert errors(lint_customer(LAB, XML, None)) == []


def test_awss_sample_as_pasted_names_its_traps_in_pan_oss_words():
    found = by_rule(lint_customer(load_lab(SAMPLE.parent / "lab.yml"), SAMPLE, None))
    [first, second] = found["conf-panos-syntax"]
    assert first.where.endswith(":127") and "no 'top' came back" in first.message
    [undefined] = found["conf-panos-undefined"]
    assert "'ike-crypto-vpn-35a6445c-1'" in undefined.message
    assert {f.message.split(":")[0] for f in found["conf-panos-old-name"]} == {
        "crypto profile ike-crypto-vpn-44a8938f-0",
        "crypto profile ipsec-vpn-44a8938f-0",
        "crypto profile ipsec-vpn-44a8938f-1",
    }
    [unit] = found["conf-panos-unit"]
    assert "ip is set on 'interface tunnel' itself" in unit.message
    # its BGP block was never read (no 'top'), so nothing is routed into the tunnels
    assert "nothing is routed into tunnel.1 and tunnel.2" in found["conf-panos-no-route"][0].message
    [key, *_] = found["conf-secret-missing"]
    assert key.hint.startswith("set network ike gateway <gateway> authentication pre-shared-key")


def test_without_tunnel_monitoring_the_less_preferred_tunnel_is_said_to_stay_down(tmp_path):
    text = "\n".join(line for line in FIXED.read_text().splitlines() if MONITOR not in line)
    found = by_rule(lint(tmp_path, text))
    assert [f.message.split(":")[0] for f in found["conf-panos-on-traffic"]] == [
        "ipsec-tunnel-1", "ipsec-tunnel-2",
    ]  # fmt: skip
    assert "tunnel-monitor enable yes" in found["conf-panos-on-traffic"][0].hint
    [dpd, _] = found["conf-dpdaction"]
    assert "without tunnel monitoring PAN-OS starts it again only on traffic" in dpd.message


def test_phase_2_without_pfs_or_with_a_group_aws_does_not_rekey_with(tmp_path):
    line = "aws-ipsec dh-group group14"
    for group, said in (("no-pfs", "AWS requires PFS"), ("group1", "none of the groups")):
        found = by_rule(
            lint(tmp_path, FIXED.read_text().replace(line, f"aws-ipsec dh-group {group}"))
        )
        assert said in found["conf-panos-pfs"][0].message
        assert found["conf-panos-pfs"][0].hint.endswith("aws-ipsec dh-group group14")


def test_a_profile_without_encryption_a_wrong_unit_address_and_no_route(tmp_path):
    text = (
        FIXED.read_text()
        .replace("set network ike crypto-profiles ike-crypto-profiles aws-ike hash sha256\n", "")
        .replace("tunnel.2 ip 169.254.255.6/30", "tunnel.2 ip 169.254.255.9/30")
    )
    text = "\n".join(line for line in text.splitlines() if "static-route" not in line)
    found = by_rule(lint(tmp_path, text))
    assert "sets no hash" in found["conf-panos-profile"][0].message
    [unit] = found["conf-panos-unit"]
    assert "not the customer gateway's inside address of Tunnel2 (169.254.255.6/30" in (
        unit.message
    )
    assert unit.hint == "set network interface tunnel units tunnel.2 ip 169.254.255.6/30"
    [route] = found["conf-panos-no-route"]
    assert "static-route aws-1 destination 10.0.0.0/16 interface tunnel.1" in route.hint


def test_proxy_ids_are_sa_pairs_and_a_passive_gateway_waits(tmp_path):
    proxy = "set network tunnel ipsec ipsec-tunnel-1 auto-key proxy-id "
    text = FIXED.read_text() + (
        f"{proxy}a local 192.168.0.0/16 remote 10.0.0.0/16\n"
        f"{proxy}b local 192.168.1.0/24 remote 10.0.0.0/16\n"
        "set network ike gateway ike-vpn-1 protocol-common passive-mode yes\n"
    )
    text = "\n".join(
        line for line in text.splitlines() if "ipsec-tunnel-2 tunnel-monitor" not in line
    )
    found = by_rule(lint(tmp_path, text))
    [pairs] = found["conf-sa-pairs"]
    assert "ipsec-tunnel-1 proxy-id a, ipsec-tunnel-1 proxy-id b" in pairs.message
    assert "one proxy-id per tunnel" in pairs.hint
    [waits] = found["conf-no-initiator"]
    assert "passive-mode yes" in waits.message and "passive-mode no" in waits.hint


def test_bgp_findings_are_fixed_in_pan_oss_words(tmp_path):
    bgp = "set network virtual-router default protocol bgp "
    text = FIXED.read_text() + (
        f"{bgp}enable yes local-as 65000\n"
        f"{bgp}peer-group aws peer t1 peer-as 7224 peer-address ip 169.254.255.1\n"
    )
    found = by_rule(lint_customer(load_lab(SAMPLE.parent / "lab.yml"), _file(tmp_path, text), None))
    [remote_as] = found["bgp-remote-as"]
    assert remote_as.hint == (
        "set network virtual-router <VR> protocol bgp peer-group <group> peer <peer> "
        "peer-as <the VGW's ASN>"
    )


def _file(tmp_path, text):
    path = tmp_path / "bgp.conf"
    path.write_text(text)
    return path


def test_keys_pan_os_printed_encrypted_are_said_not_compared():
    found = by_rule(lint_customer(LAB, CLOUDFLARE, None))
    assert [f.message.split(":")[0] for f in found["conf-panos-encrypted-key"]] == [
        "gateway CF_Magic_WAN_IKE_01", "gateway CF_Magic_WAN_IKE_02",
    ]  # fmt: skip
    assert "conf-psk-mismatch" not in found


def test_a_private_local_address_without_nat_traversal_is_said(tmp_path):
    text = FIXED.read_text().replace("ip 203.0.113.10/24", "ip 192.168.0.10/24")
    found = by_rule(lint(tmp_path, text))
    assert [f.message.split(":")[0] for f in found["conf-panos-nat-t"]] == [
        "gateway ike-vpn-0", "gateway ike-vpn-1",
    ]  # fmt: skip
    assert found["conf-panos-nat-t"][0].hint.endswith("nat-traversal enable yes")
    # and where it presents its public address, no identity warning
    assert "conf-leftid" not in by_rule(lint_customer(LAB, FIXED, None))


def test_an_ah_profile_is_said_to_be_no_esp_and_ikev1_without_pfs_fails_at_once(tmp_path):
    ipsec = "set network ike crypto-profiles ipsec-crypto-profiles aws-ipsec "
    text = FIXED.read_text().replace(f"{ipsec}esp authentication sha256",
                                     f"{ipsec}ah authentication sha256")  # fmt: skip
    [ah, *_] = by_rule(lint(tmp_path, text))["conf-panos-profile"]
    assert "uses AH: AWS's tunnels carry ESP only" in ah.message
    text = (
        FIXED.read_text()
        .replace("aws-ipsec dh-group group14", "aws-ipsec dh-group no-pfs")
        .replace("protocol version ikev2", "protocol version ikev1")
    )
    [pfs, *_] = by_rule(lint(tmp_path, text))["conf-panos-pfs"]
    assert "refuses the first quick mode" in pfs.message


def test_a_next_hop_route_disabled_gateway_and_bgp_left_off_read_as_pan_os_does(tmp_path):
    route = "set network virtual-router default routing-table ip static-route aws-"
    text = (
        FIXED.read_text()
        .replace(f"{route}1 destination 10.0.0.0/16 interface tunnel.1 metric 10",
                 f"{route}1 destination 10.0.0.0/16 nexthop ip-address 169.254.255.1")
        .replace(f"{route}2 destination 10.0.0.0/16 interface tunnel.2 metric 20",
                 f"{route}2 destination 10.0.0.0/16 nexthop ip-address 169.254.255.5 metric 20")
    ) + "set network virtual-router default protocol bgp enable no\n"  # fmt: skip
    found = by_rule(lint(tmp_path, text))
    assert "conf-panos-no-route" not in found and "bgp-static-lab" not in found
    disabled = text + "set network ike gateway ike-vpn-1 disabled yes\n"
    [count] = by_rule(lint(tmp_path, disabled))["conf-tunnel-count"]
    assert "1 tunnel(s) Palo Alto firewall would load" in count.message
