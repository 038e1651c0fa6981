"""The records vpnlab reads from Libreswan's files, held field by field to what
pluto itself loaded from them (root): Libreswan 4.10's pluto runs on every
fixture in a throwaway namespace (it loads conns without kernel ESP), and
``whack --status`` says, per conn, its subnets, its ends, its identities and its
IKE version, after %default, also= and include did their work. A conn pluto
does not add is one it says why of, in its log."""

import re
import secrets

import pytest

from driver.cgw.libreswan import files
from driver.cgw.libreswan.tunnels import tunnels_of
from driver.core.paths import PROJECT
from driver.local.dataplane.netns import Namespace
from driver.local.dataplane.pluto import Pluto
from tests.cgw.libreswan.test_reading import FIXTURES, written
from tests.conftest import requires_root

pytestmark = [pytest.mark.root, requires_root()]

CONFIGS = [*FIXTURES, PROJECT / "tests" / "scenarios" / "libreswan-aws-sample" / "etc"]
# The node's addresses: the fixtures' left= (192.168.0.14) and %defaultroute's.
ADDRESSES = ("192.168.0.10/24", "192.168.0.14/24")
_CONN = re.compile(r'^(?:000 )?"([^"]+)": (\S+?)\.\.\.(\S+?);')
_LEFT = re.compile(r"^(?:(\S+?)===)?([^\[\s]+?)(?:\[([^\]]*)\])?(?:---\S+)?$")
_RIGHT = re.compile(r"^([^\[=\s]+?)(?:\[([^\]]*)\])?(?:===(\S+))?$")
_POLICY = re.compile(r'^(?:000 )?"([^"]+)":\s+policy: (\S+);')


def loaded_by_pluto(folder, tmp_path) -> tuple[dict[str, dict], list[str]]:
    """Each conn pluto added, as its status shows it, and what it refused."""
    customer = files.load(folder)
    ns = Namespace(f"t{secrets.token_hex(3)}", "server").create()
    pluto = Pluto(ns, tmp_path / ns.name, customer.folder.contents())
    try:
        ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
        for address in ADDRESSES:
            ns.ip("address", "add", address, "dev", "v0")
        ns.ip("link", "set", "v0", "up")
        ns.ip("link", "set", "v1", "up")
        ns.ip("route", "add", "default", "via", "192.168.0.1")
        pluto.start()
        status, refused = pluto.whack("--status"), pluto.refused()
    finally:
        pluto.stop()
        ns.delete()
    conns: dict[str, dict] = {}
    for line in status.splitlines():
        if (found := _CONN.match(line)) and found[1] not in conns:
            left, right = _LEFT.match(found[2]), _RIGHT.match(found[3])
            conns[found[1]] = {
                "local_ts": left[1],
                "left": left[2],
                "leftid": left[3],
                "right": right[1],
                "remote_ts": right[3],
            }
        elif policy := _POLICY.match(line):
            conns[policy[1]]["version"] = "2" if "IKEv2" in policy[2] else "1"
    return conns, refused


@pytest.mark.parametrize("folder", [*CONFIGS, "written"], ids=lambda f: getattr(f, "name", f))
def test_each_record_is_what_pluto_loaded(folder, tmp_path):
    if folder == "written":
        (tmp_path / "etc").mkdir()
        folder = written(tmp_path / "etc")
    loaded, refused = loaded_by_pluto(folder, tmp_path / "run")
    customer = files.load(folder)
    records = {t.name: t for t in tunnels_of(customer) if t.name not in customer.conf.refused}
    for name, record in records.items():
        if name not in loaded:  # pluto says why (a proposal its build refuses, IKEv1)
            assert any(f'"{name}"' in r or name in r for r in refused), (name, refused)
            continue
        shown = loaded[name]
        assert shown["right"] == record.right.strip(), name
        assert shown["local_ts"] == record.local_ts, name
        assert shown["remote_ts"] == record.remote_ts, name
        assert shown["version"] == record.version, name
        if record.leftid:  # pluto shows an identity that is not the address itself
            assert shown["leftid"] in (record.leftid, None), name
            assert shown["leftid"] or shown["left"] == record.leftid, name
    assert set(loaded) <= set(records)  # nothing loaded that vpnlab does not know of
    assert loaded or refused  # pluto took a conn, or said why it took none
