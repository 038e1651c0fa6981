"""Libreswan's files read as Libreswan reads them: every fixture held, conn by conn
and field by field, to Libreswan 4.10's own parser (readwriteconf, the version
`make setup` pins), the refusals too; and the detector's strongSwan-only keys
held to the same parser (each is one Libreswan refuses)."""

import os

import pytest

from driver.cgw.detect import STRONGSWAN_KEYS, detect
from driver.cgw.libreswan import files, tools
from driver.cgw.libreswan.conf import parse_ipsec_secrets
from driver.cgw.libreswan.tunnels import tunnels_of
from driver.cgw.settings import ConfigSyntaxError
from driver.core.errors import VpnlabError
from driver.core.paths import PROJECT
from tests.fixtures import cgw_fixture

OPENSWAN_SAMPLE = PROJECT / "tests" / "scenarios" / "libreswan-openswan" / "etc"
FIXTURES = [cgw_fixture("libreswan"), OPENSWAN_SAMPLE]
# What the usual layouts add: %default and also=, a conn refused for a key set twice
# and one for an also= to nowhere, a conn written twice, ikev2= in each spelling.
WRITTEN = """\
version 2.0
config setup
    protostack=netkey

conn %default
    keyingtries=%forever
    ikelifetime=8h

conn aws-base
    authby=secret
    left=%defaultroute
    leftid=203.0.113.10
    leftsubnet=192.168.0.0/16
    rightsubnet=10.0.0.0/16
    ike=aes256-sha2_256;modp2048
    phase2alg=aes256-sha2_256;modp2048

conn Tunnel1
    also=aws-base
    right=198.51.100.1
    ikev2=insist
    auto=start

conn Tunnel2
    also=aws-base
    right=198.51.100.2
    ikev2=no
    auto=add
    auto=start

conn Tunnel3
    also=nowhere
    right=198.51.100.3
    auto=start

conn Tunnel4
    also=aws-base
    right=198.51.100.4
    ikev2=permit
    auto=ondemand

conn Tunnel4
    right=198.51.100.5
    auto=add

conn Tunnel5
    also=aws-base
    right=198.51.100.6
    ikev2=permit
    auto=add
"""


def written(tmp_path):
    (tmp_path / "ipsec.conf").write_text(WRITTEN)
    return tmp_path


def as_libreswan_reads_it(config) -> tuple[dict, set]:
    """Each conn readwriteconf loads, with the fields the record holds; the refused."""
    parsed = tools.readwriteconf(files.load(config))
    refused = {w.split("conn ")[-1].split()[0].strip("'") for _, w in parsed.errors}
    assert parsed.loaded
    loaded = {
        name: {
            "right": kv.get("right"),
            "leftid": kv.get("leftid", "").strip('"') or None,
            "local_ts": kv.get("leftsubnet"),
            "remote_ts": kv.get("rightsubnet"),
            "ike": kv.get("ike"),
            "esp": kv.get("esp"),
            "version": {"yes": "2", "no": "1"}[kv["ikev2"]],
        }
        for name, kv in parsed.conns.items()
        if name not in refused and kv.get("auto") not in ("ignore", None)
    }
    return loaded, refused


def as_vpnlab_reads_it(config) -> tuple[dict, set]:
    read = files.load(config)
    loaded = {}
    for t in tunnels_of(read):
        fields = ("right", "leftid", "local_ts", "remote_ts", "ike", "esp", "version")
        loaded[t.name] = {f: getattr(t, f) for f in fields}
    return loaded, set(read.conf.refused)


@pytest.mark.parametrize("config", [*FIXTURES, "written"], ids=["alma", "openswan", "written"])
def test_every_conn_reads_as_libreswans_own_parser_reads_it(config, tmp_path):
    config = written(tmp_path) if config == "written" else config
    ours, libreswan = as_vpnlab_reads_it(config), as_libreswan_reads_it(config)
    assert ours[1] == libreswan[1]  # the same conns refused
    assert ours[0] == libreswan[0]  # and the others, field by field


def test_the_written_layout_is_what_it_claims(tmp_path):
    loaded, refused = as_vpnlab_reads_it(written(tmp_path))
    assert refused == {"Tunnel2", "Tunnel3"}  # auto twice; also= to nowhere
    assert loaded["Tunnel1"]["version"] == "2"
    assert loaded["Tunnel4"]["right"] == "198.51.100.5"  # written twice: the later
    assert (loaded["Tunnel1"]["version"], loaded["Tunnel5"]["version"]) == ("2", "1")


@pytest.mark.parametrize(
    "line", ["conn two words\n", "include /etc/x.conf\n    auto=add\n"], ids=["name", "include"]
)
def test_a_file_libreswan_refuses_whole_is_refused_here_at_the_same_line(line, tmp_path):
    """The structure is the reader's to judge; keywords and values are left to
    Libreswan's own parser, which lint runs (driver/analysis/libreswan_rules.py)."""
    (tmp_path / "ipsec.conf").write_text("conn a\n    right=1.2.3.4\n" + line)
    with pytest.raises(ConfigSyntaxError) as ours:
        files.load(tmp_path)
    theirs = tools.readwriteconf(staged(tmp_path))
    assert not theirs.loaded
    assert theirs.errors[0][0].endswith(f":{ours.value.line}"), theirs.errors


def staged(folder):
    """The folder as Libreswan's tools see it, whatever vpnlab's reader makes of it."""
    return files.LibreswanConfig(files.ServerFolder.of_directory(folder, folder, ()), None)


@pytest.mark.parametrize("setting", sorted(STRONGSWAN_KEYS))
def test_each_key_the_detector_calls_strongswans_is_one_libreswan_refuses(setting, tmp_path):
    key, _, value = setting.partition("=")
    (tmp_path / "ipsec.conf").write_text(f"conn a\n    right=1.2.3.4\n    {key}={value or 'yes'}\n")
    assert not tools.readwriteconf(staged(tmp_path)).loaded


def test_secrets_in_both_spellings_and_for_any_peer():
    text = (
        '203.0.113.10 198.51.100.1: PSK "first_key.abc"\n'
        '203.0.113.10 198.51.100.2 : PSK "second_key.abc"\n'
        '%any 198.51.100.3 : PSK "third key"  # a comment\n'
        ': PSK "for anyone"\n'
        "@east : RSA {\n  Modulus: 0x00\n}\n"
    )
    secrets = parse_ipsec_secrets(text, "ipsec.secrets")
    assert [(s.ids, s.kind, s.secret, s.line) for s in secrets] == [
        (["203.0.113.10", "198.51.100.1"], "PSK", "first_key.abc", 1),
        (["203.0.113.10", "198.51.100.2"], "PSK", "second_key.abc", 2),
        (["%any", "198.51.100.3"], "PSK", "third key", 3),
        ([], "PSK", "for anyone", 4),
        (["@east"], "RSA", "", 5),
    ]


@pytest.mark.parametrize(
    "config,implementation",
    [
        (cgw_fixture("libreswan"), "libreswan"),
        (OPENSWAN_SAMPLE, "libreswan"),
        (cgw_fixture("aws-sample-route-based"), "strongswan"),
        (cgw_fixture("debian-confd-swanctl"), "strongswan"),
        (PROJECT / "tests" / "fixtures" / "seed-vendor", "strongswan"),
    ],
)
def test_the_implementation_is_told_by_what_only_it_has(config, implementation):
    found = detect(config)
    assert found.implementation == implementation
    if implementation == "libreswan":
        assert found.signs and all(":" in sign for sign in found.signs)  # file:line (why)


def test_a_file_that_cannot_be_read_gives_no_sign_and_the_reader_says_why(tmp_path):
    fifo = tmp_path / "ipsec.secrets"
    os.mkfifo(fifo)  # read, it would block: it is skipped, never opened
    assert detect(OPENSWAN_SAMPLE / "ipsec.conf", fifo).implementation == "libreswan"
    with pytest.raises(VpnlabError, match="is a FIFO"):
        files.load(OPENSWAN_SAMPLE / "ipsec.conf", fifo)
