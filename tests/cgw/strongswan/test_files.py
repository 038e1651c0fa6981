"""Customers' configurations as found in the wild (tests/fixtures/cgw/, each cited in
SOURCES.md), read as strongSwan reads them: includes, conf.d sections merged,
%default and also=, secrets anywhere, and what strongSwan refuses. The findings
are exact: (rule, severity, file:line) against the lab `vpnlab init` writes."""

import pytest

from driver.analysis import cgw_grammar
from driver.analysis.cgw_rules import lint_config
from driver.analysis.cgw_secrets import secret_for
from driver.analysis.lab_from_cgw import lab_text
from driver.cgw.strongswan import files as cgw_files
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.core.errors import VpnlabError
from driver.lab.loader import load_lab, parse_lab
from tests.conftest import SEED
from tests.fixtures import cgw_fixture


def tunnels(name: str):
    customer = cgw_files.load(cgw_fixture(name))
    return customer, tunnels_of(customer, cgw_grammar.judge(customer).refused)


def findings(name: str, lab=None) -> set[tuple[str, str, str]]:
    path = cgw_fixture(name)
    lab = lab or parse_lab(lab_text(path)) if lab is None else lab
    return {
        (f.rule, f.severity, f.where.removeprefix(str(path) + "/"))
        for f in lint_config(lab, path, None)
        if f.severity != "info"
    }


def test_includes_are_followed_and_secrets_found_in_included_files():
    customer, found = tunnels("include-tree-ipsec")
    assert [t.name for t in found] == ["myVPC-1", "myVPC-2"]
    assert found[0].source.endswith("ipsec.d/conns/ipsec.myVPC-1.conf")
    keys = [secret_for(t, customer.secrets) for t in found]
    assert [k.secret for k in keys] == [
        "fixture_psk_tunnel1_0123456789abcdef",
        "fixture_psk_tunnel2_0123456789abcdef",
    ]
    assert "/etc/ipsec.d/secrets/ipsec.myVPC-2.secrets" in customer.files


def test_conf_d_sections_are_merged_into_two_tunnels():
    customer, found = tunnels("debian-confd-swanctl")
    assert [(t.name, t.right, t.local_ts) for t in found] == [
        ("aws-tunnel1", "198.51.100.1", "172.16.1.0/24"),
        ("aws-tunnel2", "198.51.100.2", "172.16.1.0/24"),
    ]
    assert [t.start_action for t in found] == ["trap", "trap"]
    assert all(secret_for(t, customer.secrets) for t in found)  # id-1/id-2 in one file


def test_a_rendered_lab_from_each_policy_based_fixture_leaves_no_error():
    assert not {f for f in findings("include-tree-ipsec") if f[1] == "error"}
    assert not {f for f in findings("debian-confd-swanctl") if f[1] == "error"}


def test_one_line_sections_are_refused_where_strongswan_refuses_them():
    lab = load_lab(SEED)
    assert findings("swanctl-one-line", lab) == {
        ("conf-refused", "error", "swanctl/conf.d/aws-tunnel1.conf:17"),  # local { … ; … }
        ("conf-refused", "error", "swanctl/conf.d/aws-tunnel1.conf:18"),  # remote { … ; … }
        ("conf-refused", "error", "swanctl/conf.d/aws-tunnel2.conf:20"),
        ("conf-refused", "error", "swanctl/conf.d/aws-tunnel2.conf:21"),
        ("conf-tunnel-count", "error", str(cgw_fixture("swanctl-one-line"))),
    }


def test_libreswan_syntax_is_named_and_loads_nothing():
    lab = load_lab(SEED)
    found = lint_config(lab, cgw_fixture("libreswan"), None)
    (libreswan,) = [f for f in found if f.rule == "conf-libreswan"]
    assert libreswan.severity == "error"
    assert "Libreswan syntax: strongSwan would load none of these connections" in libreswan.message
    assert "ikev2=insist" in libreswan.message
    assert {f.rule for f in found if "ikev2" in f.message} >= {"conf-unknown-key"}


def test_an_invalid_proposal_drops_its_conn_and_init_says_why():
    found = findings("include-tree-ipsec-flat", load_lab(SEED))
    assert ("conf-refused", "error", "ipsec.d/vpn1.conf:27") in found
    with pytest.raises(VpnlabError, match=r"would load 0 tunnel\(s\).*'1h' is not a strongSwan"):
        lab_text(cgw_fixture("include-tree-ipsec-flat"))


def test_narrower_selectors_warn_and_a_missing_leftid_is_a_warning(tmp_path):
    lab = load_lab(SEED)  # 192.168.0.0/16 <-> 10.0.0.0/16
    conf = tmp_path / "ipsec.conf"
    conf.write_text(
        "conn a\n  right=198.51.100.1\n  leftsubnet=192.168.1.0/24\n  rightsubnet=10.0.0.0/16\n"
        "  auto=start\nconn b\n  also=a\n  right=198.51.100.2\n"
    )
    (tmp_path / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    result = {(f.rule, f.severity) for f in lint_config(lab, tmp_path, None)}
    assert ("conf-selectors", "warning") in result  # narrower: AWS accepts it
    assert ("conf-leftid", "warning") in result  # AWS's own template omits it
    assert "conf-secret-missing" not in {r for r, _ in result}  # %any-style ': PSK' counts


def test_the_labs_keys_are_compared_with_the_customers_without_printing_them():
    path = cgw_fixture("include-tree-ipsec")
    text = lab_text(path).replace("fixture_psk_tunnel2_0123456789abcdef", "another.key_12345")
    found = [f for f in lint_config(parse_lab(text), path, None) if f.rule == "conf-psk-mismatch"]
    assert [f.where.rsplit("/", 1)[1] for f in found] == ["ipsec.myVPC-2.secrets:23"]
    assert "fixture_psk" not in found[0].message and "another" not in found[0].message


def test_a_directory_without_a_configuration_and_the_replaced_strongswan_conf(tmp_path):
    lab = load_lab(SEED)
    (finding,) = lint_config(lab, tmp_path, None)
    assert finding.rule == "conf-files" and "neither ipsec.conf nor swanctl" in finding.message
    etc = tmp_path / "etc"
    (etc / "swanctl").mkdir(parents=True)
    (etc / "swanctl" / "swanctl.conf").write_text("connections {\n}\n")
    (etc / "strongswan.conf").write_text("charon {\n}\n")
    rules = {f.rule for f in lint_config(lab, tmp_path, None)}
    assert {"conf-replaced", "conf-tunnel-count"} <= rules


def test_an_onprem_network_wider_than_a_vpc_still_makes_a_lab(tmp_path):
    conf = tmp_path / "ipsec.conf"
    conf.write_text(
        "conn %default\n  leftsubnet=10.0.0.0/8\n  rightsubnet=172.31.0.0/16\n  auto=start\n"
        "conn a\n  right=198.51.100.1\nconn b\n  right=198.51.100.2\n"
    )
    (tmp_path / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    lab = parse_lab(lab_text(tmp_path))
    assert str(lab.vpn.local_network_cidr) == "10.0.0.0/8"
    assert str(lab.aws.vpc_cidr) == "172.31.0.0/16"  # from the remote selector
    assert lab.name == "test-an-onprem-netwo"


def test_secrets_are_matched_as_charon_matches_them(tmp_path):
    """credential_manager.c: the best match of the peer's id, then of the gateway's own;
    one matching end is enough; on a tie the key loaded last wins."""
    (tmp_path / "ipsec.conf").write_text(
        "conn %default\n  leftid=203.0.113.10\n  leftsubnet=192.168.0.0/16\n"
        "  rightsubnet=10.0.0.0/16\n  auto=start\n"
        "conn a\n  right=198.51.100.1\nconn b\n  right=198.51.100.2\n"
    )
    secrets = tmp_path / "ipsec.secrets"
    secrets.write_text(
        '203.0.113.99 198.51.100.9 : PSK "other.peers_key"\n'  # neither end: not used
        ': PSK "any.peer_key_old"\n'
        ': PSK "any.peer_key_new"\n'  # a tie with the line above: the later one
        '203.0.113.10 198.51.100.2 : PSK "tunnel.two_key"\n'
    )
    customer = cgw_files.load(tmp_path)
    a, b = tunnels_of(customer, {})
    assert secret_for(a, customer.secrets).secret == "any.peer_key_new"
    assert secret_for(b, customer.secrets).secret == "tunnel.two_key"
    secrets.write_text('203.0.113.99 198.51.100.9 : PSK "other.peers_key"\n')
    found = lint_config(load_lab(SEED), tmp_path, None)
    missing = [f.message for f in found if f.rule == "conf-secret-missing"]
    assert missing == [
        "a: no pre-shared key applies to 198.51.100.1",
        "b: no pre-shared key applies to 198.51.100.2",
    ]


@pytest.mark.parametrize("given", ["file", "directory"])
def test_a_folder_linked_out_of_the_customers_files_is_never_read(tmp_path, given):
    """``ipsec.d -> /somewhere``: each file in it is no link, but the folder on its way
    is; vpnlab (root) would stage the host's files into the node."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa.conf").write_text("# a host file\n")
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "ipsec.conf").write_text("include ipsec.d/*.conf\nconn x\n    right=198.51.100.1\n")
    (etc / "ipsec.d").symlink_to(outside)
    with pytest.raises(cgw_files.CustomerConfigError, match="points outside"):
        cgw_files.load(etc / "ipsec.conf" if given == "file" else etc)
