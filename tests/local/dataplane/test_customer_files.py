"""vpnlab reads the customer's files as strongSwan does: for every real-world
fixture (tests/fixtures/cgw/, sources in SOURCES.md), the connections, their
children, selectors, remote addresses and local ids that lint judges equal
what charon lists over vici after loading the same files at their server
paths (starter for ipsec.conf, ``swanctl --load-all`` for swanctl.conf).

Proposals are compared from charon's own log of each swanctl connection it
loaded (``proposals = IKE:AES_CBC_128/…``, read with the independent table of
driver/checks/negotiated.py), and ipsec.secrets from starter's ``loaded IKE
secret for <ids>``. swanctl's secrets are not listed by charon: the check tests
negotiate with them (tests/local/test_check_command.py).
"""

import ipaddress
import re
import secrets
import time

import pytest

from driver.analysis import cgw_grammar, cgw_proposals
from driver.cgw.strongswan import files as cgw_files
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.checks import negotiated
from driver.checks.vici_fields import text
from driver.lab.loader import load_lab
from driver.local.dataplane import cgw
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace
from driver.render.cloud_init import CharonOptions
from tests.conftest import SEED, requires_root
from tests.fixtures import CGW_FIXTURES, cgw_fixture

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]


def loaded_by_charon(tmp_path, customer: cgw_files.CustomerConfig) -> tuple[dict, str]:
    """list-conns of a charon that loaded the customer's files (no network: loopback),
    and charon's log."""
    lab = load_lab(SEED)
    gateway_files = cgw.rendered(lab, ("k" * 8, "k" * 8), CharonOptions(log_file="/run/charon.log"))
    files = {"/etc/strongswan.conf": gateway_files.files["/etc/strongswan.conf"]}
    files |= customer.contents()
    executables = frozenset(p for p in customer.files if customer.executable(p))
    ns = Namespace(f"t{secrets.token_hex(3)}", "files").create()
    charon = Charon(ns, tmp_path, files, customer.style, executables)
    try:
        charon.start()
        if customer.style == "ipsec.conf":  # starter adds conns after charon is up
            expected = sum(1 for c in customer.conns if c.get("auto", "ignore") != "ignore")
            deadline = time.monotonic() + 10
            while charon.log().count("received stroke: add connection") < expected:
                assert time.monotonic() < deadline, charon.log()[-2000:]
                time.sleep(0.05)
        with charon.session() as session:
            conns = {name: conn for item in session.list_conns() for name, conn in item.items()}
        return conns, charon.log()
    finally:
        charon.stop()
        ns.delete()


@pytest.mark.parametrize("name", CGW_FIXTURES)
def test_vpnlab_sees_the_connections_charon_loads(tmp_path, name):
    customer = cgw_files.load(cgw_fixture(name))
    ours = tunnels_of(customer, cgw_grammar.judge(customer).refused)
    theirs, log = loaded_by_charon(tmp_path, customer)
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


def charons_proposals(log: str) -> dict[tuple[str, str], list[str]]:
    """(conn, "IKE"|"ESP") -> the proposals charon parsed, from its vici log:
    `` conn NAME:`` / ``  child NAME:`` / ``   proposals = ESP:…``."""
    out: dict[tuple[str, str], list[str]] = {}
    conn = None
    for line in log.splitlines():
        if m := re.search(r"\[CFG\]  conn (\S+):$", line):
            conn = m.group(1)
        elif conn and (m := re.search(r"\[CFG\] +proposals = (IKE|ESP):(.*)$", line)):
            out[(conn, m.group(1))] = m.group(2).split(", ")
    return out


def aws_names(proposals: list[str]) -> dict[str, set]:
    """charon's algorithm names, in AWS's, by negotiated.py's independent table."""
    names: dict[str, set] = {"enc": set(), "integ": set(), "dh": set()}
    for proposal in proposals:
        for algorithm in proposal.split("/"):
            cipher, _, bits = algorithm.rpartition("_")
            if (cipher, bits) in negotiated.ENCRYPTION:
                names["enc"].add(negotiated.ENCRYPTION[(cipher, bits)])
            elif algorithm in negotiated.INTEGRITY:
                names["integ"].add(negotiated.INTEGRITY[algorithm])
            elif algorithm in negotiated.PRF:
                names["integ"].add(negotiated.PRF[algorithm])
            elif algorithm in negotiated.DH_GROUPS:
                names["dh"].add(negotiated.DH_GROUPS[algorithm])
    return names


def ours(text: str) -> dict[str, set]:
    parsed, _ = cgw_proposals.parsed_proposals(text)
    return {
        "enc": {e for p in parsed for e in p["enc"]},
        "integ": {i for p in parsed for i in p["integ"] | p["prf"]},
        "dh": {g for p in parsed for g in p["dh"]},
    }


@pytest.mark.parametrize("name", [n for n in CGW_FIXTURES if (cgw_fixture(n) / "swanctl").is_dir()])
def test_vpnlab_reads_the_proposals_charon_parses(tmp_path, name):
    customer = cgw_files.load(cgw_fixture(name))
    tunnels = tunnels_of(customer, cgw_grammar.judge(customer).refused)
    _, log = loaded_by_charon(tmp_path, customer)
    theirs = charons_proposals(log)
    for t in tunnels:
        for kind, written in (("IKE", t.ike), ("ESP", t.esp)):
            if written and written != "default":
                assert ours(written) == aws_names(theirs[(t.name, kind)]), (t.name, kind, written)


@pytest.mark.parametrize(
    "name", [n for n in CGW_FIXTURES if (cgw_fixture(n) / "ipsec.conf").is_file()]
)
def test_vpnlab_reads_the_secrets_starter_loads(tmp_path, name):
    customer = cgw_files.load(cgw_fixture(name))
    _, log = loaded_by_charon(tmp_path, customer)
    theirs = re.findall(r"loaded (?:IKE|PSK) secret for (.*)$", log, re.M)
    assert [" ".join(s.ids) or "%any" for s in customer.secrets if s.kind == "PSK"] == theirs
