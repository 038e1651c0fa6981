"""A namespace's settings, written from a thread that entered it (no process).

The thread's network namespace is its own: what it writes under /proc/sys/net is
the namespace's, and this host's stay as they were. Only net.* settings are a
network namespace's; anything else is refused before anything is written.
"""

import secrets
from pathlib import Path

import pytest

from driver.local.dataplane.netns import CommandError, Namespace
from tests.conftest import requires_root

pytestmark = [pytest.mark.root, requires_root()]


@pytest.fixture
def namespace():
    ns = Namespace(f"t{secrets.token_hex(3)}", "sysctl").create()
    yield ns
    ns.delete()


def _read(ns: Namespace, key: str) -> str:
    return ns.exec("sysctl", "-n", key).stdout.strip()


def test_settings_are_the_namespaces_and_the_hosts_stay(namespace):
    host = Path("/proc/sys/net/ipv4/conf/all/rp_filter").read_text().strip()
    wanted = "1" if host == "2" else "2"
    namespace.sysctl({"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": wanted})
    assert _read(namespace, "net.ipv4.ip_forward") == "1"
    assert _read(namespace, "net.ipv4.conf.all.rp_filter") == wanted
    assert Path("/proc/sys/net/ipv4/conf/all/rp_filter").read_text().strip() == host


@pytest.mark.parametrize(
    "key, said",
    [
        ("kernel.panic", "not a network setting: kernel.panic"),
        ("net.ipv4/../../kernel/panic", "not a network setting"),
        ("net.ipv4.conf.nowhere.rp_filter", "net.ipv4.conf.nowhere.rp_filter=1: No such file"),
    ],
)
def test_a_setting_the_namespace_lacks_is_an_error_naming_it(namespace, key, said):
    with pytest.raises(CommandError, match=said.replace(".", r"\.")):
        namespace.sysctl({key: "1"})
