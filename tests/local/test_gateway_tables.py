"""The tables a Transit Gateway node routes by (driver/local/gateway_tables.py): kept
in the lab's state and read back whole, and why they do not carry a flow, a VPC's own
route table first (driver/aws_api/vpc_routes.py: its longest prefix decides, as EC2's)."""

import ipaddress

from driver.aws_api.vpc_routes import VpcRouteTable
from driver.lab.loader import load_lab
from driver.local.gateway_tables import GatewayTables
from tests.conftest import PROJECT

LAB = load_lab(PROJECT / "labs" / "transit-gateway.yml")
OSAKA = ipaddress.ip_network("172.16.1.0/24")
net = ipaddress.ip_network


def with_prod(*routes: tuple[str, str]) -> GatewayTables:
    """The lab's gateway tables, and prod's route table in the account holding ``routes``."""
    lab = GatewayTables.of_lab(LAB)
    table = VpcRouteTable("rtb-0123", tuple((net(c), t) for c, t in routes))
    return GatewayTables(lab.associations, lab.routes, {"vpc:prod": table})


def test_the_labs_tables_send_every_other_network_from_a_vpc():
    tables = GatewayTables.of_lab(LAB)
    assert tables.vpc_routes == {}  # the lab's: networks_beyond
    assert set(tables.to_gateway(LAB, "vpc:prod")) == {
        net(n) for n in ("10.1.0.0/16", "192.168.0.0/16", "172.16.0.0/16")
    }
    assert tables.missed("vpc:prod", "site:osaka", OSAKA) is None


def test_a_vpc_route_table_without_the_route_is_named_before_the_gateway():
    applied = with_prod(("10.0.0.0/16", "local"), ("192.168.0.0/16", "tgw-1"))
    assert applied.missed("vpc:prod", "site:osaka", OSAKA) == (
        "vpc:prod's route table rtb-0123 has no route to 172.16.1.0/24 through the Transit Gateway"
    )
    assert applied.missed("vpc:dev", "site:osaka", OSAKA) is None  # the lab's
    assert applied.missed("site:osaka", "vpc:prod", LAB.vpcs[0].private_subnet_cidr) is None
    assert applied.to_gateway(LAB, "vpc:prod") == (net("192.168.0.0/16"),)
    # A default route to the gateway covers every destination.
    assert with_prod(("0.0.0.0/0", "tgw-1")).missed("vpc:prod", "site:osaka", OSAKA) is None


def test_the_longest_prefix_of_a_vpc_route_table_decides():
    peered = with_prod(("0.0.0.0/0", "tgw-1"), ("172.16.0.0/16", "pcx-9"))
    assert peered.missed("vpc:prod", "site:osaka", OSAKA) == (
        "vpc:prod's route table rtb-0123 sends 172.16.1.0/24 to pcx-9 (172.16.0.0/16), not "
        "through the Transit Gateway"
    )
    assert peered.elsewhere("vpc:prod") == (net("172.16.0.0/16"),)  # unreachable here
    inside = with_prod(("172.16.0.0/12", "igw-2"), ("172.16.0.0/16", "tgw-1"))
    assert inside.missed("vpc:prod", "site:osaka", OSAKA) is None
    gone = GatewayTables({}, {}, {"vpc:prod": VpcRouteTable(None, ())})
    assert gone.missed("vpc:prod", "site:osaka", OSAKA) == (
        "vpc:prod's test host has no route table in the account"
    )


def test_the_record_reads_back_whole_and_an_older_one_without_vpc_routes():
    applied = GatewayTables(
        {"vpc:prod": "default", "site:osaka": None},
        {"default": {net("172.16.0.0/16"): ("site:osaka",)}},
        {"vpc:prod": VpcRouteTable("rtb-0123", ((net("172.16.0.0/16"), "tgw-1"),))},
    )
    assert GatewayTables.from_record(applied.record()) == applied
    older = {key: value for key, value in applied.record().items() if key != "vpc_routes"}
    assert GatewayTables.from_record(older).vpc_routes == {}
