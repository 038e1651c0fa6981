"""The local lab's address plan, derived from the lab (no root needed to compute it).

    aws ── aws-vpc ── vgw ══ inet ══ onprem-vpc ── server
              └── firewall               └──────── onprem

* ``aws``: the AWS test host, in aws.private_subnet_cidr;
* ``aws-vpc``: the AWS VPC's router: each subnet's route table (and the VGW's
  gateway route table) decides by the interface a packet came in on;
* ``firewall``: the seed's appendix, a stateful firewall appliance in its own
  subnet (only when the lab has one);
* ``vgw``: the emulated virtual private gateway: both tunnel endpoints on its
  outside interface; into the tunnels it routes only the VPN connection's
  static routes;
* ``inet``: the "internet" between the two outside worlds;
* ``onprem-vpc``: the on-prem VPC's router and internet gateway, with the
  Elastic IP as 1:1 NAT to the VPN server (so NAT-T is exercised) and the
  seed's route of the AWS CIDR to the VPN server's interface;
* ``server``: the VPN server (the customer gateway), in the public subnet;
* ``onprem``: the on-prem test host, in the private subnet.

"Public" addresses come from the documentation ranges 198.51.100.0/24 (AWS's
tunnel endpoints) and 203.0.113.0/24 (the Elastic IP), unless a customer's
configuration names other tunnel addresses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.lab.model import Lab

DEFAULT_TUNNEL_ADDRESSES = ("198.51.100.1", "198.51.100.2")
DEFAULT_PUBLIC_IP = "203.0.113.10"
HOST_INDEX = 10  # test hosts and the VPN server take .10 of their subnet
# The VPC router's side of its link to the VGW: in the range AWS keeps for
# itself (169.254.169.252/30 is no tunnel's inside CIDR), so it is no lab's address.
VPC_ROUTER_TO_VGW = "169.254.169.253"


def _host(net: ipaddress.IPv4Network, index: int) -> str:
    return str(net.network_address + index)


@dataclass(frozen=True)
class AddressPlan:
    aws_test_ip: str
    aws_router: str
    aws_prefix: int
    onprem_test_ip: str
    onprem_private_router: str
    onprem_private_prefix: int
    server_ip: str
    onprem_public_router: str
    onprem_public_prefix: int
    tunnel_addresses: tuple[str, str]
    public_ip: str
    vgw_uplinks: tuple[str, ...]  # inet's addresses facing the VGW, one per /24
    edge_uplink: str  # inet's address facing the on-prem edge
    vgw_vpc_ip: str = ""  # the VGW's address on the VPC side (inside its traffic selector)
    firewall_ip: str = ""  # the firewall appliance, when the lab has one
    firewall_router: str = ""
    firewall_prefix: int = 0

    @classmethod
    def from_dict(cls, data: dict) -> AddressPlan:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    def placeholders(self) -> dict[str, str]:
        """Values check specifications may name, e.g. ``{onprem_test_ip}``."""
        return {
            "aws_test_ip": self.aws_test_ip,
            "onprem_test_ip": self.onprem_test_ip,
            "server_ip": self.server_ip,
            "public_ip": self.public_ip,
            "tunnel1_address": self.tunnel_addresses[0],
            "tunnel2_address": self.tunnel_addresses[1],
        }


def advertised_prefixes(lab: Lab) -> tuple[ipaddress.IPv4Network, ...]:
    """What a BGP lab's VPN server announces to AWS: the lab's list, else the on-prem VPC."""
    return lab.vpn.advertised_prefixes or (lab.onprem.vpc_cidr,)


def aws_inside_addresses(lab: Lab) -> tuple[ipaddress.IPv4Address, ...]:
    """AWS's end of each tunnel's inside /30 (.1), Tunnel1 first: the VGW's BGP peer."""
    return tuple(t.inside_cidr[1] for t in lab.tunnels)


def customer_inside_addresses(lab: Lab) -> tuple[ipaddress.IPv4Address, ...]:
    """The customer gateway's end of each tunnel's inside /30 (.2), Tunnel1 first."""
    return tuple(t.inside_cidr[2] for t in lab.tunnels)


def customer_gateway_ip(lab: Lab) -> str:
    """The customer gateway's public address in the local lab (the lab's key, or 203.0.113.10)."""
    return str(lab.onprem.vpn_server.public_ip or DEFAULT_PUBLIC_IP)


def server_ip(lab: Lab) -> str:
    """The VPN server's address: the lab's key, or .10 of its subnet."""
    chosen = lab.onprem.vpn_server.private_ip
    return str(chosen) if chosen else _host(lab.onprem.public_subnet_cidr, HOST_INDEX)


def plan(
    lab: Lab,
    tunnel_addresses: tuple[str, str] = DEFAULT_TUNNEL_ADDRESSES,
    public_ip: str | None = None,
    hosts: dict[str, str] | None = None,
) -> AddressPlan:
    """The address plan; ``hosts`` gives deployed instances' addresses
    (``aws_test_ip``, ``onprem_test_ip``, ``server_ip``) instead of ``.10``."""
    aws_net, private_net = lab.aws.private_subnet_cidr, lab.onprem.private_subnet_cidr
    public_net = lab.onprem.public_subnet_cidr
    hosts = hosts or {}
    public_ip = public_ip or customer_gateway_ip(lab)
    return AddressPlan(
        aws_test_ip=hosts.get("aws_test_ip", _host(aws_net, HOST_INDEX)),
        aws_router=_host(aws_net, 1),
        aws_prefix=aws_net.prefixlen,
        onprem_test_ip=hosts.get("onprem_test_ip", _host(private_net, HOST_INDEX)),
        onprem_private_router=_host(private_net, 1),
        onprem_private_prefix=private_net.prefixlen,
        server_ip=hosts.get("server_ip", server_ip(lab)),
        onprem_public_router=_host(public_net, 1),
        onprem_public_prefix=public_net.prefixlen,
        tunnel_addresses=tunnel_addresses,
        public_ip=public_ip,
        vgw_uplinks=tuple(dict.fromkeys(_uplink(a, tunnel_addresses) for a in tunnel_addresses)),
        edge_uplink=_uplink(public_ip, (public_ip,)),
        vgw_vpc_ip=_vgw_vpc_ip(lab),
        firewall_ip=_host(lab.firewall.subnet_cidr, HOST_INDEX) if lab.firewall else "",
        firewall_router=_host(lab.firewall.subnet_cidr, 1) if lab.firewall else "",
        firewall_prefix=lab.firewall.subnet_cidr.prefixlen if lab.firewall else 0,
    )


def _vgw_vpc_ip(lab: Lab) -> str:
    """An address for the VGW inside the AWS side's traffic selector (userspace ESP
    installs no policy whose local side holds none of the gateway's addresses):
    the third address of the private subnet or of the VPC, which AWS reserves in
    every subnet, so no instance has it."""
    selector = lab.vpn.remote_network_cidr
    for net in (lab.aws.private_subnet_cidr, lab.aws.vpc_cidr, selector):
        candidate = net.network_address + 3 if net.num_addresses > 4 else net.network_address
        if candidate in selector:
            return str(candidate)
    return str(selector.network_address)


def _uplink(address: str, taken: tuple[str, ...]) -> str:
    """inet's address in ``address``'s /24: .254, or .253 if that is taken."""
    net = ipaddress.ip_network(f"{address}/24", strict=False)
    for index in (254, 253):
        if _host(net, index) not in taken:
            return _host(net, index)
    raise ValueError(f"no free router address in {net}")
