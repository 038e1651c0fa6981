"""TARGET=aws for a Transit Gateway lab, the embedded emulator standing in for the
account: Terraform applies the gateway, its tables and both sites; verify waits for
each site's SSM agents and ``VgwTelemetry``, then pings over SSM Run Command through
the gateway, expected as the lab's tables decide; each site's sheet is its connection
as the account holds it; destroy leaves nothing (root: the
lab's data plane plays the instances, as for a VGW lab in tests/aws/test_target.py)."""

import re

import boto3
import pytest

from driver.aws.target import AwsTarget
from driver.aws_api import vpc_routes
from driver.aws_api.leaks import leftovers
from driver.cli import main
from driver.core.errors import VpnlabError
from driver.core.state import LabState
from driver.handoff.words import say
from driver.lab.loader import load_lab
from driver.local import applied_transit
from driver.local.applied_dataplane import stop_dataplane
from tests.aws.test_target import as_the_account
from tests.conftest import PROJECT, requires_root
from tests.handoff.sheet_reading import markdown_tables, row

TWO_STATIC_SITES = PROJECT / "tests" / "scenarios" / "tgw-two-static-sites" / "lab.yml"

pytestmark = [pytest.mark.terraform, pytest.mark.applies]


def rows_of(report) -> dict:
    return {row.name: row for row in report.checks}


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_a_two_site_lab_applies_verifies_per_site_and_destroys_to_nothing(
    emulator, tmp_path, monkeypatch, capsys
):
    as_the_account(emulator, monkeypatch)
    path = tmp_path / "tgwaws.yml"  # its own name: the local target's test has the file's
    path.write_text(
        re.sub(r"(?m)^name: .*$", "name: tgwaws", TWO_STATIC_SITES.read_text(), count=1)
    )
    lab = load_lab(path)
    said: list[str] = []
    target, state = AwsTarget(lab, progress=said.append), LabState(lab.name)
    try:
        target.apply(path, yes=True)
        preflight = "\n".join(said)
        assert "2 Site-to-Site VPN connections" in preflight
        assert "4 Transit Gateway attachments" in preflight  # two VPCs, two sites
        assert "each verify adds four Reachability Analyzer analyses: $0.40" in preflight
        outputs = target.terraform().outputs()

        # The instances have not booted: no SSM agent answers; the wait is bounded.
        rows = rows_of(target.verify(timeout=1))
        assert not rows["SSM agents online"].passed
        assert "site:tokyo" in rows["SSM agents online"].detail

        # They boot: the lab's data plane, built from what the account holds, plays them.
        applied_transit.build(applied_transit.applied(lab, emulator, outputs), state)
        said.clear()
        report = target.verify(timeout=90)
        rows = rows_of(report)
        assert report.passed, [(r.name, r.detail) for r in report.checks if not r.passed]
        for site in ("tokyo", "osaka"):
            assert rows[f"site {site}: VPN server user data finished"].detail.startswith("READY")
            telemetry = rows[f"site {site}: VgwTelemetry: both tunnels UP"]
            assert telemetry.detail.count(" UP") == 2
        tokyo = outputs["tokyo_onprem_test_private_ip"]
        reply = rows[f"vpc:prod → site:tokyo: ping {tokyo} (YES)"]
        assert re.match(rf"[123]/3 replies from {re.escape(tokyo)}\b", reply.detail)
        # Sites kept apart by their own table: no reply, none expected, the table named.
        osaka = outputs["osaka_onprem_test_private_ip"]
        apart = rows[f"site:tokyo → site:osaka: ping {osaka} (NO)"]
        assert apart.passed and apart.detail.startswith("0/3 replies")
        assert "route table onprem" in apart.detail
        # Reachability Analyzer, through the gateway, for each VPC and site.
        found = rows["Reachability Analyzer: vpc:prod → site:tokyo (tcp/443)"]
        hops = found.detail.removeprefix("path found: ").split(" → ")
        assert hops[-3:] == [
            outputs["transit_gateway_id"],
            outputs["transit_gateway_route_table_ids"]["default"],
            outputs["transit_gateway_attachment_ids"]["site:tokyo"],
        ]
        assert sum(name.startswith("Reachability Analyzer: ") for name in rows) == 4

        # Each site's sheet, as the account holds its connection.
        for site in ("tokyo", "osaka"):
            capsys.readouterr()
            assert main(["sheet", str(path), "--site", site, "--target", "aws"]) == 0
            tables = markdown_tables(capsys.readouterr().out)
            outside = row(tables, say("en", "section.endpoints"), say("en", "row.outside"))
            assert outside[:2] == [outputs[f"{site}_tunnel{n}_address"] for n in (1, 2)]

        # Tokyo's static route deleted in the account: the analysis names the table.
        ec2 = boto3.client("ec2", endpoint_url=emulator.url, region_name=lab.region)
        ec2.delete_transit_gateway_route(
            TransitGatewayRouteTableId=outputs["transit_gateway_route_table_ids"]["default"],
            DestinationCidrBlock="192.168.0.0/16",
        )
        # And dev's own route table loses its route to Osaka through the gateway.
        dev_table = vpc_routes.of_instance(ec2, outputs["dev_test_instance_id"]).id
        ec2.delete_route(RouteTableId=dev_table, DestinationCidrBlock="172.16.0.0/16")
        # The data plane standing in for AWS forwards by the tables it is built from.
        applied_transit.build(applied_transit.applied(lab, emulator, outputs), state)
        rows = rows_of(target.verify(timeout=30))
        lost = rows["Reachability Analyzer: vpc:prod → site:tokyo (tcp/443)"]
        assert not lost.passed
        assert "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT: Transit Gateway route table" in lost.detail
        assert not rows[f"vpc:prod → site:tokyo: ping {tokyo} (YES)"].passed
        assert rows["Reachability Analyzer: vpc:prod → site:osaka (tcp/443)"].passed
        assert not rows["Reachability Analyzer: vpc:dev → site:osaka (tcp/443)"].passed
        for name in (
            f"vpc:dev → site:osaka: ping {osaka} (YES)",
            f"site:osaka → vpc:dev: ping {outputs['dev_test_private_ip']} (YES)",
        ):
            assert not rows[name].passed
            assert (
                f"but vpc:dev's route table {dev_table} has no route to 172.16.1.0/24 through "
                "the Transit Gateway" in rows[name].detail
            ), rows[name].detail
        assert rows[f"vpc:prod → site:osaka: ping {osaka} (YES)"].passed

        # A site renamed since the apply: refused, named, before any wait.
        renamed = tmp_path / "renamed.yml"
        renamed.write_text(path.read_text().replace("osaka", "nagoya"))  # its tables' too
        with pytest.raises(VpnlabError, match="names site nagoya, which its stack"):
            AwsTarget(load_lab(renamed), progress=said.append).verify(timeout=1)

        # Tokyo's server holds keys that are not AWS's: its telemetry stays DOWN, and its
        # own server's log is fetched over SSM, the keys masked.
        ssm = boto3.client("ssm", endpoint_url=emulator.url, region_name=lab.region)
        wrong = "typed.by_hand_wrong"
        for name in outputs["tokyo_psk_parameter_names"]:
            ssm.put_parameter(Name=name, Value=wrong, Type="SecureString", Overwrite=True)
        applied_transit.build(applied_transit.applied(lab, emulator, outputs), state)
        report = target.verify(timeout=4)
        rows = rows_of(report)
        assert not rows["site tokyo: VgwTelemetry: both tunnels UP"].passed
        assert rows["site osaka: VgwTelemetry: both tunnels UP"].passed
        assert "== site tokyo's VPN server" in report.diagnostics
        assert "== site osaka's" not in report.diagnostics
        assert "AUTHENTICATION_FAILED" in report.diagnostics
        assert wrong not in report.to_json()
    finally:
        stop_dataplane(lab, state)
        left = target.destroy(force_cleanup=True)
    assert left == []
    assert leftovers(target.session, lab.name, emulator.url) == []
    assert not state.root.exists()
