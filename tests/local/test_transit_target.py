"""``vpnlab apply / verify / status / destroy`` of a Transit Gateway lab on the local
target: Terraform really applies the gateway, its tables and both sites to the
emulator, each site's strongSwan really negotiates with the connection AWS holds, and
the gateway node routes by the tables the emulator holds (root)."""

from pathlib import Path

import pytest
import yaml

from driver.aws_api import vpc_routes
from driver.cli import main
from driver.core.errors import VpnlabError
from driver.core.state import LabState
from driver.handoff.words import say
from driver.lab.loader import load_lab
from driver.lab.transit_routes import output_key
from driver.local import target as local_target
from driver.local.applied_dataplane import clients
from driver.local.shared.node_access import lab_namespaces
from driver.local.status import status
from driver.local.target import running_emulator, terraform_of
from tests.conftest import PROJECT, applying_labs_locally
from tests.handoff.sheet_reading import markdown_tables, row

TWO_STATIC_SITES = PROJECT / "tests" / "scenarios" / "tgw-two-static-sites" / "lab.yml"


def rows_of(report) -> dict:
    return {row.name: row for row in report.checks}


pytestmark = applying_labs_locally()


def test_a_two_site_lab_applies_verifies_follows_the_emulators_tables_and_leaves_nothing(
    tmp_path: Path, capsys
):
    """Apply; verify passes with each site's telemetry UP; each site's sheet is its
    applied connection's; a static route deleted in the emulator (as someone in the
    console would) makes verify fail on exactly the flows it carried, naming the
    applied table; a lab file changed since the apply is refused; destroy leaves
    nothing."""
    path = tmp_path / "tgwapplied.yml"
    path.write_text(
        TWO_STATIC_SITES.read_text().replace("name: tgw-two-static-sites", "name: tgwapplied")
    )
    lab = load_lab(path)
    state, said = LabState(lab.name), []
    try:
        local_target.apply(path, lab, progress=said.append)
        assert any(line.startswith("data plane up: tgwapplied's Transit Gateway") for line in said)
        shown = rows_of(status(lab))
        assert [name for name in shown if name.startswith("site ")] == [
            f"site {s}: Tunnel{n} {a}"
            for s in ("tokyo", "osaka")
            for n, a in ((1, _address(state, lab, s, 1)), (2, _address(state, lab, s, 2)))
        ]
        verified = local_target.verify(lab, said.append, lab_path=path)
        rows = rows_of(verified)
        assert verified.passed, [f"{r.name}: {r.detail}" for r in verified.checks]
        for site in ("tokyo", "osaka"):  # each connection's own telemetry
            assert rows[f"site {site}: VgwTelemetry: both tunnels UP"].passed
        assert rows["vpc:prod → site:tokyo: ping 192.168.1.4 (YES)"].passed
        _sheet_is_the_applied_connection(path, lab, state, capsys)
        # Someone deletes Tokyo's static route from the default table.
        emulator = running_emulator(state)
        ec2, _ = clients(lab, emulator)
        outputs = terraform_of(lab, state).outputs()
        default = outputs["transit_gateway_route_table_ids"]["default"]
        ec2.delete_transit_gateway_route(
            TransitGatewayRouteTableId=default, DestinationCidrBlock="192.168.0.0/16"
        )
        # And prod's own route table loses its route to Osaka through the gateway.
        prod_table = vpc_routes.of_instance(ec2, outputs["prod_test_instance_id"]).id
        ec2.delete_route(RouteTableId=prod_table, DestinationCidrBlock="172.16.0.0/16")
        again = local_target.verify(lab, said.append, lab_path=path)
        failed = {r.name: r.detail for r in again.checks if not r.passed}
        assert not again.passed
        tokyo = {
            "vpc:prod → site:tokyo: ping 192.168.1.4 (YES)",
            "site:tokyo → vpc:prod: ping 10.0.1.4 (YES)",
            "vpc:dev → site:tokyo: ping 192.168.1.4 (YES)",
            "site:tokyo → vpc:dev: ping 10.1.1.4 (YES)",
        }
        osaka = {  # the request, or the reply, leaves prod by its own route table
            "vpc:prod → site:osaka: ping 172.16.1.4 (YES)",
            "site:osaka → vpc:prod: ping 10.0.1.4 (YES)",
        }
        assert set(failed) == tokyo | osaka, failed
        assert all(
            "tables as applied do not: route table default has no route to 192.168.1.0/24"
            in failed[name]
            for name in tokyo
        )
        assert all(
            f"vpc:prod's route table {prod_table} has no route to 172.16.1.0/24 through the "
            "Transit Gateway" in failed[name]
            for name in osaka
        ), failed
        assert "192.168.0.0/16" not in rows_of(again)["tgw: route table default"].detail
        _a_changed_lab_file_is_refused(path, lab, said)
    finally:
        leaks = local_target.destroy(lab, progress=said.append)
    assert leaks == []
    assert lab_namespaces(lab.name) == []
    assert not state.root.exists()


def _a_changed_lab_file_is_refused(path: Path, lab, said: list) -> None:
    """A site renamed in the file since the apply: refused before any wait, naming it;
    the sites swapped (each still applied): refused by the data plane, which would run
    them under each other's names."""
    renamed = path.with_name("renamed.yml")
    renamed.write_text(path.read_text().replace("osaka", "nagoya"))
    with pytest.raises(VpnlabError, match="names site nagoya, which its applied stack"):
        local_target.verify(load_lab(renamed), said.append, lab_path=renamed)
    raw = yaml.safe_load(path.read_text())
    raw["sites"].reverse()
    swapped = path.with_name("swapped.yml")
    swapped.write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(VpnlabError, match="no longer matches the data plane its apply built"):
        local_target.verify(load_lab(swapped), said.append, lab_path=swapped)


def _sheet_is_the_applied_connection(path, lab, state: LabState, capsys) -> None:
    """``vpnlab sheet --target local --site NAME``: AWS's outside addresses as applied,
    what the site's associated table (onprem: the VPCs only) sends it, its static
    route as the gateway's tables hold it (its connection holds none)."""
    for site in ("tokyo", "osaka"):
        capsys.readouterr()
        assert main(["sheet", str(path), "--site", site, "--target", "local"]) == 0
        tables = markdown_tables(capsys.readouterr().out)
        endpoints, routing = say("en", "section.endpoints"), say("en", "section.routing")
        assert row(tables, endpoints, say("en", "row.outside"))[:2] == [
            _address(state, lab, site, 1),
            _address(state, lab, site, 2),
        ]
        assert row(tables, routing, say("en", "row.aws_networks"))[0] == "10.0.0.0/16, 10.1.0.0/16"
        own = {"tokyo": "192.168.0.0/16", "osaka": "172.16.0.0/16"}[site]  # in the tables
        assert row(tables, routing, say("en", "row.routing"))[0] == f"static: {own}"


def _address(state: LabState, lab, site: str, n: int) -> str:
    outputs = terraform_of(lab, state).outputs()
    return outputs[f"{output_key(site)}_tunnel{n}_address"]
