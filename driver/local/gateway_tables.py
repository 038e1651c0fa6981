"""The route tables a Transit Gateway node routes by, and why they do not carry a flow.

The lab's own, resolved as AWS would (driver/lab/transit_routes.py: ``vpnlab check``),
or the tables as the emulator holds them after an apply (driver/local/
applied_transit.py): the same shape, so the data plane and the rows that explain a
lost ping read either.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.aws_api.vpc_routes import VpcRouteTable
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab

Net = ipaddress.IPv4Network


@dataclass(frozen=True)
class GatewayTables:
    """Each attachment's route table (None: none), and each table's routes: destination
    -> the attachments it goes to (none: a blackhole; several: ECMP). ``vpc_routes``:
    each VPC's own route table as EC2 holds it, by attachment (driver/aws_api/
    vpc_routes.py); a VPC not in it routes as the lab says (``transit_routes.
    networks_beyond``)."""

    associations: dict[str, str | None]
    routes: dict[str, dict[Net, tuple[str, ...]]]
    vpc_routes: dict[str, VpcRouteTable] = field(default_factory=dict)

    def to_gateway(self, lab: Lab, vpc: str) -> tuple[Net, ...]:
        """What VPC attachment ``vpc``'s route table sends to the gateway."""
        if vpc in self.vpc_routes:
            return self.vpc_routes[vpc].to_gateway()
        return tgw.networks_beyond(lab, vpc)

    def elsewhere(self, vpc: str) -> tuple[Net, ...]:
        """What ``vpc``'s route table sends neither to the gateway nor within the VPC (an
        internet gateway, a peering…: nothing of the lab's, so nowhere here)."""
        return self.vpc_routes[vpc].elsewhere() if vpc in self.vpc_routes else ()

    @classmethod
    def of_lab(cls, lab: Lab) -> GatewayTables:
        names = [tgw.DEFAULT, *(t.name for t in lab.transit_gateway.route_tables)]
        return cls(
            {a: tgw.association(lab, a) for a in tgw.attachments(lab)},
            {t: {c: d.attachments for c, d in tgw.winners(lab, t).items()} for t in names},
        )

    def record(self) -> dict:
        return {
            "associations": self.associations,
            "routes": {t: {str(c): list(h) for c, h in r.items()} for t, r in self.routes.items()},
            "vpc_routes": {v: table.record() for v, table in self.vpc_routes.items()},
        }

    @classmethod
    def from_record(cls, record: dict) -> GatewayTables:
        return cls(
            record["associations"],
            {
                t: {ipaddress.ip_network(c): tuple(h) for c, h in r.items()}
                for t, r in record["routes"].items()
            },
            {
                v: VpcRouteTable.from_record(table)
                for v, table in record.get("vpc_routes", {}).items()
            },
        )

    def missed(self, source: str, target: str, subnet: ipaddress.IPv4Network) -> str | None:
        """Why these tables do not carry ``source``'s traffic to ``target``'s subnet (the
        words of driver/lab/transit_routes.py's ``not_carried``, for the lab's resolution);
        first, a VPC's own route table that does not send it to the gateway."""
        if source in self.vpc_routes and (why := self.vpc_routes[source].missing(source, subnet)):
            return why
        table = self.associations.get(source)
        if table is None:
            return f"{source} is associated with no route table"
        address = subnet.network_address
        matching = [c for c in self.routes.get(table, {}) if address in c]
        if not matching:
            return f"route table {table} has no route to {subnet}"
        cidr = max(matching, key=lambda c: c.prefixlen)
        hops = self.routes[table][cidr]
        if not hops:
            return f"route table {table} drops {subnet} ({cidr}: blackhole)"
        if target not in hops:
            return f"route table {table} sends {subnet} to {', '.join(hops)}"
        return None
