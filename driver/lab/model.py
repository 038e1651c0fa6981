"""The lab model: the lab file's keys as dataclasses (plain Python, no cdktf).

The dataclasses below are the single declaration of the lab file's keys: their
types, defaults, allowed values and documentation (``field(metadata=...)``)
drive the loader (driver/lab/loader.py), the cross-field rules
(driver/lab/semantics.py) and the reference in docs/lab-file.md (driver/lab/reference.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.lab import aws_rules, expectations
from driver.lab.key_spec import spec
from driver.lab.transit_model import NAME, TransitGateway
from driver.lab.tunnel_model import Tunnel, TunnelOptions

Net = ipaddress.IPv4Network
Address = ipaddress.IPv4Address
# The tag every resource of a lab carries: leak checks and clean-up find a lab by it.
LAB_TAG = "vpnlab:lab"


# --- the lab file, as dataclasses -------------------------------------------


# EC2's instance type names (t3.micro, u-6tb1.metal): nothing else reaches Terraform.
INSTANCE_TYPE = spec("EC2 instance type.", pattern=(r"[a-z][a-z0-9-]*\.[a-z0-9]+", "e.g. t3.micro"))


@dataclass(frozen=True)
class Host:
    instance_type: str = field(default="t3.micro", metadata=INSTANCE_TYPE)


@dataclass(frozen=True)
class ProbeHost(Host):
    """A test host: the instance the checks ping from and to."""

    icmp_from: tuple[Net, ...] | None = field(
        default=None,
        metadata=spec("CIDRs its security group allows ICMP from (default: the other side's VPC)."),
    )


@dataclass(frozen=True)
class VpnServer(Host):
    """The on-prem VPN server: the customer gateway's host."""

    private_ip: Address | None = field(
        default=None,
        metadata=spec(
            "Its address in onprem.public_subnet_cidr (default: the subnet's 10th address, "
            "e.g. 192.168.0.10); {server_ip} in checks. A customer's left= may name it."
        ),
    )
    public_ip: Address | None = field(
        default=None,
        metadata=spec(
            "`vpnlab check`: the customer gateway's public address, the one its leftid "
            "(swanctl: local id) names (default 203.0.113.10). On AWS it is the Elastic IP "
            "AWS allocates, and this key is not used."
        ),
    )


@dataclass(frozen=True)
class AwsSide:
    vpc_cidr: Net = field(
        default=None, metadata=spec("CIDR of the AWS VPC (the seed: 10.0.0.0/16).", required=True)
    )
    private_subnet_cidr: Net = field(
        default=None,
        metadata=spec("Private subnet of the AWS test host; inside vpc_cidr.", required=True),
    )
    test_host: ProbeHost = field(default_factory=ProbeHost, metadata=spec("AWS test instance."))
    route_propagation: bool = field(
        default=True,
        metadata=spec(
            "VGW route propagation on the private subnet's route table (the seed enables it)."
        ),
    )


@dataclass(frozen=True)
class Firewall:
    """A stateful firewall appliance in the AWS VPC (the seed's appendix)."""

    subnet_cidr: Net = field(
        default=None,
        metadata=spec("The firewall's subnet, inside aws.vpc_cidr.", required=True),
    )
    instance_type: str = field(default="t3.micro", metadata=INSTANCE_TYPE)
    ingress_route: bool = field(
        default=True,
        metadata=spec(
            "Route traffic arriving from the VGW for the private subnet through the firewall "
            "(a gateway route table on the VGW)."
        ),
    )


@dataclass(frozen=True)
class OnPremSide:
    vpc_cidr: Net = field(
        default=None,
        metadata=spec(
            "CIDR of the VPC that simulates on-premises (the seed: 192.168.0.0/16).", required=True
        ),
    )
    public_subnet_cidr: Net = field(
        default=None,
        metadata=spec(
            "Public subnet of the VPN server (Elastic IP, internet gateway).", required=True
        ),
    )
    private_subnet_cidr: Net = field(
        default=None, metadata=spec("Private subnet of the on-prem test host.", required=True)
    )
    vpn_server: VpnServer = field(
        default_factory=VpnServer, metadata=spec("strongSwan VPN server instance.")
    )
    test_host: ProbeHost = field(default_factory=ProbeHost, metadata=spec("On-prem test instance."))


@dataclass(frozen=True)
class Vpn:
    routing: str = field(
        default="static",
        metadata=spec(
            "static: AWS routes vpn.static_routes into the VPN; bgp: dynamic routing, "
            "one eBGP session per tunnel (needs tunnel_interface vti or xfrm).",
            choices=("static", "bgp"),
        ),
    )
    tunnel_interface: str = field(
        default="none",
        metadata=spec(
            "The VPN server's tunnels: none (policy-based), vti (VTI + marks, AWS's sample) "
            "or xfrm (XFRM interfaces + if_id): route-based.",
            choices=("none", "vti", "xfrm"),
        ),
    )
    static_routes: tuple[Net, ...] = field(
        default=(),
        metadata=spec(
            "Static routing only (required there): prefixes AWS routes into the VPN "
            "(the seed: the on-prem CIDR)."
        ),
    )
    local_network_cidr: Net = field(
        default=None,
        metadata=spec("AWS 'local IPv4 network CIDR': the customer (on-prem) side.", required=True),
    )
    remote_network_cidr: Net = field(
        default=None, metadata=spec("AWS 'remote IPv4 network CIDR': the AWS side.", required=True)
    )
    customer_gateway_asn: int = field(
        default=65000,
        metadata=spec(
            "BGP ASN of the customer gateway (AWS's default 65000).", bounds=aws_rules.BGP_ASN
        ),
    )
    amazon_side_asn: int = field(
        default=aws_rules.AMAZON_SIDE_ASN_DEFAULT,
        metadata=spec(
            "BGP ASN of the virtual private gateway: private, 64512-65534 or "
            "4200000000-4294967294 (AWS's default 64512).",
            bounds=(aws_rules.AMAZON_SIDE_ASN[0][0], aws_rules.AMAZON_SIDE_ASN[-1][1]),
        ),
    )
    advertised_prefixes: tuple[Net, ...] = field(
        default=(),
        metadata=spec(
            "BGP only: prefixes the VPN server advertises to AWS (default: onprem.vpc_cidr). "
            "AWS accepts at most 100 (1,000 on a Transit Gateway) and closes the session at "
            "the next one."
        ),
    )
    tunnel_options: TunnelOptions = field(
        default_factory=TunnelOptions, metadata=spec("Options shared by both tunnels.")
    )
    tunnels: tuple[Tunnel, ...] = field(
        default=(),
        metadata=spec("Exactly two tunnels, as AWS creates them.", required=True, exactly=2),
    )


@dataclass(frozen=True)
class Site:
    """An on-premises site of a Transit Gateway lab: its network, its VPN server (the
    customer gateway) and its own VPN connection to the Transit Gateway."""

    name: str = field(
        default=None,
        metadata=spec(
            "The site's name in this lab (site:<name> in route tables).",
            required=True,
            pattern=NAME,
        ),
    )
    onprem: OnPremSide = field(
        default_factory=OnPremSide, metadata=spec("The site's network.", required=True)
    )
    vpn: Vpn = field(
        default_factory=Vpn,
        metadata=spec(
            "The site's VPN connection (amazon_side_asn: the Transit Gateway's).", required=True
        ),
    )
    # Declared, not emulated (driver/lab/declared_features.py): synthesis writes what
    # the pinned provider supports and refuses the rest, naming the version needed.
    acceleration: bool = field(
        default=False,
        metadata=spec(
            "Accelerated VPN (EnableAcceleration): the tunnels enter AWS at "
            "Global Accelerator's edge. Declared, not emulated locally."
        ),
    )
    tunnel_bandwidth: str = field(
        default="standard",
        metadata=spec(
            "standard, or large (5 Gbps tunnels). Declared, not emulated locally.",
            choices=("standard", "large"),
        ),
    )
    concentrator: bool = field(
        default=False,
        metadata=spec(
            "The connection terminates on a Site-to-Site VPN Concentrator. "
            "Declared, not emulated locally."
        ),
    )
    outside_ip_address_type: str = field(
        default="PublicIpv4",
        metadata=spec(
            "The tunnels' outer addresses: PublicIpv4, PrivateIpv4 (over Direct "
            "Connect) or Ipv6. Declared, not emulated locally.",
            choices=("PublicIpv4", "PrivateIpv4", "Ipv6"),
        ),
    )


@dataclass(frozen=True)
class AttachedVpc:
    """A VPC attached to the Transit Gateway, with a test host in its private subnet."""

    name: str = field(
        default=None,
        metadata=spec(
            "The VPC's name in this lab (vpc:<name> in route tables).", required=True, pattern=NAME
        ),
    )
    vpc_cidr: Net = field(default=None, metadata=spec("CIDR of the VPC.", required=True))
    private_subnet_cidr: Net = field(
        default=None,
        metadata=spec(
            "Subnet of its test host and of the Transit Gateway's attachment; inside vpc_cidr.",
            required=True,
        ),
    )
    test_host: ProbeHost = field(default_factory=ProbeHost, metadata=spec("Its test instance."))


@dataclass(frozen=True)
class StrongSwan:
    version: str = field(
        default="5.9.11",
        metadata=spec(
            "strongSwan release built on the VPN server (install: source).",
            pattern=(r"\d+\.\d+\.\d+", "e.g. 5.9.11"),
        ),
    )
    sha256: str = field(
        default="ddf53f1f26ad26979d5f55e8da95bd389552f5de3682e35593f9a70b2584ed2d",
        metadata=spec(
            "SHA-256 of strongswan-<version>.tar.bz2; the build stops "
            "if the download does not match.",
            pattern=(r"[0-9a-f]{64}", "64 lowercase hex digits"),
        ),
    )
    install: str = field(
        default="source",
        metadata=spec(
            "source: build the pinned release (the seed's way); package: the "
            "distribution's package.",
            choices=("source", "package"),
        ),
    )
    config_style: str = field(
        default="swanctl",
        metadata=spec(
            "swanctl: swanctl.conf over vici; ipsec.conf: the seed's legacy "
            "ipsec.conf + ipsec.secrets.",
            choices=("swanctl", "ipsec.conf"),
        ),
    )
    dpd_delay: int = field(
        default=10,
        metadata=spec("Seconds between DPD probes sent by the VPN server.", bounds=(1, 3600)),
    )


@dataclass(frozen=True)
class Checks:
    probe_port: int = field(
        default=443,
        metadata=spec(
            "TCP port Reachability Analyzer probes (it cannot analyse ICMP).", bounds=(1, 65535)
        ),
    )
    expect: tuple[str, ...] = field(
        default=expectations.DEFAULT,
        metadata=spec(
            "What verify and check prove, one 'node::probe::argument::expected' each "
            "(driver/lab/expectations.py), e.g. 'aws::ping::{onprem_test_ip}::YES'."
        ),
    )


@dataclass(frozen=True)
class Lab:
    name: str = field(
        default=None,
        metadata=spec(
            "Lab name: in every resource name and tag, so labs can run side by side.",
            required=True,
            pattern=(
                r"[a-z][a-z0-9-]{0,19}",
                "lowercase letters, digits and '-', starting with a letter, at most 20 characters",
            ),
        ),
    )
    region: str = field(
        default="ap-northeast-1",
        metadata=spec("AWS region.", pattern=(r"[a-z]{2}(-[a-z]+)+-\d", "e.g. ap-northeast-1")),
    )
    tags: dict[str, str] = field(
        default_factory=dict,
        metadata=spec("Tags added to every resource, after Name and before resource tags."),
    )
    aws: AwsSide = field(default_factory=AwsSide, metadata=spec("The AWS side.", required=True))
    onprem: OnPremSide = field(
        default_factory=OnPremSide,
        metadata=spec("The simulated on-premises side.", required=True),
    )
    vpn: Vpn = field(
        default_factory=Vpn, metadata=spec("Gateways and the VPN connection.", required=True)
    )
    strongswan: StrongSwan = field(
        default_factory=StrongSwan, metadata=spec("The VPN server's strongSwan.")
    )
    checks: Checks = field(default_factory=Checks, metadata=spec("What verify probes."))
    firewall: Firewall | None = field(
        default=None,
        metadata=spec(
            "Optional: a stateful firewall appliance in the AWS VPC; the private subnet routes "
            "0.0.0.0/0 through it (the seed's appendix). `vpnlab lint` traces both directions."
        ),
    )

    transit_gateway: TransitGateway | None = field(
        default=None,
        metadata=spec(
            "Optional: the AWS side's gateway is a Transit Gateway, not a virtual private "
            "gateway. The lab then writes vpcs and sites instead of aws, onprem and vpn."
        ),
    )
    vpcs: tuple[AttachedVpc, ...] = field(
        default=(), metadata=spec("Transit Gateway labs: the VPCs attached to it.")
    )
    sites: tuple[Site, ...] = field(
        default=(),
        metadata=spec("Transit Gateway labs: the on-premises sites, each with its VPN connection."),
    )

    @property
    def tunnels(self) -> tuple[Tunnel, ...]:
        return self.vpn.tunnels
