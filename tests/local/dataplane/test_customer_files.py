"""vpnlab reads the customer's files as strongSwan does: for every real-world
fixture (tests/fixtures/cgw/, sources in SOURCES.md), the connections, their
children, selectors, remote addresses and local ids that lint judges equal
what charon lists over vici after loading the same files at their server
paths (starter for ipsec.conf, ``swanctl --load-all`` for swanctl.conf).

Not compared here: proposals and secrets, which vici does not list; the
check tests negotiate with them (tests/local/test_check_command.py).
"""

import ipaddress
import secrets
import time

import pytest

from driver.analysis import cgw_files, cgw_grammar
from driver.analysis.cgw_tunnels import tunnels_of
from driver.checks.vici_fields import text
from driver.lab.loader import load_lab
from driver.local.dataplane import cgw
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace
from driver.render.cloud_init import CharonOptions
from tests.conftest import SEED, requires_root
from tests.fixtures import CGW_FIXTURES, cgw_fixture

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]


def loaded_by_charon(tmp_path, customer: cgw_files.CustomerConfig) -> dict:
    """list-conns of a charon that loaded the customer's files (no network: loopback)."""
    lab = load_lab(SEED)
    gateway_files = cgw.rendered(lab, ("k" * 8, "k" * 8), CharonOptions(log_file="/run/charon.log"))
    files = {"/etc/strongswan.conf": gateway_files.files["/etc/strongswan.conf"]}
    files |= customer.contents()
    executables = frozenset(p for p in customer.files if customer.executable(p))
    ns = Namespace(f"t{secrets.token_hex(3)}", "files").create()
    charon = Charon(ns, tmp_path, files, customer.style, executables, tuple(customer.extra_creds))
    try:
        charon.start()
        if customer.style == "ipsec.conf":  # starter adds conns after charon is up
            expected = sum(1 for c in customer.conns if c.get("auto", "ignore") != "ignore")
            deadline = time.monotonic() + 10
            while charon.log().count("received stroke: add connection") < expected:
                assert time.monotonic() < deadline, charon.log()[-2000:]
                time.sleep(0.05)
        with charon.session() as session:
            return {name: conn for item in session.list_conns() for name, conn in item.items()}
    finally:
        charon.stop()
        ns.delete()


@pytest.mark.parametrize("name", CGW_FIXTURES)
def test_vpnlab_sees_the_connections_charon_loads(tmp_path, name):
    customer = cgw_files.load(cgw_fixture(name))
    ours = tunnels_of(customer, cgw_grammar.judge(customer).refused)
    theirs = loaded_by_charon(tmp_path, customer)
    assert sorted(t.name for t in ours) == sorted(theirs), (
        f"vpnlab: {[t.name for t in ours]}, charon: {list(theirs)}"
    )
    for tunnel in ours:
        conn = theirs[tunnel.name]
        assert [text(a) for a in conn["remote_addrs"]] == [
            a.strip() for a in (tunnel.right or "%any").split(",")
        ]
        local = conn.get("local-1", {})
        if tunnel.leftid:
            assert text(local.get("id")) == tunnel.leftid.strip('"')
        children = conn["children"]
        assert len(children) == tunnel.children
        child = next(iter(children.values()))
        if tunnel.local_ts:
            assert [text(t) for t in child["local-ts"]] == _selectors(tunnel.local_ts)
        if tunnel.remote_ts:
            assert [text(t) for t in child["remote-ts"]] == _selectors(tunnel.remote_ts)


def _selectors(value: str) -> list[str]:
    return [str(ipaddress.ip_network(part.strip(), strict=False)) for part in value.split(",")]
