"""The tables a Transit Gateway node routes by (driver/local/gateway_tables.py): kept
in the lab's state and read back whole, and why they do not carry a flow, a VPC's own
route table first (what it sends to the gateway, as EC2 holds it)."""

import ipaddress

from driver.lab.loader import load_lab
from driver.local.gateway_tables import GatewayTables
from tests.conftest import PROJECT

LAB = load_lab(PROJECT / "labs" / "transit-gateway.yml")
OSAKA = ipaddress.ip_network("172.16.1.0/24")


def test_the_labs_tables_send_every_other_network_from_a_vpc():
    tables = GatewayTables.of_lab(LAB)
    assert tables.vpc_routes == {}  # the lab's: networks_beyond
    assert set(tables.to_gateway(LAB, "vpc:prod")) == {
        ipaddress.ip_network(n) for n in ("10.1.0.0/16", "192.168.0.0/16", "172.16.0.0/16")
    }
    assert tables.missed("vpc:prod", "site:osaka", OSAKA) is None


def test_a_vpc_route_table_without_the_route_is_named_before_the_gateway():
    lab_tables = GatewayTables.of_lab(LAB)
    applied = GatewayTables(
        lab_tables.associations,
        lab_tables.routes,
        {"vpc:prod": ("rtb-0123", (ipaddress.ip_network("192.168.0.0/16"),))},
    )
    assert applied.missed("vpc:prod", "site:osaka", OSAKA) == (
        "vpc:prod's route table rtb-0123 has no route to 172.16.1.0/24 through the Transit Gateway"
    )
    assert applied.missed("vpc:dev", "site:osaka", OSAKA) is None  # the lab's
    assert applied.missed("site:osaka", "vpc:prod", LAB.vpcs[0].private_subnet_cidr) is None
    assert applied.to_gateway(LAB, "vpc:prod") == (ipaddress.ip_network("192.168.0.0/16"),)
    # A default route to the gateway covers every destination.
    default = GatewayTables(
        applied.associations, applied.routes,
        {"vpc:prod": ("rtb-0123", (ipaddress.ip_network("0.0.0.0/0"),))},
    )  # fmt: skip
    assert default.missed("vpc:prod", "site:osaka", OSAKA) is None


def test_the_record_reads_back_whole_and_an_older_one_without_vpc_routes():
    applied = GatewayTables(
        {"vpc:prod": "default", "site:osaka": None},
        {"default": {ipaddress.ip_network("172.16.0.0/16"): ("site:osaka",)}},
        {"vpc:prod": ("rtb-0123", (ipaddress.ip_network("172.16.0.0/16"),))},
    )
    assert GatewayTables.from_record(applied.record()) == applied
    older = {key: value for key, value in applied.record().items() if key != "vpc_routes"}
    assert GatewayTables.from_record(older).vpc_routes == {}
