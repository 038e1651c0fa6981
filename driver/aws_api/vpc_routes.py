"""A VPC's route table as EC2 holds it, and whether it sends a destination to the
Transit Gateway.

A Transit Gateway carries only what reaches it: an instance's traffic enters the
gateway's attachment when its subnet's route table sends the destination there
(Transit Gateways guide, "Example: centralized router": each VPC's route table holds
a route to the transit gateway for the other networks). Read for an instance (a
VPC's test host): the route table associated with its subnet, else its VPC's main
table, as EC2 chooses (VPC user guide, "Subnet route tables"); the route that wins is
the longest prefix ("Route priority"). Routes to a managed prefix list are not read.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

Net = ipaddress.IPv4Network
# A route's target, by the keys EC2 answers with; a blackhole route is "blackhole".
TARGET_KEYS = (
    "TransitGatewayId", "GatewayId", "NatGatewayId", "VpcPeeringConnectionId",
    "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId", "CarrierGatewayId",
    "LocalGatewayId", "CoreNetworkArn",
)  # fmt: skip


@dataclass(frozen=True)
class VpcRouteTable:
    id: str | None  # None: the instance's subnet has none (or the instance is gone)
    routes: tuple[tuple[Net, str], ...]  # destination, target ("tgw-…", "local", …)

    def to_gateway(self) -> tuple[Net, ...]:
        return tuple(cidr for cidr, target in self.routes if target.startswith("tgw-"))

    def elsewhere(self) -> tuple[Net, ...]:
        """Destinations it sends neither to a Transit Gateway nor within the VPC."""
        return tuple(
            cidr for cidr, target in self.routes if not target.startswith(("tgw-", "local"))
        )

    def missing(self, source: str, subnet: Net) -> str | None:
        """Why this table (``source``'s) does not send ``subnet`` to the Transit Gateway:
        no route, or a longer one elsewhere; None: it does."""
        if self.id is None:
            return f"{source}'s test host has no route table in the account"
        matching = [(cidr, target) for cidr, target in self.routes if subnet.subnet_of(cidr)]
        if not matching:
            return (
                f"{source}'s route table {self.id} has no route to {subnet} through the "
                "Transit Gateway"
            )
        cidr, target = max(matching, key=lambda route: route[0].prefixlen)
        if target.startswith("tgw-"):
            return None
        return (
            f"{source}'s route table {self.id} sends {subnet} to {target} ({cidr}), not "
            "through the Transit Gateway"
        )

    def record(self) -> list:
        return [self.id, [[str(cidr), target] for cidr, target in self.routes]]

    @classmethod
    def from_record(cls, record: list) -> VpcRouteTable:
        table_id, routes = record
        return cls(table_id, tuple((ipaddress.ip_network(c), t) for c, t in routes))


def of_instance(ec2, instance_id: str) -> VpcRouteTable:
    """The route table instance ``instance_id``'s subnet uses, its IPv4 routes in
    address order."""
    reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    instance = reservations[0]["Instances"][0] if reservations else {}
    if "SubnetId" not in instance:
        return VpcRouteTable(None, ())
    tables = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [instance["SubnetId"]]}]
    )["RouteTables"]
    if not tables:  # no table of its own: the VPC's main one
        tables = ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [instance["VpcId"]]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )["RouteTables"]
    if not tables:
        return VpcRouteTable(None, ())
    routes = {
        ipaddress.ip_network(route["DestinationCidrBlock"]): _target(route)
        for route in tables[0].get("Routes", [])
        if "DestinationCidrBlock" in route
    }
    return VpcRouteTable(tables[0]["RouteTableId"], tuple(sorted(routes.items())))


def _target(route: dict) -> str:
    if route.get("State") == "blackhole":
        return "blackhole"
    return next((route[key] for key in TARGET_KEYS if route.get(key)), "an unknown target")
