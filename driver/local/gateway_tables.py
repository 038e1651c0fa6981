"""The route tables a Transit Gateway node routes by, and why they do not carry a flow.

The lab's own, resolved as AWS would (driver/lab/transit_routes.py: ``vpnlab check``),
or the tables as the emulator holds them after an apply (driver/local/
applied_transit.py): the same shape, so the data plane and the rows that explain a
lost ping read either.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.lab import transit_routes as tgw
from driver.lab.model import Lab


@dataclass(frozen=True)
class GatewayTables:
    """Each attachment's route table (None: none), and each table's routes: destination
    -> the attachments it goes to (none: a blackhole; several: ECMP)."""

    associations: dict[str, str | None]
    routes: dict[str, dict[ipaddress.IPv4Network, tuple[str, ...]]]

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
        }

    @classmethod
    def from_record(cls, record: dict) -> GatewayTables:
        return cls(
            record["associations"],
            {
                t: {ipaddress.ip_network(c): tuple(h) for c, h in r.items()}
                for t, r in record["routes"].items()
            },
        )

    def missed(self, source: str, target: str, subnet: ipaddress.IPv4Network) -> str | None:
        """Why these tables do not carry ``source``'s traffic to ``target``'s subnet (the
        words of driver/lab/transit_routes.py's ``not_carried``, for the lab's resolution)."""
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
