"""The lab's network in Linux namespaces, with real strongSwan on both gateways.

``DataPlane`` builds the topology of driver/lab/topology.py, starts the emulated
VGW's charon and the VPN server's charon (running the customer gateway's
files at their real paths), and tears everything down again — on success,
failure, exception or Ctrl-C — then proves nothing is left (``leaks``).

It builds in the kernel it runs on: where that is (this host, or the guest
kernel for what this host cannot run) is decided one level up
(driver/local/placement.py), and in the guest this very class runs inside it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import os
import shutil
import signal
from pathlib import Path

from driver.core import interrupts
from driver.core.errors import Fault, VpnlabError
from driver.core.processes import process_alive
from driver.lab import topology
from driver.lab.model import Lab
from driver.local.dataplane import (
    bgp,
    endpoints,
    filters,
    node_files,
    routing,
    vgw,
    vgw_bgp,
    wiring,
)
from driver.local.dataplane.cgw import CustomerGateway
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.daemon import IkeDaemon
from driver.local.dataplane.frr import Frr
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.dataplane.netns import Namespace, batched, create_all, delete_all
from driver.local.dataplane.network_view import NetworkView
from driver.local.dataplane.node_set import TransitSide, lab_nodes, tunnel_hashing
from driver.local.dataplane.ownership import already_there
from driver.local.dataplane.pluto import Pluto
from driver.local.shared.node_access import lab_namespaces

FORWARDING = {
    "net.ipv4.ip_forward": "1",
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv4.conf.default.rp_filter": "0",
    # A router that sends a packet back out where it came (the firewall) must not
    # tell the sender to go around it.
    "net.ipv4.conf.all.send_redirects": "0",
    "net.ipv4.conf.default.send_redirects": "0",
}
ROUTERS = ("aws-vpc", "firewall", "vgw", "inet", "onprem-vpc")


class DataPlaneError(VpnlabError):
    pass


def server_daemon(
    ns: Namespace,
    root: Path,
    files: dict[str, str | bytes],
    style: str,
    executables: frozenset[str] = frozenset(),
    swanctl_file: str | None = None,
    starter_conns: tuple[str, ...] = (),
) -> IkeDaemon:
    """The VPN server's IKE daemon for its files' style: Libreswan's pluto, or charon."""
    if style == "libreswan":
        return Pluto(ns, root, files, executables)
    return Charon(ns, root, files, style, executables, swanctl_file, starter_conns)


class DataPlane:
    def __init__(
        self,
        lab: Lab,
        cgw: CustomerGateway | None,
        vgw_psks: tuple[str, str],
        workdir: Path,
        kernel: KernelFeatures,
        plan: topology.AddressPlan | None = None,
        view: NetworkView | None = None,
        transit: TransitSide | None = None,
    ):
        """``view``: the route tables, security groups and network ACLs; by default
        the lab's own (``vpnlab check``), or what EC2 describes (the local target).
        ``transit``: this is a Transit Gateway lab's site (``lab``: the site's view),
        whose VGW node links to the Transit Gateway instead of a VPC."""
        self.lab, self.cgw, self.kernel = lab, cgw, kernel
        self.vgw_psks = vgw_psks
        self.workdir = workdir
        self.transit = transit
        self.plan = plan or topology.plan(lab, cgw.tunnel_addresses, cgw.public_ip)
        self.view = view or NetworkView.of_lab(lab, self.plan.tunnel_addresses)
        within = transit.within if transit else ""
        self.ns = {
            node: Namespace(lab.name, node, within)
            for node in lab_nodes(lab, site=transit is not None)
        }
        self.charons: dict[str, IkeDaemon] = {}  # the VGW's endpoints, the VPN server's
        self.frr: dict[str, Frr] = {}  # BGP labs: FRR beside the VGW's and the server's charon
        self.stopped_pids: list[int] = []  # for the leak check: they must be gone
        self.owned = False  # the lab's namespaces are this data plane's (claim, attach)
        self.built_interfaces: str | None = None  # attach: the recorded vgw_interfaces

    # --- build -------------------------------------------------------------

    def claim(self) -> None:
        """Make the lab's namespaces this data plane's, or refuse and change nothing:
        namespaces already there belong to someone else (an applied lab, a kept or
        interrupted check), and only their owner's command removes them."""
        if self.owned:
            return
        refused = already_there(self.lab.name)
        if refused:
            raise DataPlaneError(refused)
        self.owned = True

    def build(self) -> None:
        """Namespaces, links, routes and NAT, then the VGW's and the server's charons."""
        self.claim()
        self.workdir.mkdir(parents=True, exist_ok=True)
        with batched([*self.ns.values(), *([self.transit.gateway] if self.transit else [])]):
            create_all(self.ns.values())  # each loopback comes up with its batch
            for router in ROUTERS:  # before the links: an interface copies 'default' when made
                if router in self.ns:
                    self.ns[router].sysctl(FORWARDING)
            if self.transit:  # a Transit Gateway connection's ECMP over its two tunnels
                self.ns["vgw"].sysctl(tunnel_hashing())
            wiring.links(self.ns, self.plan)
            if self.transit:
                wiring.transit_link(
                    self.ns, self.plan, self.transit.gateway, self.transit.interface
                )
            wiring.routes(self.ns, self.plan, self._aws_networks)
        wiring.elastic_ip_nat(self.ns, self.plan)
        self._filters()  # before IKE starts: a group that refuses IKE must see its first packet
        self._start_charons()
        # After the endpoints' charons: userspace ESP's TUN devices are theirs.
        with batched(self.ns.values()):
            routing.install(
                self.ns,
                self.plan,
                self.view.tables,
                routing.ANY if self.transit else self.lab.aws.vpc_cidr,
                self._tunnel_route(),
                self.vgw_devices,
            )

    @property
    def _aws_networks(self) -> tuple:
        """What the VGW node reaches on its VPC side: the VPC, or across the Transit
        Gateway every network there."""
        return self.transit.networks if self.transit else (self.lab.aws.vpc_cidr,)

    def _filters(self) -> None:
        """Each node's filters in one iptables-restore: the stateful firewall first in
        FORWARD, before the appliance's own security group; then groups, then ACLs."""
        lines: dict[str, list[str]] = {}
        if "firewall" in self.ns:
            lines["firewall"] = [filters.STATEFUL_DROP]
        for node, group in self.view.groups.items():
            if node in self.ns:  # a Transit Gateway site's VPC hosts are the gateway's
                lines.setdefault(node, []).extend(filters.group_lines(node, group, self.kernel.esp))
        for subnet, acl in self.view.acls.items():
            router, interface = filters.SUBNET_INTERFACES[subnet]
            if router in self.ns:
                lines.setdefault(router, []).extend(filters.acl_lines(interface, acl))
        for node, node_lines in lines.items():
            filters.restore(self.ns[node], node_lines)

    def drops(self) -> dict[tuple[str, str], int]:
        """Packets each filter dropped so far, by (node, iptables chain). The nodes are
        read side by side: an iptables process each, ~0.2 s in the guest, before a ping
        (dataplane_runner.py: not right after a ping that lost nothing)."""
        nodes = {*self.view.groups, *(filters.SUBNET_INTERFACES[s][0] for s in self.view.acls)}
        nodes = [node for node in sorted(nodes | {"firewall"}) if node in self.ns]
        with concurrent.futures.ThreadPoolExecutor(max(len(nodes), 1)) as pool:
            counted = pool.map(lambda node: filters.drops(self.ns[node]), nodes)
            return {
                (node, chain): count
                for node, counts in zip(nodes, counted, strict=True)
                for chain, count in counts.items()
            }

    def _tunnel_route(self) -> tuple[str, ...] | None:
        """How the VGW hands a packet to a tunnel: the endpoints' updown scripts route
        into their tunnel interfaces or (userspace ESP) TUN devices (None); with kernel
        ESP and no interfaces the IPsec policy takes it on the way out."""
        if self.vgw_devices:
            return None
        return ("via", self.plan.vgw_uplinks[0], "dev", "wan")

    @property
    def vgw_devices(self) -> tuple[str, ...]:
        """The VGW's devices into the tunnels: interfaces, or userspace ESP's TUNs."""
        kind = self.vgw_interfaces
        if self.kernel.esp and not kind:
            return ()
        return tuple(vgw.device(n, kind) for n in endpoints.TUNNELS)

    @property
    def vgw_interfaces(self) -> str | None:
        """The VGW's tunnel interfaces (vti | xfrm), if this kernel has them; attached,
        those the data plane was built with."""
        if self.cgw is None:
            return self.built_interfaces
        return vgw.interface_kind(self.kernel, self.cgw.interfaces)

    def _start_charons(self) -> None:
        libipsec, kind, vgw_ns = not self.kernel.esp, self.vgw_interfaces, self.ns["vgw"]
        if kind:
            vgw.make_interfaces(vgw_ns, self.lab, kind, self.plan, self.cgw.public_ip)
        endpoints.map_ports(vgw_ns, self.plan.tunnel_addresses)
        static = [] if bgp.runs_bgp(self.lab) else routing.into_tunnels(self.view.tables)
        aws = endpoints.charons(
            self.lab, vgw_ns, self.workdir, self.plan.tunnel_addresses, self.cgw.public_ip,
            self.vgw_psks, kind, libipsec, static, bgp.vgw_files(self.lab, self._bgp_side),
        )  # fmt: skip
        server = server_daemon(
            self.ns["server"],
            self.workdir / "server",
            self.cgw.files | bgp.server_files(self.lab, self.cgw.files),
            self.cgw.style,
            self.cgw.executables,
            self.cgw.swanctl_file,
            self.cgw.starter_conns,
        )
        self.charons = aws | {"server": server}
        endpoints.launch(aws, libipsec)
        with concurrent.futures.ThreadPoolExecutor(len(aws)) as pool:  # a swanctl each
            list(pool.map(lambda endpoint: endpoint.load(), aws.values()))
        # The customer gateway starts once AWS's endpoints have their connections, as a
        # real one meets endpoints that are always there: a first packet answered
        # NO_PROPOSAL_CHOSEN would be a false verdict, and one dropped while they load
        # puts it into its retransmission backoff (charon's default, a customer's own
        # files': 4, 7, 13, 23, then 42 s between tries). AWS's endpoints with startup
        # action start initiate once it holds its connections, for the same reason.
        for command in self.cgw.prepare:
            self.ns["server"].exec(*command)
        server.launch()
        server.wait_ready()
        server.load()
        endpoints.initiate(self.lab, aws)
        self.frr = bgp.start(self.lab, self.charons, vgw_ns, self.plan)
        node_files.setup_finished(self.charons["server"], self.cgw)

    @property
    def _bgp_side(self):
        """AWS's side of the sessions: a VGW's, or the Transit Gateway's for a site."""
        if not self.transit:
            return None
        t = self.transit
        return vgw_bgp.AwsSide(t.announced, t.max_prefixes, t.max_paths)

    def vgw_endpoint(self, tunnel: str) -> IkeDaemon:
        """The charon of AWS's endpoint for ``tunnel`` (Tunnel1, Tunnel2)."""
        return self.charons[vgw.endpoint(int(tunnel.removeprefix("Tunnel")))]

    def charons_of(self, node: str) -> list[IkeDaemon]:
        """The node's charons: the VGW's endpoints, or the VPN server's one."""
        return [c for c in self.charons.values() if c.ns.node == node]

    def vgw_log(self) -> str:
        """Both endpoints' logs, every line named after its tunnel."""
        return "".join(
            endpoints.log(self.charons[vgw.endpoint(n)], n)
            for n in endpoints.TUNNELS
            if vgw.endpoint(n) in self.charons
        )

    def replace_vgw_endpoint(self, tunnel: str) -> None:
        """AWS's maintenance: a new endpoint for ``tunnel``, holding no SA."""
        n = int(tunnel.removeprefix("Tunnel"))
        endpoints.replace(self.lab, self.vgw_endpoint(tunnel), n, self.vgw_interfaces)

    # --- across processes (apply builds it, verify and destroy attach to it) -----

    def record(self) -> dict:
        return {
            "plan": dataclasses.asdict(self.plan),
            "kernel": dataclasses.asdict(self.kernel),
            "vgw_interfaces": self.vgw_interfaces,
            "view": self.view.record(),
            "charons": {
                name: {"pid": c.pid, "style": c.style, "node": c.ns.node}
                for name, c in self.charons.items()
            },
            # FRR runs in a charon's mounts: which one, and its daemons' PIDs
            "frr": {
                node: {
                    "charon": next(n for n, c in self.charons.items() if c is f.charon),
                    "pids": f.pids,
                }
                for node, f in self.frr.items()
            },
        }

    @classmethod
    def attach(
        cls, lab: Lab, workdir: Path, record: dict, transit: TransitSide | None = None
    ) -> DataPlane:
        """The running data plane a ``record()`` describes (nothing is started);
        ``transit``: a Transit Gateway site's, as it was built."""
        dp = cls(
            lab,
            None,
            ("", ""),
            workdir,
            KernelFeatures(**record.get("kernel", {"esp": False, "vti": False, "xfrmi": False})),
            topology.AddressPlan.from_dict(record["plan"]),
            NetworkView.from_record(record["view"]) if "view" in record else None,
            transit,
        )
        for name, info in record["charons"].items():
            node = dp.ns[info.get("node", name)]
            charon = server_daemon(node, workdir / name, {}, info["style"])
            charon.pid = info["pid"]
            dp.charons[name] = charon
        dp.built_interfaces = record.get("vgw_interfaces")
        for node, info in record.get("frr", {}).items():
            dp.frr[node] = Frr(dp.charons[info["charon"]])
            dp.frr[node].pids = info["pids"]
        dp.owned = True
        return dp

    def reroute(self, view: NetworkView) -> None:
        """Route by ``view``'s tables from now on (EC2's, as they are now: with BGP,
        the VGW's propagated routes come and go with what it learned)."""
        self.view = view
        routing.refresh_tables(self.ns, self.plan, view.tables)

    # --- operations the checks use -------------------------------------------

    def cut_tunnel_path(self, address: str) -> None:
        """Drop everything to and from one VGW endpoint on the "internet"."""
        for rule in (["-d", address], ["-s", address]):
            self.ns["inet"].exec("iptables", "-I", "FORWARD", *rule, "-j", "DROP")

    def restore_tunnel_path(self, address: str) -> None:
        for rule in (["-d", address], ["-s", address]):
            self.ns["inet"].exec("iptables", "-D", "FORWARD", *rule, "-j", "DROP", check=False)

    def assert_daemons_running(self) -> None:
        """A Fault naming the node whose charon or FRR died while the lab ran: a verdict
        reached with a daemon gone would be about vpnlab, not the configuration."""
        for charon in self.charons.values():
            if charon.pid is not None and not charon.running():
                raise charon.fault("exited", exited=True)
        for node, frr in self.frr.items():
            for daemon in frr.dead():
                raise Fault(f"{daemon} in node {node} ({self.ns[node].name}) is no longer running")

    # --- teardown ----------------------------------------------------------------

    def teardown(self) -> None:
        """Stop daemons by PID, delete namespaces and files. Safe to call twice; does
        nothing for a data plane that never claimed the namespaces."""
        if not self.owned:
            return
        with interrupts.deferred():
            self.stopped_pids += bgp.stop(self.frr)  # before the charons: it runs in their mounts
            for charon in self.charons.values():
                if charon.pid is not None:
                    self.stopped_pids.append(charon.pid)
                charon.stop()
            for ns in self.ns.values():
                for pid in ns.pids():  # anything else started in a lab namespace
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            delete_all(self.ns.values())
            shutil.rmtree(self.workdir, ignore_errors=True)

    def leaks(self) -> list[str]:
        """What is left of this lab: namespaces, daemons, files."""
        left = [f"namespace {name}" for name in lab_namespaces(self.lab.name)]
        left += [
            f"charon (pid {c.pid}) in {c.ns.name}"
            for c in self.charons.values()
            if c.pid is not None
        ]
        # `ip netns delete` succeeds even while a process holds the namespace.
        left += [
            f"daemon pid {pid} still running" for pid in self.stopped_pids if process_alive(pid)
        ]
        if self.workdir.exists():
            left.append(f"directory {self.workdir}")
        return left
