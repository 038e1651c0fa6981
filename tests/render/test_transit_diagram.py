"""``vpnlab diagram`` of a Transit Gateway lab, read back from the SVG: a node per
VPC, site and route table, the routes as the lab resolves them, two tunnels a site."""

from driver.cli import main
from driver.core.paths import STATE_DIR_VARIABLE
from tests.lab.test_transit_lab import EXAMPLE
from tests.test_docs import svg_graph


def test_the_diagram_holds_each_vpc_site_table_and_tunnel(tmp_path, capsys, monkeypatch):
    # in a state folder of its own: another test may apply the example lab meanwhile
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path))
    output = tmp_path / "tgw.svg"
    assert main(["diagram", str(EXAMPLE), "-o", str(output)]) == 0
    assert "its route tables as the lab resolves them" in capsys.readouterr().out
    nodes, edges, text = svg_graph(output)
    assert {
        "tgw",
        "tgw_rt_default",
        "tgw_rt_onprem",
        "vpc_prod",
        "vpc_dev",
        "site_tokyo_server",
        "site_osaka_server",
    } <= nodes
    names = [name for name, _ in edges]
    assert names.count("tgw->site_osaka_server") == 2  # one edge per tunnel
    assert "vpc_dev->tgw" in names
    for words in ("10.99.0.0/16", "blackhole", "192.168.0.0/16", "site:tokyo", "propagated (BGP)"):
        assert words in text, words
    assert "associated: site:tokyo, site:osaka" in text
    # nothing is deployed: the legend explains no colour the diagram does not use
    assert "tunnel UP" not in text and "tunnel DOWN" not in text
    assert "state unknown (not deployed)" in text


def test_a_report_cannot_be_drawn_for_a_transit_gateway_lab(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text("{}")
    assert main(["diagram", str(EXAMPLE), "--from-report", str(report)]) == 2
    assert "leave out --from-report" in capsys.readouterr().err
