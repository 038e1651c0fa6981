"""What decides where a packet goes in the data plane: the route tables (as
the path analysis names them), the security groups and the network ACLs.

``vpnlab check`` takes them from the lab (``of_lab``: the tables lint
traces, the groups synthesis creates, the VPC's default ACL); the local target
from what EC2 describes (driver/local/applied_network.py). The data plane
installs either with the same code, and records it for the processes that
attach to it later (verify, destroy).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass

from driver.analysis.path_analysis import Tables, route_tables
from driver.lab import network_acls, security_groups
from driver.lab.model import Lab


@dataclass(frozen=True)
class NetworkView:
    tables: Tables
    groups: dict[str, security_groups.Group]  # by data plane node
    acls: dict[str, network_acls.Acl]  # by subnet (the path analysis' host name)

    @classmethod
    def of_lab(cls, lab: Lab, tunnel_addresses: tuple[str, str]) -> NetworkView:
        return cls(
            route_tables(lab),
            security_groups.lab_groups(lab, tunnel_addresses),
            network_acls.lab_acls(lab),
        )

    def record(self) -> dict:
        return {
            "tables": {
                node: [[str(net), nxt, why] for net, nxt, why in routes]
                for node, routes in self.tables.items()
            },
            "groups": {node: dataclasses.asdict(g) for node, g in self.groups.items()},
            "acls": {subnet: dataclasses.asdict(a) for subnet, a in self.acls.items()},
        }

    @classmethod
    def from_record(cls, data: dict) -> NetworkView:
        return cls(
            {
                node: [(ipaddress.ip_network(net), nxt, why) for net, nxt, why in routes]
                for node, routes in data["tables"].items()
            },
            {node: security_groups.group_from_dict(g) for node, g in data["groups"].items()},
            {subnet: network_acls.acl_from_dict(a) for subnet, a in data["acls"].items()},
        )
