"""``vpnlab sheet --site``: a Transit Gateway lab hands each site its own sheet, with
what the Transit Gateway routes and advertises to it (its associated route table)."""

import pytest

from driver.cli import main
from driver.core.paths import STATE_DIR_VARIABLE
from driver.handoff.words import say
from tests.handoff.sheet_reading import markdown_tables, row
from tests.lab.test_transit_lab import EXAMPLE


def sheet(capsys, *argv) -> dict:
    assert main(["sheet", str(EXAMPLE), *argv]) == 0
    return markdown_tables(capsys.readouterr().out)


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_a_bgp_site_is_told_what_the_transit_gateway_advertises(capsys, lang):
    tables = sheet(capsys, "--site", "osaka", "--lang", lang)
    routing = say(lang, "section.routing")
    assert row(tables, routing, say(lang, "row.asn_aws"))[:2] == ["64512", "64512"]
    limit = row(tables, routing, say(lang, "row.prefix_limit"))[0]
    assert "1000" in limit  # a Transit Gateway's quota, not a VGW's 100
    # Its associated table ("onprem"): both VPCs; not Tokyo (segmented), not the blackhole.
    advertised = row(tables, routing, say(lang, "row.advertised"))[0]
    assert advertised == "10.0.0.0/16, 10.1.0.0/16"


def test_a_static_site_is_told_the_networks_to_route_into_its_tunnels(capsys):
    tables = sheet(capsys, "--site", "tokyo")
    networks = row(tables, say("en", "section.routing"), say("en", "row.aws_networks"))[0]
    assert networks == "10.0.0.0/16, 10.1.0.0/16"


def test_without_the_sites_table_each_site_is_told_of_the_other(capsys, tmp_path):
    import yaml

    raw = yaml.safe_load(EXAMPLE.read_text())
    del raw["transit_gateway"]["route_tables"]
    path = tmp_path / "tgw.yml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["sheet", str(path), "--site", "osaka"]) == 0
    tables = markdown_tables(capsys.readouterr().out)
    advertised = row(tables, say("en", "section.routing"), say("en", "row.advertised"))[0]
    # The default table: the VPCs and Tokyo's static route, not Osaka's own prefix.
    assert advertised == "10.0.0.0/16, 10.1.0.0/16, 192.168.0.0/16"


@pytest.mark.parametrize(
    "argv,message",
    [
        ([], "--site is needed; name one of tokyo, osaka"),
        (["--site", "nagoya"], "no site 'nagoya'"),
        (["--site", "osaka", "--target", "local"], "is not applied on the local target"),
    ],
)
def test_the_site_is_asked_for_by_name(capsys, argv, message, tmp_path, monkeypatch):
    # in a state folder of its own: another test may apply the example lab meanwhile
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path))
    assert main(["sheet", str(EXAMPLE), *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_vgw_lab_has_no_sites(capsys):
    from driver.core.paths import PROJECT

    assert main(["sheet", str(PROJECT / "labs" / "seed.yml"), "--site", "tokyo"]) == 2
    assert "--site names a Transit Gateway lab's site" in capsys.readouterr().err
