"""A MikroTik RouterOS export read as RouterOS's console reads it: menus and inline
paths, wrapped lines, quotes and escapes, default items, v7's dotted shorthand; a
record per enabled tunnel-mode policy, each value with its line, and what the
export leaves out taken from RouterOS's defaults for its release. The fixtures are
public RouterOS files or written in their shape (each names its source)."""

from pathlib import Path

import pytest

from driver.cgw.detect import detect
from driver.cgw.mikrotik.bgp import mt_bgp
from driver.cgw.mikrotik.conf import parse
from driver.cgw.mikrotik.dialect import DIALECT, read
from driver.cgw.mikrotik.files import release
from driver.cgw.mikrotik.tunnels import mt_tunnels

HERE = Path(__file__).parent
V7 = HERE / "aws-v7-ikev2.rsc"
GENERATED = HERE / "jonas-werner-generated.rsc"
PAYUNGSAK = HERE / "payungsak-aws-v6.rsc"
DRMEOSCH = HERE / "drmeosch-v7-bgp.rsc"
FIXTURES = [V7, GENERATED, PAYUNGSAK, DRMEOSCH]


def tunnels(text: str):
    return mt_tunnels(parse(text, "r.rsc"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_routeros_file_is_read_as_routeros(path):
    assert detect(path).implementation == "mikrotik"
    read(path)  # and reads without a problem it cannot say


def test_the_export_grammar_as_routeros_prints_it():
    text = (
        "# 2025-01-01 00:00:00 by RouterOS 7.24.4\n"
        "/ip ipsec peer\n"
        'add address=198.51.100.1/32 comment="AWS \\"one\\"\\_x" exchange-mode=ik\\\n'
        "    e2 name=aws1 !local-address # a comment\n"
        "/ip/ipsec/identity/add peer=aws1 secret=k1\n"
        "/ip ipsec policy add dst-address=10.0.0.0/16 peer=aws1 src-address=192.168.0.0/16 \\\n"
        "    tunnel=yes\n"
        "/routing bgp connection\n"
        "add local.address=169.254.255.2 .role=ebgp remote.address=169.254.255.1 .as=64512\n"
    )
    conf = parse(text, "r.rsc")
    assert conf.release == (7, 24)
    [peer] = conf.menu("/ip ipsec peer")
    assert peer.values["comment"] == 'AWS "one" x'  # \" and \_ resolved
    assert peer.values["exchange-mode"] == "ike2"  # the wrap fell inside the word
    assert "local-address" not in peer.values and peer.line == 3
    [connection] = conf.menu("/routing bgp connection")
    assert connection.values["local.role"] == "ebgp" and connection.values["remote.as"] == "64512"
    [t] = mt_tunnels(conf)
    assert (t.version, t.key.secret, t.local_ts) == ("2", "k1", "192.168.0.0/16")
    assert t.dpd == (8, 4)  # 7.24's default profile
    assert "profile default: dpd-interval=8s" in t.defaulted


def test_an_aws_export_reads_both_tunnels_with_their_lines():
    [one, two] = tunnels(V7.read_text())
    assert (one.name, one.remote, two.remote) == ("aws-tunnel1", "198.51.100.1", "198.51.100.2")
    assert one.ike == "enc-algorithm=aes-128 hash-algorithm=sha256 dh-group=modp2048"
    assert one.esp == "enc-algorithms=aes-128-cbc auth-algorithms=sha256 pfs-group=modp2048"
    assert one.dpd == (10, 3) and one.version == "2" and not one.defaulted
    assert one.where("profile").endswith(":14") and one.key_where.endswith(":41")
    assert release(parse(V7.read_text(), "v")) == "RouterOS 7.16"
    [ike] = DIALECT.proposals(one.ike)
    assert ike == {"enc": {"AES128"}, "integ": {"SHA2-256"}, "prf": {"SHA2-256"}, "dh": {14},
                   "other": set()}  # fmt: skip


def test_a_generated_script_as_routeros_runs_it():
    """jonas-werner's generator: paths without their slash, enc-algorithm= on the
    proposal (RouterOS takes an unambiguous beginning), tunnel 2's policy disabled by
    ``disable [find peer=…]``, bare addresses as /32s, and IKEv1 by default."""
    found = tunnels(GENERATED.read_text())
    assert [t.name for t in found] == ["AWS-VPN-Peer-0#1", "AWS-VPN-Peer-0#2"]
    first, vpc = found
    assert (first.local_ts, first.remote_ts) == ("169.254.255.2/32", "169.254.255.1/32")
    assert (vpc.local_ts, vpc.remote_ts) == ("0.0.0.0/0", "10.0.0.0/16")
    assert first.esp == "enc-algorithms=aes-128-cbc auth-algorithms=sha1 pfs-group=modp1024"
    assert first.version == "1" and "peer AWS-VPN-Peer-0: exchange-mode=main (IKEv1)" in (
        first.defaulted
    )
    bgp = mt_bgp(parse(GENERATED.read_text(), "g"))
    assert bgp.asn == 65000 and bgp.neighbors["169.254.255.1"].timers == (10, 30)
    assert [str(n) for n, _ in bgp.networks] == ["192.168.0.0/24", "10.42.0.0/24"]
    assert ("connected", 17) in bgp.redistributes


def test_disabled_peers_and_policies_bring_nothing_up():
    assert tunnels(PAYUNGSAK.read_text()) == []  # every peer and policy disabled=yes


def test_v7_bgp_announces_its_address_list():
    bgp = mt_bgp(parse(DRMEOSCH.read_text(), "d"))
    [neighbor] = bgp.neighbors.values()
    assert neighbor.name == "192.168.200.254" and neighbor.default_originate
    assert [str(n) for n, _ in bgp.networks] == ["10.241.20.0/24"]


@pytest.mark.parametrize(
    "old, new, rule, said",
    [
        (
            "proposal=aws src",
            "proposal=nope src",
            "conf-mikrotik-undefined",
            "proposal 'nope' is never defined",
        ),
        (
            "profile=aws\nadd address=198.51.100.2",
            "profile=gone\nadd address=198.51.100.2",
            "conf-mikrotik-undefined",
            "profile 'gone' is never defined",
        ),
        (
            "src-address=192.168.0.0/16 \\\n    tunnel=yes\nadd dst",
            "src-address=192.168.0.0/16\nadd dst",
            "conf-mikrotik-transport",
            "tunnel=no",
        ),
    ],  # fmt: skip
)
def test_what_routeros_would_not_bring_up_is_a_problem_at_its_line(old, new, rule, said):
    text = V7.read_text()
    assert old in text, old
    found = tunnels(text.replace(old, new))
    assert any(r == rule and said in what for t in found for r, _, what in t.problems)


def test_an_unclosed_quote_is_said_with_its_line():
    conf = parse('/system identity\nset name="office\n/ip ipsec peer\nadd name=x\n', "q")
    assert conf.problems == [("q:2", "a quoted value is never closed: RouterOS refuses the line")]
