"""The kernel's IPsec counters, read in a namespace of its own, and put in words.

Moving a counter needs kernel ESP (the guest's scenarios do: the seed's two
identical-selector tunnels count XfrmInTmplMismatch there); here the reading
and the arithmetic are checked against this kernel's real /proc/net/xfrm_stat.
"""

import secrets
import subprocess
import time

import pytest

from driver.local.dataplane import xfrm_counters
from driver.local.dataplane.netns import Namespace
from tests.conftest import requires_root


@pytest.fixture
def namespace():
    ns = Namespace(f"t{secrets.token_hex(3)}", "xfrm").create()
    yield ns
    ns.delete()


@requires_root()
def test_a_fresh_namespace_reads_every_counter_with_a_meaning_at_zero(namespace):
    counters = xfrm_counters.read(namespace)
    assert set(xfrm_counters.MEANING) <= set(counters)
    assert all(counters[name] == 0 for name in xfrm_counters.MEANING)


def test_only_counters_that_grew_are_explained():
    before = {"XfrmInTmplMismatch": 2, "XfrmInNoStates": 0, "XfrmInError": 0}
    after = {"XfrmInTmplMismatch": 5, "XfrmInNoStates": 0, "XfrmInError": 9}
    grew = xfrm_counters.moved(before, after)
    assert grew == {"XfrmInTmplMismatch": 3}  # XfrmInError: no meaning of its own
    (phrase,) = xfrm_counters.explain("the VPN server", grew)
    assert phrase.startswith("the VPN server's kernel counted 3 × XfrmInTmplMismatch")
    assert "identical selectors" in phrase


@requires_root()
def test_a_process_in_the_namespace_lets_them_be_read_without_entering_it(namespace, monkeypatch):
    """/proc/PID/net is PID's namespace: with a process there (a charon, in a lab),
    reading costs no process of its own (~0.1 s each in the guest)."""
    resident = subprocess.Popen(["nsenter", f"--net=/run/netns/{namespace.name}", "sleep", "60"])
    try:
        deadline = time.monotonic() + 10
        while not namespace.pids() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert namespace.pids() == [resident.pid]

        def entered(*command, **options):
            raise AssertionError(f"entered the namespace: {command}")

        monkeypatch.setattr(namespace, "exec", entered)
        counters = xfrm_counters.read(namespace)
        assert set(xfrm_counters.MEANING) <= set(counters)
    finally:
        resident.kill()
        resident.wait()
