"""Lint of a Libreswan customer: Libreswan's own parsers judge its syntax and
proposals, in their words and at their lines; AWS's names are read back from
Libreswan's own expansion of every algorithm AWS offers."""

import pytest

from driver.analysis.cgw_lint import lint_customer
from driver.analysis.libreswan_rules import aws_names
from driver.cgw.libreswan import tools
from driver.lab import aws_rules
from driver.lab.loader import load_lab
from tests.conftest import SEED, requires_root
from tests.fixtures import cgw_fixture

LAB = load_lab(SEED)
CONN = """\
conn Tunnel{n}
    authby=secret
    auto=start
    left=%defaultroute
    leftid=203.0.113.10
    right=198.51.100.{n}
    leftsubnet=192.168.0.0/16
    rightsubnet=10.0.0.0/16
    ikev2=insist
    ike=aes256-sha2_256;modp2048
    phase2alg=aes256-sha2_256;modp2048
    dpdaction=restart
"""
# AWS's names -> how a Libreswan file spells them (ipsec.conf(5))
LIBRESWAN_SPELLING = {
    "AES128": "aes128",
    "AES256": "aes256",
    "AES128-GCM-16": "aes_gcm128",
    "AES256-GCM-16": "aes_gcm256",
    "SHA1": "sha1",
    "SHA2-256": "sha2_256",
    "SHA2-384": "sha2_384",
    "SHA2-512": "sha2_512",
    **{g: f"modp{bits}" for g, bits in ((5, 1536), (14, 2048), (15, 3072), (16, 4096))},
    **{g: f"modp{bits}" for g, bits in ((17, 6144), (18, 8192))},
    **{g: f"dh{g}" for g in (19, 20, 21)},
}


def customer(tmp_path, first: str = CONN.format(n=1), second: str = CONN.format(n=2)):
    (tmp_path / "ipsec.conf").write_text("config setup\n\n" + first + "\n" + second)
    (tmp_path / "ipsec.secrets").write_text(
        '203.0.113.10 198.51.100.1 : PSK "sample.string_tunnel1"\n'
        '203.0.113.10 198.51.100.2 : PSK "sample.string_tunnel2"\n'
    )
    return tmp_path


def rules(findings, severity=None) -> set[str]:
    return {f.rule for f in findings if severity in (None, f.severity)}


def test_a_clean_libreswan_customer_reads_as_libreswans(tmp_path):
    found = lint_customer(LAB, customer(tmp_path), None)
    assert rules(found, "error") == set()
    (said,) = [f for f in found if f.rule == "conf-implementation"]
    assert "read as Libreswan 4.10's" in said.message and "ikev2=insist" in said.message


def test_a_conn_libreswan_refuses_is_named_in_its_words_at_the_conn(tmp_path):
    twice = CONN.format(n=2).replace("    auto=start\n", "    auto=start\n    auto=add\n")
    found = lint_customer(LAB, customer(tmp_path, second=twice), None)
    (refused,) = [f for f in found if f.rule == "conf-libreswan-refuses"]
    assert refused.where == f"{tmp_path / 'ipsec.conf'}:16"  # conn Tunnel2
    assert "does not load the conn: duplicate key 'auto' in conn Tunnel2" in refused.message
    assert "conf-tunnel-count" in rules(found, "error")  # Libreswan loads one tunnel


def test_a_conn_refused_for_an_also_to_nowhere_is_placed_at_that_conn(tmp_path):
    lost = CONN.format(n=2).replace("    authby=secret\n", "    also=nowhere\n")
    found = lint_customer(LAB, customer(tmp_path, second=lost), None)
    (refused,) = [f for f in found if f.rule == "conf-libreswan-refuses"]
    assert refused.where == f"{tmp_path / 'ipsec.conf'}:16"
    assert "cannot find conn 'nowhere' needed by conn 'Tunnel2'" in refused.message


def test_a_value_libreswan_does_not_take_refuses_the_file_at_its_line(tmp_path):
    strongswan = CONN.format(n=1).replace("ikev2=insist", "keyexchange=ikev2")
    found = lint_customer(LAB, customer(tmp_path, first=strongswan), None, "libreswan")
    (refused,) = [f for f in found if f.rule == "conf-libreswan-refuses"]
    assert refused.where.endswith("ipsec.conf:11")
    assert "refuses the file: keyword keyexchange, invalid value: ikev2" in refused.message


def test_strongswan_files_read_as_libreswans_say_so_and_offer_strongswan():
    found = lint_customer(LAB, cgw_fixture("aws-sample-route-based"), None, "libreswan")
    (other,) = [f for f in found if f.rule == "conf-other-daemon"]
    assert "written for strongSwan" in other.message and "keyexchange=ikev1" in other.message
    assert "--cgw-daemon strongswan" in other.hint
    assert "conf-libreswan-refuses" in rules(found, "error")


def test_a_proposal_libreswan_refuses_is_an_error_even_where_aws_accepts_it(tmp_path):
    old = CONN.format(n=1).replace("modp2048", "modp1024")  # DH 2: in AWS's options
    found = lint_customer(LAB, customer(tmp_path, first=old), None)
    refused = [f for f in found if f.rule == "conf-libreswan-proposal"]
    assert [f.where.rsplit(":", 1)[1] for f in refused] == ["12", "13"]  # ike=, phase2alg=
    assert "IKE DH algorithm 'modp1024' is not supported" in refused[0].message


def test_a_proposal_aws_does_not_offer_is_named_with_libreswans_expansion(tmp_path):
    chacha = CONN.format(n=1).replace(
        "phase2alg=aes256-sha2_256;modp2048", "phase2alg=chacha20_poly1305"
    )
    found = lint_customer(LAB, customer(tmp_path, first=chacha), None)
    (none,) = [f for f in found if f.rule == "conf-no-common-esp"]
    assert "(Libreswan: CHACHA20_POLY1305" in none.message


def test_libreswan_files_read_as_strongswans_say_so_and_offer_libreswan():
    found = lint_customer(LAB, cgw_fixture("libreswan"), None, "strongswan")
    (other,) = [f for f in found if f.rule == "conf-other-daemon"]
    assert "written for Libreswan" in other.message and "--cgw-daemon libreswan" in other.hint


@pytest.mark.parametrize("encryption", sorted(aws_rules.ENCRYPTION))
@pytest.mark.parametrize("integrity", sorted(aws_rules.INTEGRITY))
def test_each_aws_algorithm_reads_back_from_libreswans_expansion(encryption, integrity):
    groups = sorted(LIBRESWAN_SPELLING.keys() & set(aws_rules.DH_GROUPS))
    spelled = "+".join(LIBRESWAN_SPELLING[g] for g in groups)
    text = f"{LIBRESWAN_SPELLING[encryption]}-{LIBRESWAN_SPELLING[integrity]};{spelled}"
    (expanded,) = tools.algparse("ike", text, ikev1=False).expanded
    names = aws_names(expanded)
    assert names["enc"] == {encryption} and names["other"] == set()
    assert names["prf"] == {integrity} and names["dh"] == set(groups)


@pytest.mark.root
@requires_root()
def test_an_include_that_climbs_out_reads_nothing_only_root_may(tmp_path):
    """Libreswan's parser runs as nobody: an include out of the staged folder finds a
    root-only file unreadable, so nothing of it reaches lint's words."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "key.conf").write_text(
        "TOKEN_only_root_may_read\n"
    )  # as root: "syntax error [TOKEN…]"
    climb = "/.." * 12 + str(private / "key.conf")
    etc = tmp_path / "etc"
    etc.mkdir()
    customer(etc)
    (etc / "ipsec.conf").write_text(f"include {climb}\n" + (etc / "ipsec.conf").read_text())
    found = lint_customer(LAB, etc, None, "libreswan")
    assert not any("TOKEN" in f.message for f in found)
    assert "conf-tunnel-count" not in rules(found)  # Libreswan still read both tunnels


def test_an_ikev1_conn_is_a_warning_unless_the_build_accepts_ikev1(tmp_path):
    """Debian's build (which `check` runs) drops IKEv1 by default (its 4.5-2
    changelog; tests/local/dataplane/test_pluto.py sees pluto refuse such a conn)."""
    v1 = CONN.format(n=2).replace("ikev2=insist", "ikev2=no")
    found = lint_customer(LAB, customer(tmp_path, second=v1), None)
    [ikev1] = [f for f in found if f.rule == "conf-libreswan-ikev1"]
    assert ikev1.severity == "warning" and "Tunnel2" in ikev1.message
    assert "ikev1-policy=accept" in ikev1.hint and ikev1.where.endswith(":24")  # its ikev2=no
    accepting = customer(tmp_path, second=v1)
    text = (accepting / "ipsec.conf").read_text()
    (accepting / "ipsec.conf").write_text(
        text.replace("config setup\n", "config setup\n    ikev1-policy=accept\n")
    )
    assert "conf-libreswan-ikev1" not in rules(lint_customer(LAB, accepting, None))
