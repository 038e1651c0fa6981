"""A Transit Gateway's keys in the lab file: the gateway, its route tables and
their routes (``transit_gateway:``).

Part of the lab model (driver/lab/model.py): the same ``field(metadata=spec(...))``
declarations drive the loader, the rules (driver/lab/transit_rules.py) and the
reference. An attachment is named ``site:<name>`` (a site's VPN connection) or
``vpc:<name>`` (a VPC attachment).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.lab import aws_rules
from driver.lab.key_spec import spec

Net = ipaddress.IPv4Network

NAME = (
    r"[a-z][a-z0-9-]{0,11}",
    "lowercase letters, digits and '-', starting with a letter, at most 12 characters",
)
ATTACHMENT = spec(
    "An attachment: site:<name> (that site's VPN connection) or vpc:<name>.",
    pattern=(r"(site|vpc):[a-z][a-z0-9-]{0,11}", "site:<name> or vpc:<name>, e.g. site:osaka"),
)


@dataclass(frozen=True)
class TgwRoute:
    """A static route in a Transit Gateway route table (CreateTransitGatewayRoute)."""

    cidr: Net = field(default=None, metadata=spec("Destination IPv4 CIDR.", required=True))
    attachment: str | None = field(
        default=None,
        metadata={
            **ATTACHMENT,
            "doc": "Where it sends traffic: site:<name> or vpc:<name> (give this or blackhole).",
        },
    )
    blackhole: bool = field(
        default=False, metadata=spec("Drop traffic to cidr (a blackhole route).")
    )


@dataclass(frozen=True)
class TgwRouteTable:
    """A route table of the Transit Gateway besides its default one."""

    name: str = field(
        default=None,
        metadata=spec("The route table's name in this lab.", required=True, pattern=NAME),
    )
    associations: tuple[str, ...] = field(
        default=(),
        metadata={
            **ATTACHMENT,
            "doc": "Attachments whose traffic this table routes (each "
            "attachment is associated with one table).",
        },
    )
    propagations: tuple[str, ...] = field(
        default=(),
        metadata={
            **ATTACHMENT,
            "doc": "Attachments whose routes propagate into this table "
            "(a VPC's CIDR; a BGP site's learned prefixes).",
        },
    )
    routes: tuple[TgwRoute, ...] = field(
        default=(), metadata=spec("Static and blackhole routes of this table.")
    )


@dataclass(frozen=True)
class TransitGateway:
    """The AWS side's gateway when it is a Transit Gateway (CreateTransitGateway)."""

    amazon_side_asn: int = field(
        default=aws_rules.AMAZON_SIDE_ASN_DEFAULT,
        metadata=spec(
            "BGP ASN of the Transit Gateway: private, 64512-65534 or 4200000000-4294967294 "
            "(AWS's default 64512).",
            bounds=(aws_rules.AMAZON_SIDE_ASN[0][0], aws_rules.AMAZON_SIDE_ASN[-1][1]),
        ),
    )
    ecmp: bool = field(
        default=True,
        metadata=spec(
            "VpnEcmpSupport (AWS's default: on): spread flows over the BGP tunnels and "
            "connections that advertise a prefix with an equal AS path; off, one is used."
        ),
    )
    default_route_table_association: bool = field(
        default=True,
        metadata=spec(
            "Associate each attachment with the default route table (AWS's default: on), "
            "unless a route table below names it."
        ),
    )
    default_route_table_propagation: bool = field(
        default=True,
        metadata=spec(
            "Propagate each attachment's routes into the default route table (AWS's default: on)."
        ),
    )
    routes: tuple[TgwRoute, ...] = field(
        default=(), metadata=spec("Static and blackhole routes of the default route table.")
    )
    route_tables: tuple[TgwRouteTable, ...] = field(
        default=(), metadata=spec("Route tables besides the default one (AWS allows 20 in all).")
    )
