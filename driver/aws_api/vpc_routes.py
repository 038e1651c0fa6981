"""What a VPC's route table sends to a Transit Gateway, as EC2 holds it.

A Transit Gateway carries only what reaches it: an instance's traffic enters the
gateway's attachment when its subnet's route table has a route to the gateway for
the destination (Transit Gateways guide, "Example: centralized router": each VPC's
route table holds a route to the transit gateway for the other networks). Read for
an instance (a VPC's test host): the route table associated with its subnet, else
its VPC's main table, as EC2 chooses (VPC user guide, "Subnet route tables").
"""

from __future__ import annotations

import ipaddress

Net = ipaddress.IPv4Network


def to_transit_gateway(ec2, instance_id: str) -> tuple[str | None, tuple[Net, ...]]:
    """The route table instance ``instance_id``'s subnet uses (its ID; None: none) and
    the destinations it sends to a Transit Gateway (active routes), in address order."""
    (reservation,) = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    (instance,) = reservation["Instances"]
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
        return None, ()
    table = tables[0]
    found = {
        ipaddress.ip_network(route["DestinationCidrBlock"])
        for route in table.get("Routes", [])
        if route.get("TransitGatewayId")
        and route.get("State", "active") == "active"
        and "DestinationCidrBlock" in route
    }
    return table["RouteTableId"], tuple(sorted(found))


def missing(table_id: str | None, routed: tuple[Net, ...], source: str, subnet: Net) -> str | None:
    """Why a VPC's route table (``table_id``, sending ``routed`` to the gateway) does not
    bring ``source``'s traffic for ``subnet`` to the Transit Gateway; None: it does."""
    if any(subnet.subnet_of(cidr) for cidr in routed):
        return None
    table = f"route table {table_id}" if table_id else "no route table"
    return f"{source}'s {table} has no route to {subnet} through the Transit Gateway"
