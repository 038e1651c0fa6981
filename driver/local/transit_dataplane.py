"""A Transit Gateway lab in Linux namespaces, with real strongSwan on every gateway.

    v0-aws ── v0-aws-vpc ─┐                 ┌─ s0-vgw ══ s0-inet ══ s0-onprem-vpc ── s0-server
    v1-aws ── v1-aws-vpc ─┼── tgw ──────────┤                              └──────── s0-onprem
                          │                 └─ s1-vgw ══ s1-inet ══ …

* ``tgw``: the Transit Gateway. A packet is routed by the route table associated with
  the attachment it came in on (``ip rule iif``); each table holds the routes AWS
  would use (driver/lab/transit_routes.py ``winners``: longest prefix, static over
  VPC-propagated over VPN-propagated, ECMP over equal BGP routes with
  ``VpnEcmpSupport``: a multipath route hashed by flow), blackholes drop, and what no
  route names is unreachable;
* ``v<j>-aws-vpc`` / ``v<j>-aws``: VPC ``j``'s router (what its route table sends to
  the gateway: the lab's other networks, as synthesis writes them, or after an apply
  what EC2's table holds, GatewayTables.vpc_routes) and test host;
* ``s<i>-…``: site ``i``, built as a VGW lab's data plane is (driver/local/dataplane/
  network.py ``DataPlane``) from the site's view of the lab, with no VPC of its own:
  its ``vgw`` node (the connection's two AWS endpoints, and with BGP its speaker,
  announcing the connection's route table) links to ``tgw``.

The BGP-propagated routes in the gateway's tables are the ones the lab's BGP sites
advertise (as ``vpnlab check`` of a VGW lab takes its VPC's propagated routes from
the lab); what the connection's speaker really learned decides what enters its
tunnels. A site's own ``inet`` holds its tunnel addresses, so every site's tunnels
may have AWS's first addresses.
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from driver.core import interrupts
from driver.core.errors import VpnlabError
from driver.lab import aws_rules, nodes, security_groups, topology
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab, Site
from driver.local.dataplane import filters
from driver.local.dataplane.cgw import CustomerGateway
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.dataplane.netns import Namespace, batched, create_all, delete_all, link
from driver.local.dataplane.network import FORWARDING, DataPlane
from driver.local.dataplane.network_view import NetworkView
from driver.local.dataplane.node_set import ECMP_BY_FLOW, TransitSide
from driver.local.dataplane.ownership import already_there
from driver.local.gateway_tables import GatewayTables
from driver.local.shared.node_access import lab_namespaces

VPC_LINKS = ipaddress.ip_network("169.254.250.0/24")  # the gateway's /30 to each VPC router
FIRST_TABLE = 100  # the default route table; the lab's own follow
NO_TABLE = 99  # an attachment associated with no table: what it sends is dropped


@dataclass
class SitePlane:
    site: Site
    index: int
    dp: DataPlane


class TransitDataPlane:
    def __init__(
        self,
        lab: Lab,
        workdir: Path,
        kernel: KernelFeatures,
        tables: GatewayTables | None = None,
        hosts: dict[str, str] | None = None,
    ):
        """``tables``: the gateway's (the lab's by default); ``hosts``: each VPC's test
        host's address (its subnet's ``.10`` by default; the instances' when applied)."""
        self.lab, self.workdir, self.kernel = lab, workdir, kernel
        self.tables = tables or GatewayTables.of_lab(lab)
        self.hosts_ips = hosts or {
            v.name: str(v.private_subnet_cidr.network_address + topology.HOST_INDEX)
            for v in lab.vpcs
        }
        self.gateway = Namespace(lab.name, "tgw")
        prefixes = {v.name: nodes.vpc_prefix(j) for j, v in enumerate(lab.vpcs)}
        self.routers = {v: Namespace(lab.name, "aws-vpc", p) for v, p in prefixes.items()}
        self.hosts = {v: Namespace(lab.name, "aws", p) for v, p in prefixes.items()}
        self.sites: list[SitePlane] = []
        self.owned = False

    # --- build ------------------------------------------------------------------

    def claim(self) -> None:
        """Make the lab's namespaces this data plane's, or refuse and change nothing
        (as DataPlane.claim: they belong to someone else)."""
        if self.owned:
            return
        refused = already_there(self.lab.name)
        if refused:
            raise VpnlabError(refused)
        self.owned = True

    def add_site(
        self,
        index: int,
        view: Lab,
        gateway: CustomerGateway,
        psks: tuple[str, str],
        hosts: dict[str, str] | None = None,
    ) -> DataPlane:
        """Site ``index``'s data plane (built with the rest by ``build``); ``hosts``:
        its instances' addresses, as ``topology.plan`` takes them."""
        site = self.lab.sites[index]
        plan = topology.plan(view, gateway.tunnel_addresses, gateway.public_ip, hosts)
        view_of_site = NetworkView.of_lab(view, plan.tunnel_addresses)
        groups = dict(view_of_site.groups)
        groups["onprem"] = security_groups.transit_test_host(
            self.lab, f"site:{site.name}", site.onprem.test_host
        )  # ICMP from across the gateway, as synthesis writes it
        dp = DataPlane(
            view,
            gateway,
            psks,
            self._site_dir(site),
            self.kernel,
            plan,
            dataclasses.replace(view_of_site, groups=groups),
            self._transit_side(index),
        )
        dp.owned = True  # the gateway's claim covers the site's namespaces too
        self.sites.append(SitePlane(site, index, dp))
        return dp

    def _transit_side(self, index: int) -> TransitSide:
        name = f"site:{self.lab.sites[index].name}"
        return TransitSide(
            gateway=self.gateway,
            interface=f"s{index}",
            networks=tgw.networks_beyond(self.lab, name),
            announced=tgw.routed_to(self.lab, name),
            max_prefixes=aws_rules.MAX_ADVERTISED_PREFIXES_TRANSIT_GATEWAY,
            max_paths=2 if self.lab.transit_gateway.ecmp else 1,
            within=nodes.site_prefix(index),
        )

    def _site_dir(self, site: Site) -> Path:
        return self.workdir / nodes.site_folder(site.name)

    def build(self) -> None:
        """The gateway and the VPCs, every site's data plane, then the gateway's tables."""
        self.claim()
        self.workdir.mkdir(parents=True, exist_ok=True)
        own = [self.gateway, *self.routers.values(), *self.hosts.values()]
        with batched(own):
            create_all(own)  # each loopback comes up with its batch
            for router in (self.gateway, *self.routers.values()):
                router.sysctl(FORWARDING)
            self.gateway.sysctl(ECMP_BY_FLOW)
            for j, vpc in enumerate(self.lab.vpcs):
                self._vpc(j, vpc)
        for plane in self.sites:
            plane.dp.build()
        with batched([self.gateway]):
            self._tables()
        for vpc in self.lab.vpcs:
            group = security_groups.transit_test_host(self.lab, f"vpc:{vpc.name}", vpc.test_host)
            filters.install(self.hosts[vpc.name], group, self.kernel.esp)

    def _vpc(self, j: int, vpc) -> None:
        router, host = self.routers[vpc.name], self.hosts[vpc.name]
        subnet = vpc.private_subnet_cidr
        router_ip, host_ip = subnet.network_address + 1, self.host_ip(vpc.name)
        link(host, "eth0", f"{host_ip}/{subnet.prefixlen}",
             router, "priv", f"{router_ip}/{subnet.prefixlen}")  # fmt: skip
        ours, theirs = self._vpc_link(j)
        link(self.gateway, f"v{j}", f"{ours}/30", router, "tgw", f"{theirs}/30")
        host.ip("route", "add", "default", "via", str(router_ip))
        self._route_vpc(j, vpc)

    def _route_vpc(self, j: int, vpc) -> None:
        """The VPC router's routes: what its route table sends to the gateway, what it
        sends elsewhere (unreachable: nothing of the lab's is there), then the table's
        end (a default route to the gateway, or none: unreachable)."""
        router, (ours, _) = self.routers[vpc.name], self._vpc_link(j)
        routed = self.tables.to_gateway(self.lab, f"vpc:{vpc.name}")
        for network in routed:
            if network.prefixlen:
                router.ip("route", "add", str(network), "via", str(ours))
        for network in self.tables.elsewhere(f"vpc:{vpc.name}"):
            if network.prefixlen:
                router.ip("route", "add", "unreachable", str(network))
        if any(network.prefixlen == 0 for network in routed):
            router.ip("route", "replace", "default", "via", str(ours))
        else:
            router.ip("route", "replace", "unreachable", "default")

    def reroute(self, tables: GatewayTables) -> None:
        """Route by ``tables`` from now on (the emulator's, as they are now: a route
        changed since the apply is one the packets follow), the VPCs' route tables too."""
        routers = list(self.routers.values())
        with batched([self.gateway, *routers]):
            for attachment in self.tables.associations:
                self.gateway.ip("rule", "del", "pref", "100", "iif", self._interface(attachment))
            for number in range(NO_TABLE, FIRST_TABLE + len(self.tables.routes)):
                self.gateway.ip("route", "flush", "table", str(number))
            for router in routers:  # the routes _route_vpc gave it ('ip route add': boot)
                router.ip("route", "flush", "proto", "boot")
        self.tables = tables
        with batched([self.gateway, *routers]):
            self._tables()
            for j, vpc in enumerate(self.lab.vpcs):
                self._route_vpc(j, vpc)

    def _tables(self) -> None:
        """Each attachment's association as a rule, each table's routes as AWS uses them."""
        numbers = {table: FIRST_TABLE + k for k, table in enumerate(self.tables.routes)}
        self.gateway.ip("route", "add", "blackhole", "default", "table", str(NO_TABLE))
        for attachment, table in self.tables.associations.items():
            number = numbers[table] if table else NO_TABLE
            self.gateway.ip("rule", "add", "pref", "100", "iif", self._interface(attachment),
                            "lookup", str(number))  # fmt: skip
        for table, number in numbers.items():
            routed = self.tables.routes[table]
            for cidr, attachments in routed.items():
                if not attachments:
                    self.gateway.ip("route", "add", "blackhole", str(cidr), "table", str(number))
                    continue
                hops = [self._next_hop(a) for a in attachments]
                if len(hops) == 1:
                    self.gateway.ip("route", "add", str(cidr), *hops[0], "table", str(number))
                else:
                    # ip takes the table before the nexthops: they end the line
                    multipath = [w for hop in hops for w in ("nexthop", *hop)]
                    self.gateway.ip("route", "add", str(cidr), "table", str(number), *multipath)
            if ipaddress.ip_network("0.0.0.0/0") not in routed:
                self.gateway.ip("route", "add", "unreachable", "default", "table", str(number))

    # --- addresses ----------------------------------------------------------------

    def _vpc_link(self, j: int) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
        base = VPC_LINKS.network_address + 4 * j
        return base + 1, base + 2

    def _interface(self, attachment: str) -> str:
        kind, name = attachment.split(":")
        entries = self.lab.vpcs if kind == "vpc" else self.lab.sites
        index = next(i for i, e in enumerate(entries) if e.name == name)
        return f"{'v' if kind == 'vpc' else 's'}{index}"

    def _next_hop(self, attachment: str) -> tuple[str, ...]:
        interface = self._interface(attachment)
        if attachment.startswith("vpc:"):
            return ("via", str(self._vpc_link(int(interface[1:]))[1]), "dev", interface)
        plane = next(p for p in self.sites if f"site:{p.site.name}" == attachment)
        return ("via", plane.dp.plan.vgw_vpc_ip, "dev", interface, "onlink")

    def host_ip(self, vpc: str) -> str:
        return self.hosts_ips[vpc]

    def site(self, name: str) -> SitePlane:
        return next(p for p in self.sites if p.site.name == name)

    # --- a data plane that outlives its command (the local target) ----------------

    def record(self) -> dict:
        """What ``attach`` needs to find it running again."""
        return {
            "kernel": dataclasses.asdict(self.kernel),
            "hosts": self.hosts_ips,
            "vpcs": [v.name for v in self.lab.vpcs],  # the order of their nodes (v0-, v1-)
            "tables": self.tables.record(),
            "sites": {p.site.name: {"index": p.index, "dp": p.dp.record()} for p in self.sites},
        }

    @classmethod
    def attach(cls, lab: Lab, workdir: Path, record: dict) -> TransitDataPlane:
        """The running data plane a ``record()`` describes (nothing is started); its
        sites' data planes know the lab as each site sees it."""
        tables = GatewayTables.from_record(record["tables"])
        tdp = cls(lab, workdir, KernelFeatures(**record["kernel"]), tables, record["hosts"])
        for name, entry in record["sites"].items():
            site = next((s for s in lab.sites if s.name == name), None)
            index = entry["index"]
            if site is None or lab.sites.index(site) != index:
                continue  # the lab file changed since: destroy removes what is left
            dp = DataPlane.attach(
                tgw.site_view(lab, index),
                tdp._site_dir(site),
                entry["dp"],
                tdp._transit_side(index),
            )
            tdp.sites.append(SitePlane(site, index, dp))
        tdp.owned = True
        return tdp

    # --- teardown ---------------------------------------------------------------

    def teardown(self) -> None:
        if not self.owned:
            return
        with interrupts.deferred():
            for plane in self.sites:
                plane.dp.teardown()
            own = [self.gateway, *self.routers.values(), *self.hosts.values()]
            for ns in own:
                for pid in ns.pids():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            delete_all(own)
            shutil.rmtree(self.workdir, ignore_errors=True)

    def leaks(self) -> list[str]:
        left = [f"namespace {name}" for name in lab_namespaces(self.lab.name)]
        for plane in self.sites:
            left += [leak for leak in plane.dp.leaks() if not leak.startswith("namespace ")]
        if self.workdir.exists():
            left.append(f"directory {self.workdir}")
        return list(dict.fromkeys(left))
