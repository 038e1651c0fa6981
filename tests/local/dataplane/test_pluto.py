"""Libreswan's pluto as the customer gateway: its state read as the checks read
charon's, and pluto itself run confined in a node (root; a loopback-only
namespace on this host: pluto loads its conns without kernel ESP, it only
cannot install an SA, so the handshakes are the guest scenarios')."""

import secrets
import subprocess

import pytest

from driver.cgw.libreswan.install import PREFIX
from driver.local.dataplane.netns import Namespace
from driver.local.dataplane.pluto import Pluto, sas_of_status
from driver.local.shared.node_access import sa_up
from tests.conftest import requires_root
from tests.fixtures import FIXTURES

STATUS = (FIXTURES / "libreswan" / "whack-status.txt").read_text()


def test_whack_status_reads_as_vici_lists_sas():
    """Each IKE SA with its CHILD_SAs; a conn without states (Tunnel1, whose CHILD_SA
    Libreswan could not install) is not listed, as charon lists no SA for it."""
    [(name, sa)] = sas_of_status(STATUS)
    assert name == "Tunnel2" and sa_up(sa)
    assert (sa["uniqueid"], sa["version"], sa["remote-host"]) == ("14", "2", "198.51.100.2")
    children = sa["child-sas"]
    assert sorted(children) == ["Tunnel2-11", "Tunnel2-15"]
    newest = children["Tunnel2-15"]  # esp.SPI@peer goes out, esp.SPI@us comes in
    assert (newest["spi-in"], newest["spi-out"], newest["state"]) == (
        "f9fba894",
        "cab3eec9",
        "INSTALLED",
    )
    assert newest["name"] == "Tunnel2"  # what the lifecycle asks pluto to rekey


def test_an_ike_sa_on_its_way_is_not_up():
    half_open = (
        '000 "Tunnel2": 192.168.0.0/16===192.168.0.10[203.0.113.10]---192.168.0.1...'
        "198.51.100.2===10.0.0.0/16; unrouted; eroute owner: #0\n"
        '000 #69: "Tunnel2":4500 STATE_V2_PARENT_I2 (sent IKE_AUTH request); RETRANSMIT in '
        "-1s; idle;\n"
        '000 #72: "Tunnel2":4500 STATE_V2_IKE_AUTH_CHILD_I0 (ephemeral: initiator creating '
        "child from IKE exchange); lastlive=0s; idle;\n"
    )
    [(name, sa)] = sas_of_status(half_open)
    assert sa["state"] == "STATE_V2_PARENT_I2" and not sa_up(sa)


CONF = """\
config setup
    logfile=/var/log/pluto.log
conn aws-ikev2
    auto=add
    left=%defaultroute
    leftid=203.0.113.10
    right=198.51.100.1
    authby=secret
    ikev2=insist
    ike=aes256-sha2_256;modp2048
    leftsubnet=192.168.0.0/16
    rightsubnet=10.0.0.0/16
conn aws-ikev1
    auto=add
    left=%defaultroute
    leftid=203.0.113.10
    right=198.51.100.2
    authby=secret
    ikev2=no
    leftsubnet=192.168.0.0/16
    rightsubnet=10.0.0.0/16
"""
SECRETS = '203.0.113.10 198.51.100.1 : PSK "first.key_for_tests"\n'


@pytest.mark.root
@requires_root()
def test_pluto_runs_confined_with_libreswans_own_helpers(tmp_path):
    """pluto reads the node's /etc itself, refuses what Debian's build refuses (IKEv1:
    ikev1-policy=drop, its changelog 4.5-2) in its own words, and its node's `ipsec`
    and helpers are Libreswan's, not the host's strongSwan's."""
    ns = Namespace(f"t{secrets.token_hex(3)}", "server").create()
    files = {"/etc/ipsec.conf": CONF, "/etc/ipsec.secrets": SECRETS}
    pluto = Pluto(ns, tmp_path / ns.name, files)
    try:
        pluto.start()
        assert pluto.version() == "Libreswan 4.10"
        refused = pluto.refused()
        assert any("aws-ikev1" in r and "ikev1-policy" in r for r in refused), refused
        assert not any("aws-ikev2" in r for r in refused)
        assert "aws-ikev2" in pluto.whack("--status") and pluto.list_sas() == []
        node = ["nsenter", f"--target={pluto.pid}", "--mount", "--net"]
        shown = subprocess.run(
            [*node, "sh", "-c", "readlink -f /usr/sbin/ipsec /usr/libexec/ipsec/_updown"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert all(path.startswith(str(PREFIX)) for path in shown), shown
        pid = pluto.pid
    finally:
        pluto.stop()
        ns.delete()
    assert subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0
