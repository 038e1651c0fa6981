"""The lab's security groups, as data: synthesis creates them (modules/) and the
local data plane enforces them (driver/local/dataplane/filters.py), so both
come from this one list.

AWS's security groups are stateful: replies to an allowed flow pass whatever
the rules say, and whatever no rule allows is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from driver.lab.model import Lab

IKE_PORTS = (500, 4500)  # IKE, and IKE/ESP in UDP behind NAT (NAT-T)


def port_range(protocol: str, first: int | None, last: int | None) -> str:
    """'500', '1024:65535' (iptables' --dport), or '' for any port (or no ports:
    only TCP and UDP have them)."""
    if first is None or protocol not in ("tcp", "udp"):
        return ""
    return f"{first}:{last}" if last not in (None, first) else str(first)


@dataclass(frozen=True)
class Rule:
    protocol: str  # "-1" (all), "icmp", "udp", "tcp"
    cidr: str
    description: str
    port: int | None = None  # udp/tcp: the port allowed (the first, with to_port)
    to_port: int | None = None  # udp/tcp: the last port of a range (EC2's rules)
    key: str = ""  # a name unique in its group (Terraform's resource names use it)

    @property
    def ports(self) -> str:
        return port_range(self.protocol, self.port, self.to_port)

    def text(self) -> str:
        what = "all traffic" if self.protocol == "-1" else self.protocol
        return f"{what}{f' port {self.ports}' if self.ports else ''} from {self.cidr}"


@dataclass(frozen=True)
class Group:
    name: str  # after "<lab>-": the instance's role
    description: str
    ingress: tuple[Rule, ...]
    egress: tuple[Rule, ...] = (Rule("-1", "0.0.0.0/0", "anything out"),)


def test_host(lab: Lab, side: str) -> Group:
    host, other = (
        (lab.aws.test_host, lab.onprem) if side == "aws" else (lab.onprem.test_host, lab.aws)
    )
    sources = host.icmp_from if host.icmp_from is not None else (other.vpc_cidr,)
    return Group(
        f"{side}-test-host",
        f"{side} test host: ICMP from the other side",
        tuple(Rule("icmp", str(c), "ICMP from the other side of the VPN") for c in sources),
    )


def transit_test_host(lab: Lab, attachment: str, host) -> Group:
    """A Transit Gateway lab's test host (``vpc:<name>`` or ``site:<name>``): ICMP from
    every network across the gateway (its ``icmp_from`` when the lab sets one)."""
    networks = [(f"vpc:{v.name}", v.vpc_cidr) for v in lab.vpcs]
    networks += [(f"site:{s.name}", s.onprem.vpc_cidr) for s in lab.sites]
    others = [cidr for name, cidr in networks if name != attachment]
    sources = host.icmp_from if host.icmp_from is not None else tuple(others)
    return Group(
        f"{attachment.replace(':', '-')}-test-host",
        f"{attachment} test host: ICMP from across the Transit Gateway",
        tuple(Rule("icmp", str(c), "ICMP from across the Transit Gateway") for c in sources),
    )


def vpn_server(lab: Lab, tunnel_addresses: tuple[str, str]) -> Group:
    rules = [
        Rule("udp", f"{tunnel}/32", f"{name} from tunnel {n}", port, key=f"{name}-tunnel{n}")
        for n, tunnel in enumerate(tunnel_addresses, start=1)
        for port, name in zip(IKE_PORTS, ("ike", "nat-t"), strict=True)
    ]
    # Forwarded traffic from the on-prem subnets (and their return traffic).
    rules.append(Rule("-1", str(lab.onprem.vpc_cidr), "on-prem subnets", key="onprem"))
    return Group(
        "vpn-server",
        "VPN server: IKE/NAT-T from the two tunnels, forwarding on-prem",
        tuple(rules),
    )


def firewall(lab: Lab) -> Group:
    sides = (str(lab.aws.vpc_cidr), str(lab.vpn.local_network_cidr))
    return Group(
        "firewall",
        "firewall: traffic between the AWS VPC and on-prem",
        tuple(Rule("-1", side, "both sides of the VPN") for side in sides),
    )


def lab_groups(lab: Lab, tunnel_addresses: tuple[str, str]) -> dict[str, Group]:
    """The data plane's nodes and the security group each instance has."""
    groups = {
        "aws": test_host(lab, "aws"),
        "onprem": test_host(lab, "onprem"),
        "server": vpn_server(lab, tunnel_addresses),
    }
    if lab.firewall:
        groups["firewall"] = firewall(lab)
    return groups


def group_from_dict(data: dict) -> Group:
    """A group as ``dataclasses.asdict`` wrote it (a data plane's record)."""
    return Group(
        data["name"],
        data["description"],
        tuple(Rule(**r) for r in data["ingress"]),
        tuple(Rule(**r) for r in data["egress"]),
    )
