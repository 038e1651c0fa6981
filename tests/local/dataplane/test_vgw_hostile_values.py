"""Whatever a key holds, the emulated VGW's charon loads exactly the connections
vpnlab meant: the value is quoted by the settings format's own rules.

The oracle is the daemon itself: charon's ``list-conns`` and ``get-shared`` over
vici after ``swanctl --load-all`` of the generated file, compared with what it
loaded from the same file with a plain key; the key's value is read back with
the settings grammar (driver/cgw/strongswan/swanctl_conf.py, itself held to
strongSwan's parser by tests/analysis).
"""

import secrets

import pytest
from hypothesis import HealthCheck, assume, given, settings

from driver.cgw.strongswan.swanctl_conf import parse_swanctl, shared_secrets
from driver.lab import topology
from driver.local.dataplane import vgw
from driver.local.dataplane.charon import SWANCTL_DIRS, Charon
from driver.local.dataplane.netns import Namespace
from tests.conftest import requires_root
from tests.goldens import seed_in_style
from tests.hostile_values import HOSTILE

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

LAB = seed_in_style("swanctl")
ADDRESSES = topology.DEFAULT_TUNNEL_ADDRESSES
CGW = "203.0.113.10"
PLAIN = ("first.key_for_tests", "second.key_for_tests")


def _text(value):
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


@pytest.fixture(scope="module")
def vgw_charon(tmp_path_factory):
    """Endpoint 1's charon in a loopback-only namespace, for every example."""
    ns = Namespace(f"t{secrets.token_hex(3)}", "vgw").create()
    files = {
        "/etc/strongswan.conf": vgw.strongswan_conf(LAB, 1, "/run/charon.log", libipsec=True),
        "/etc/swanctl/swanctl.conf": _endpoint_1(PLAIN[0]),
    }
    charon = Charon(ns, tmp_path_factory.mktemp("vgw"), files, "swanctl")
    try:
        charon.start()
        for sub in SWANCTL_DIRS:  # swanctl --file looks for credentials beside the file
            (charon.run_dir / sub).mkdir(exist_ok=True)
        yield charon
    finally:
        charon.stop()
        ns.delete()


def _loaded(charon: Charon, text: str) -> tuple[dict, list[str], str]:
    (charon.run_dir / "vgw-under-test.conf").write_text(text)
    out = charon.swanctl(
        "--load-all", "--noprompt", "--file", "/run/vgw-under-test.conf", check=False
    )
    with charon.session() as session:
        conns = {}
        for item in session.list_conns():
            conns.update(_text(item))
        keys = sorted(_text(k) for k in session.get_shared()["keys"])
    return conns, keys, out


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(key=HOSTILE)
def test_a_hostile_key_changes_nothing_the_vgw_loads(vgw_charon, key):
    # NUL and the empty key are refused before any file is written (AWS: 8-64 characters)
    assume(key and "\0" not in key)
    intended, intended_keys, _ = _loaded(vgw_charon, _endpoint_1(PLAIN[0]))
    text = _endpoint_1(key)
    conns, keys, out = _loaded(vgw_charon, text)
    assert "failed" not in out, out
    assert conns == intended  # no updown, proposal or connection of the key's own
    assert keys == intended_keys == ["ike-Tunnel1"]
    [read_back] = shared_secrets(parse_swanctl(text, "vgw"))
    assert read_back.secret == key


def test_each_endpoint_loads_its_own_tunnel_and_key_only(vgw_charon):
    for n in (1, 2):
        text = vgw.swanctl_conf(LAB, n, ADDRESSES[n - 1], CGW, PLAIN[n - 1])
        conns, keys, _ = _loaded(vgw_charon, text)
        assert sorted(conns) == [f"Tunnel{n}"]
        assert keys == [f"ike-Tunnel{n}"]
        read_back = shared_secrets(parse_swanctl(text, "vgw"))
        # one key, for any identities: the endpoint has no other (a Libreswan peer
        # sends no IDr, and charon then looks the key up for its own id '%any')
        assert [(s.ids, s.secret) for s in read_back] == [([], PLAIN[n - 1])]


def _endpoint_1(key: str) -> str:
    """Endpoint 1's swanctl.conf, with ``key`` as its tunnel's key."""
    return vgw.swanctl_conf(LAB, 1, ADDRESSES[0], CGW, key)
