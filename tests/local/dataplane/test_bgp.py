"""AWS's side of BGP as the emulated VGW runs it (FRR), against the VPN server's
rendered FRR, over two links that stand for the tunnels' interfaces.

No IPsec here (that is the guest's: tests/local/test_guest.py): the sessions run
between the tunnels' inside addresses on veth pairs, so each behaviour AWS
documents is checked in seconds on this host. What is asserted comes from the
live bgpd, read back (FRR's JSON), against the numbers in AWS's user guide
(driver/lab/aws_rules.py), not against the rendered text.
"""

import dataclasses
import ipaddress
import secrets
import time

import pytest

from driver.analysis.lab_from_cgw import lab_text
from driver.cgw.strongswan import files as cgw_files
from driver.core.paths import PROJECT
from driver.core.processes import process_alive
from driver.lab import aws_rules, topology
from driver.lab.loader import load_lab, parse_lab
from driver.lab.nodes import VGW_ENDPOINTS
from driver.local import bgp_probe
from driver.local.dataplane import bgp, vgw, vgw_bgp
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.frr import CONFIG, Frr, node_files
from driver.local.dataplane.netns import Namespace, link
from driver.local.shared import node_access
from driver.render.frr import frr_files
from tests.conftest import requires_root
from tests.fixtures import cgw_fixture

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

BGP_LAB = load_lab(PROJECT / "labs" / "bgp.yml")


class Pair:
    """The VGW and the VPN server node, each with a charon (whose mounts FRR
    shares) and its FRR, linked by one veth per tunnel."""

    def __init__(self, lab, workdir, server: dict | None = None):
        """``server``: a customer's files for the server node (default: vpnlab's)."""
        self.lab, self.name = lab, f"b{secrets.token_hex(3)}"
        self.workdir = workdir
        self.ns = {n: Namespace(self.name, n).create() for n in ("vgw", "server")}
        for n, tunnel in enumerate(lab.tunnels, start=1):
            inside = tunnel.inside_cidr
            link(
                self.ns["vgw"], f"tunnel{n}", f"{inside[1]}/30",
                self.ns["server"], f"xfrm{n}", f"{inside[2]}/30",
            )  # fmt: skip
        # The server's own address, as its interface on the real subnet has it: zebra
        # takes no router ID from the tunnels' link-local 169.254.x.x (files that set
        # no `bgp router-id` would send 0.0.0.0, Bad BGP Identifier).
        server_ip = f"{topology.server_ip(lab)}/32"
        self.ns["server"].ip("addr", "add", server_ip, "dev", "lo")
        conf = "/etc/strongswan.conf"
        base = {conf: vgw.strongswan_conf(lab, 1, "/run/charon.log", libipsec=False)}
        server = frr_files(lab) if server is None else server
        files = {
            "vgw": base | {CONFIG: vgw_bgp.frr_conf(lab)} | node_files(),
            "server": base | server | bgp.server_files(lab, server),
        }
        # The VGW's BGP speaker runs beside endpoint 1's charon, in its folder (as in
        # the data plane: driver/local/dataplane/endpoints.py), where node_access looks.
        folders = {"vgw": VGW_ENDPOINTS[0], "server": "server"}
        self.charons = {
            n: Charon(self.ns[n], workdir / folders[n], files[n], "swanctl") for n in self.ns
        }
        self.frr = {}
        for node, charon in self.charons.items():
            charon.start()
            self.frr[node] = Frr(charon, bgp.setup_of(charon.files).configs)
            self.frr[node].start()

    def session(self, node: str, tunnel: str, timeout: float = 20.0):
        peer = bgp_probe.peer_of(self.lab, node, tunnel)
        vgw_lab = self.lab if node == "vgw" else None
        return bgp_probe.probe(self.frr[node], peer, timeout, lambda _: None, vgw_lab)

    def pids(self) -> list[int]:
        return [pid for f in self.frr.values() for pid in f.pids.values()]

    def stop(self) -> None:
        for node in self.frr:
            self.frr[node].stop()
        for charon in self.charons.values():
            charon.stop()
        for ns in self.ns.values():
            ns.delete()


@pytest.fixture
def pair(tmp_path):
    started = []

    def start(lab=BGP_LAB, server=None) -> Pair:
        started.append(Pair(lab, tmp_path / str(len(started)), server))
        return started[-1]

    yield start
    for p in started:
        p.stop()


def test_sessions_establish_with_awss_timers_and_exchange_the_vpcs(pair):
    p = pair()
    started = time.monotonic()
    for tunnel in ("Tunnel1", "Tunnel2"):
        passed, detail = p.session("vgw", tunnel)
        assert passed, detail
    established = time.monotonic() - started
    assert established < 15, f"sessions took {established:.1f} s (FRR's connect timer?)"
    passed, detail = p.session("server", "Tunnel1")  # the customer's side of it
    assert passed and detail.startswith("Established with 169.254.10.1 (AS 64512)"), detail
    assert detail.endswith("1 prefixes accepted: 10.0.0.0/16")
    for peer, neighbor in p.frr["vgw"].neighbors().items():
        assert neighbor["localAs"] == aws_rules.AMAZON_SIDE_ASN_DEFAULT
        assert neighbor["remoteAs"] == BGP_LAB.vpn.customer_gateway_asn
        assert neighbor["bgpTimerHoldTimeMsecs"] == aws_rules.BGP_HOLD_TIME * 1000
        assert neighbor["bgpTimerKeepAliveIntervalMsecs"] == aws_rules.BGP_KEEPALIVE * 1000
        family = neighbor["addressFamilyInfo"]["ipv4Unicast"]
        assert family["prefixAllowedMax"] == aws_rules.MAX_ADVERTISED_PREFIXES
        assert p.frr["vgw"].received(peer) == ["192.168.0.0/16"]
    # The VPN server's zebra routes the AWS VPC over a tunnel; the VGW's, the on-prem VPC.
    deadline = time.monotonic() + 10
    while "proto bgp" not in p.ns["server"].ip("route", "show", "10.0.0.0/16").stdout:
        assert time.monotonic() < deadline, "zebra never installed the AWS VPC's route"
        time.sleep(0.1)
    assert "dev tunnel" in p.ns["vgw"].ip("route", "show", "proto", "bgp").stdout
    # What the emulator's VgwTelemetry reads, from outside the data plane.
    sessions = node_access.vgw_bgp_neighbors(p.name, p.workdir)
    assert {vgw_bgp.session_state(s) for s in sessions.values()} == {"Established"}
    assert node_access.vgw_bgp_learned(p.name, p.workdir) == ["192.168.0.0/16"]


def test_the_101st_prefix_closes_the_session_with_awss_reason(pair):
    prefixes = (ipaddress.ip_network("192.168.0.0/16"),) + tuple(
        ipaddress.ip_network(f"172.16.{i}.0/24") for i in range(100)
    )
    lab = dataclasses.replace(
        BGP_LAB, vpn=dataclasses.replace(BGP_LAB.vpn, advertised_prefixes=prefixes)
    )
    p = pair(lab)
    for tunnel in ("Tunnel1", "Tunnel2"):
        passed, detail = p.session("vgw", tunnel)
        assert not passed
        peer = bgp_probe.peer_of(lab, "vgw", tunnel)
        assert detail.startswith(  # as AWS's BGP log will say it, then the state
            f"AWS's BGP log: \"AWS-side peer sent a notification 6/1 (Cease/Maximum Number of "
            f'Prefixes Reached) to neighbor {peer}"; Idle (Cease/Maximum Number of Prefixes '
            "Reached)"
        ), detail
    assert node_access.vgw_bgp_learned(p.name, p.workdir) == []


def test_the_100th_prefix_is_still_accepted(pair):
    prefixes = (ipaddress.ip_network("192.168.0.0/16"),) + tuple(
        ipaddress.ip_network(f"172.16.{i}.0/24") for i in range(99)
    )
    lab = dataclasses.replace(
        BGP_LAB, vpn=dataclasses.replace(BGP_LAB.vpn, advertised_prefixes=prefixes)
    )
    passed, detail = pair(lab).session("vgw", "Tunnel1")
    assert passed and "100 prefixes accepted" in detail, detail


def test_a_customer_asking_for_longer_timers_gets_awss_hold_time(pair):
    p = pair()
    assert p.session("vgw", "Tunnel1")[0]
    vgw_inside = str(BGP_LAB.tunnels[0].inside_cidr[1])
    asn = BGP_LAB.vpn.customer_gateway_asn
    p.frr["server"].vtysh(
        "configure terminal",
        f"router bgp {asn}",
        f"neighbor {vgw_inside} timers 60 180",
        "end",
        f"clear bgp {vgw_inside}",
    )
    deadline = time.monotonic() + 20
    while True:  # the new session, with the hold time both ends agreed on: the smaller
        neighbor = p.frr["server"].neighbors().get(vgw_inside, {})
        configured = neighbor.get("bgpTimerConfiguredHoldTimeMsecs")
        if neighbor.get("bgpState") == "Established" and configured == 180_000:
            break
        assert time.monotonic() < deadline, neighbor.get("bgpState")
        time.sleep(0.2)
    assert neighbor["bgpTimerHoldTimeMsecs"] == aws_rules.BGP_HOLD_TIME * 1000


def test_as_path_prepending_moves_awss_choice_to_the_other_tunnel(pair):
    p = pair()
    for tunnel in ("Tunnel1", "Tunnel2"):
        assert p.session("vgw", tunnel)[0]
    deadline = time.monotonic() + 10
    while "dev tunnel" not in (chosen := p.ns["vgw"].ip("route", "show", "192.168.0.0/16").stdout):
        assert time.monotonic() < deadline, "zebra never installed the on-prem VPC's route"
        time.sleep(0.1)
    preferred = "tunnel1" if "dev tunnel1" in chosen else "tunnel2"
    other = {"tunnel1": "tunnel2", "tunnel2": "tunnel1"}[preferred]
    peer = str(BGP_LAB.tunnels[int(preferred[-1]) - 1].inside_cidr[1])
    asn = BGP_LAB.vpn.customer_gateway_asn
    p.frr["server"].vtysh(
        "configure terminal",
        "route-map PREPEND permit 10",
        f"set as-path prepend {asn} {asn}",
        "exit",
        f"router bgp {asn}",
        "address-family ipv4 unicast",
        f"neighbor {peer} route-map PREPEND out",
        "end",
        f"clear bgp ipv4 unicast {peer} soft out",
    )
    deadline = time.monotonic() + 15
    while f"dev {other}" not in p.ns["vgw"].ip("route", "show", "192.168.0.0/16").stdout:
        assert time.monotonic() < deadline, "the VGW kept the prepended path"
        time.sleep(0.1)


def test_stopped_frr_leaves_no_daemon(pair):
    p = pair()
    pids = p.pids()
    assert len(pids) == 4  # zebra and bgpd, twice
    p.stop()
    assert [pid for pid in pids if process_alive(pid)] == []


CUSTOMER_FRR = frr_files(BGP_LAB)["/etc/frr/frr.conf"]


def test_a_customers_frr_without_an_ebgp_policy_peers_and_routes_nothing(pair):
    """What lint's bgp-policy says (tests/analysis/test_cgw_bgp.py), FRR does: RFC 8212."""
    strict = CUSTOMER_FRR.replace(" no bgp ebgp-requires-policy\n", "")
    p = pair(server={"/etc/frr/frr.conf": strict})
    passed, detail = p.session("vgw", "Tunnel1")
    assert passed and "0 prefixes accepted" in detail, detail
    assert p.frr["vgw"].received(bgp_probe.peer_of(BGP_LAB, "vgw", "Tunnel1")) == []


def test_a_quagga_bgpd_conf_runs_under_frr_with_quaggas_defaults(pair):
    """Quagga has no RFC 8212 policy: the same file, as quagga/bgpd.conf, routes."""
    quagga = CUSTOMER_FRR.replace(" no bgp ebgp-requires-policy\n", "").replace(
        "frr defaults traditional\n", ""
    )
    p = pair(server={"/etc/quagga/bgpd.conf": quagga, "/etc/quagga/zebra.conf": "hostname z\n"})
    assert p.frr["server"].configs == {
        "zebra": "/etc/quagga/zebra.conf",
        "bgpd": "/etc/quagga/bgpd.conf",
    }
    passed, detail = p.session("vgw", "Tunnel1")
    assert passed and detail.endswith("1 prefixes accepted: 192.168.0.0/16"), detail


def test_frrs_daemons_file_decides_whether_bgpd_runs():
    files = {"/etc/frr/frr.conf": CUSTOMER_FRR, "/etc/frr/daemons": "zebra=yes\nbgpd=no\n"}
    assert bgp.setup_of(files) is None  # as on the server: nothing starts
    files["/etc/frr/daemons"] = "bgpd=yes\n"
    assert bgp.setup_of(files).configs["bgpd"] == "/etc/frr/frr.conf"


def test_the_emulators_telemetry_closes_a_burst_of_101_prefixes_too(pair, monkeypatch):
    """FRR 8.4 lets a burst at session start past the limit; the emulator's
    VgwTelemetry has bgpd recount before it reports the tunnel."""
    from driver.lab.aws_rules import MAX_ADVERTISED_PREFIXES
    from driver.local.emulator import lab_nodes
    from driver.local.emulator.vpn_connections import _rechecked

    prefixes = (ipaddress.ip_network("192.168.0.0/16"),) + tuple(
        ipaddress.ip_network(f"172.16.{i}.0/24") for i in range(100)
    )
    lab = dataclasses.replace(
        BGP_LAB, vpn=dataclasses.replace(BGP_LAB.vpn, advertised_prefixes=prefixes)
    )
    p = pair(lab)
    peer = bgp_probe.peer_of(lab, "vgw", "Tunnel1")
    deadline = time.monotonic() + 20
    while True:  # the session has had its UPDATEs (or bgpd closed it on its own)
        session = node_access.vgw_bgp_neighbors(p.name, p.workdir).get(peer, {})
        if node_access.bgp_accepted(session) > 100 or session.get("lastNotificationReason"):
            break
        assert time.monotonic() < deadline, session.get("bgpState")
        time.sleep(0.2)
    # The pair's folder, where an applied lab's state would hold its data plane.
    monkeypatch.setattr(lab_nodes, "_workdir", lambda lab: p.workdir)
    after = _rechecked(p.name, peer, session, [], MAX_ADVERTISED_PREFIXES)  # the lab's VGW
    assert after.get("bgpState") != "Established"
    assert "Maximum Number of Prefixes Reached" in vgw_bgp.session_state(after)


@pytest.mark.parametrize(
    ("fixture", "accepted"),
    [
        ("quagga-ipsec-vti", ["10.0.0.0/16"]),  # AWS's own sample: Quagga, `debug bgp` lines
        ("frr-bgpd-conf-ipsec-vti", []),  # announces nothing (its `frr version` is 6.0)
        ("frr-vtysh-ipsec-vti", ["{server_ip}/32"]),  # redistribute connected: its address
    ],
)
def test_customers_own_bgp_files_peer_with_the_vgw(pair, tmp_path, fixture, accepted):
    """Public customers' FRR and Quagga files (tests/fixtures/cgw/SOURCES.md) on the
    server node, against the lab `vpnlab init --from-cgw-config` writes for them."""
    lab = parse_lab(lab_text(cgw_fixture(fixture)), fixture)
    customer = cgw_files.load(cgw_fixture(fixture))
    server = {path: real.read_text() for path, real in customer.files.items() if "/etc/" in path}
    p = pair(lab, {k: v for k, v in server.items() if k.startswith(("/etc/frr/", "/etc/quagga/"))})
    passed, detail = p.session("vgw", "Tunnel1")
    assert passed, detail
    received = p.frr["vgw"].received(bgp_probe.peer_of(lab, "vgw", "Tunnel1"))
    server_ip = topology.server_ip(lab)
    assert all(prefix.format(server_ip=server_ip) in received for prefix in accepted), received
    assert bool(received) == bool(accepted), received
