"""The lab's network ACLs, as data: stateless, numbered, the first matching
entry decides, one list for traffic into the subnet and one for traffic out.

The lab creates none, so each subnet has its VPC's default ACL (allow all,
then AWS's '*' deny). The local target reads the applied ones back from
``DescribeNetworkAcls`` (driver/local/applied_network.py); the data plane
enforces either at the subnet's router (driver/local/dataplane/filters.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from driver.lab.model import Lab
from driver.lab.security_groups import port_range

LAST = 32767  # AWS's '*' entry: what no numbered entry allows is denied


@dataclass(frozen=True)
class AclEntry:
    number: int
    egress: bool  # out of the subnet (else into it)
    protocol: str  # "-1" (all), "icmp", "tcp", "udp"
    cidr: str  # the destination (egress) or the source (ingress)
    allow: bool
    port: int | None = None
    to_port: int | None = None

    @property
    def ports(self) -> str:
        return port_range(self.protocol, self.port, self.to_port)

    def text(self) -> str:
        number = "*" if self.number == LAST else str(self.number)
        what = "all traffic" if self.protocol == "-1" else self.protocol
        ports = f" port {self.ports}" if self.ports else ""
        way = "to" if self.egress else "from"
        return (
            f"rule {number} {'allows' if self.allow else 'denies'} {what}{ports} {way} {self.cidr}"
        )


@dataclass(frozen=True)
class Acl:
    name: str
    entries: tuple[AclEntry, ...]

    def ordered(self, egress: bool) -> list[AclEntry]:
        return sorted((e for e in self.entries if e.egress == egress), key=lambda e: e.number)


DEFAULT = Acl(
    "the VPC's default network ACL",
    tuple(
        AclEntry(number, egress, "-1", "0.0.0.0/0", number != LAST)
        for number in (100, LAST)
        for egress in (False, True)
    ),
)


def lab_acls(lab: Lab) -> dict[str, Acl]:
    """Each subnet's ACL, by the path analysis' name of the host in it."""
    subnets = ["aws_host", "onprem_host", "vpn_server"] + (["firewall"] if lab.firewall else [])
    return dict.fromkeys(subnets, DEFAULT)


def acl_from_dict(data: dict) -> Acl:
    """An ACL as ``dataclasses.asdict`` wrote it (a data plane's record)."""
    return Acl(data["name"], tuple(AclEntry(**e) for e in data["entries"]))
