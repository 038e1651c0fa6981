"""The front door: generated docs are current, the diagram holds the lab, examples work."""

import os
import xml.etree.ElementTree as ET

import pytest

from driver.analysis.lint import lint
from driver.cli import build_parser
from driver.core.paths import PROJECT
from driver.lab.loader import load_lab
from driver.lab.reference import replace_in
from driver.render.diagram import TunnelState, render
from tests.conftest import requires_root

SVG = "{http://www.w3.org/2000/svg}"
NODES = {
    "aws_test_host",
    "aws_route_table",
    "vgw",
    "vpn_connection",
    "cgw",
    "igw",
    "vpn_server",
    "eip",
    "onprem_test_host",
    "onprem_route_table",
    "legend",
}
EDGES = {
    "aws_test_host->aws_route_table",
    "aws_route_table->vgw",
    "vgw->vpn_connection",
    "cgw->vpn_connection",
    "cgw->eip",
    "vgw->eip",
    "eip->igw",
    "igw->vpn_server",
    "onprem_test_host->onprem_route_table",
    "onprem_route_table->vpn_server",
}
LABS = sorted((PROJECT / "labs").glob("*.yml"))


def svg_graph(path):
    root = ET.parse(path).getroot()
    groups = root.iter(f"{SVG}g")
    nodes, edges, texts = set(), [], []
    for g in groups:
        title = g.find(f"{SVG}title")
        if g.get("class") == "node":
            nodes.add(title.text)
        elif g.get("class") == "edge":
            edges.append((title.text.replace("&#45;", "-"), g))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    return nodes, edges, " ".join(texts)


ENGLISH = sorted((PROJECT / "docs").glob("*.md"))
JAPANESE = sorted((PROJECT / "docs" / "ja").glob("*.md"))


@pytest.mark.parametrize("page", ["docs/lab-file.md", "docs/ja/lab-file.md"])
def test_lab_reference_in_the_docs_is_current(page):
    text = (PROJECT / page).read_text()
    assert replace_in(text) == text, f"run scripts/update-docs.py ({page} is stale)"


def test_every_command_is_documented_in_both_languages():
    commands = build_parser()._subparsers._group_actions[0].choices
    for page in ("docs/commands.md", "docs/ja/commands.md"):
        text = (PROJECT / page).read_text()
        missing = [c for c in commands if f"vpnlab {c}" not in text]
        assert not missing, f"{page} does not document {missing}"


def test_every_page_has_its_japanese_twin():
    """docs/ja/ mirrors docs/ (architecture.md, in English only, apart)."""
    english = {p.name for p in ENGLISH} - {"architecture.md"}
    assert english == {p.name for p in JAPANESE}


def test_every_link_in_the_docs_leads_somewhere():
    """Each relative link names a file that exists and, with #, a heading in it
    (as GitHub makes anchors): a moved section cannot leave a link behind."""
    import re

    def anchors(path):
        found, fence = set(), False
        for line in path.read_text().split("\n"):
            fence = fence != line.startswith("```")
            heading = re.match(r"^#{1,6} (.*)$", line)
            if heading and not fence:
                words = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower())
                found.add(words.replace(" ", "-"))
        return found

    broken = []
    for page in [PROJECT / "README.md", PROJECT / "README.ja.md", *ENGLISH, *JAPANESE]:
        fence = False
        for n, line in enumerate(page.read_text().split("\n"), 1):
            fence = fence != line.startswith("```")
            for target in [] if fence else re.findall(r"\]\(([^)\s]+)\)", line):
                if re.match(r"^(https?:|mailto:)", target):
                    continue
                path, _, anchor = target.partition("#")
                destination = (page.parent / path).resolve() if path else page
                if not destination.exists():
                    broken.append(f"{page.relative_to(PROJECT)}:{n}: {target}")
                elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                    broken.append(f"{page.relative_to(PROJECT)}:{n}: {target} (no such heading)")
    assert broken == []


def test_the_readme_is_a_front_door():
    """README.md: what vpnlab is, the set-up, the first commands, links (issue 31: ≤ ~15 KB)."""
    for readme in ("README.md", "README.ja.md"):
        assert len((PROJECT / readme).read_bytes()) < 15_000, readme


def test_diagram_holds_every_node_and_edge_of_the_lab(seed_lab, tmp_path):
    nodes, edges, text = svg_graph(render(seed_lab, tmp_path / "seed.svg"))
    assert nodes == NODES
    assert {name for name, _ in edges} == EDGES
    assert [name for name, _ in edges].count("vgw->eip") == 2  # the two tunnels
    for value in (
        "10.0.0.0/16",
        "10.0.1.0/24",
        "192.168.0.0/16",
        "192.168.0.0/24",
        "192.168.1.0/24",
        "169.254.10.0/30",
        "169.254.11.0/30",
        "ASN 65000",
        "strongSwan 5.9.11",
        "→ VGW (propagated)",
        "→ VPN server interface",
    ):
        assert value in text, value


def test_diagram_colours_tunnels_by_their_state(seed_lab, tmp_path):
    states = [TunnelState("198.51.100.1", "UP"), TunnelState("198.51.100.2", "DOWN")]
    _, edges, text = svg_graph(render(seed_lab, tmp_path / "seed.svg", states))
    tunnels = [g for name, g in edges if name == "vgw->eip"]
    colours = {p.get("stroke") for g in tunnels for p in g.iter(f"{SVG}path")}
    assert colours == {"#2e7d32", "#c62828"}
    assert "198.51.100.1 UP" in text and "198.51.100.2 DOWN" in text


def test_diagram_draws_the_firewall_and_its_routes(tmp_path):
    lab = load_lab(PROJECT / "labs" / "seed-firewall.yml")
    nodes, edges, text = svg_graph(render(lab, tmp_path / "fw.svg"))
    assert nodes == NODES | {"firewall"}
    names = {name for name, _ in edges}
    assert {"aws_route_table->firewall", "firewall->vgw"} <= names
    assert "ingress route 10.0.1.0/24 → firewall" in text
    assert "0.0.0.0/0 → firewall" in text and "firewall subnet 10.0.2.0/24" in text


def test_a_bgp_labs_diagram_draws_both_asns_a_session_per_tunnel_and_its_interfaces(tmp_path):
    lab = load_lab(PROJECT / "labs" / "bgp.yml")
    nodes, edges, text = svg_graph(render(lab, tmp_path / "bgp.svg"))
    assert nodes == NODES
    for value in (
        "Amazon side ASN 64512",
        "dynamic routing: BGP",
        "ASN 64512 ↔ ASN 65000",
        "eBGP 169.254.10.1 ↔ 169.254.10.2",
        "eBGP 169.254.11.1 ↔ 169.254.11.2",
        "tunnel interfaces xfrm1, xfrm2",
        "FRR bgpd ASN 65000: announces 192.168.0.0/16",
        "192.168.0.0/16 → VGW (propagated, BGP)",
        "(xfrm1 .2)",
        "legend",
    ):
        assert value in text, value
    assert "static routes:" not in text


def test_a_policy_based_labs_diagram_names_no_tunnel_interface(seed_lab, tmp_path):
    _, _, text = svg_graph(render(seed_lab, tmp_path / "seed.svg"))
    assert "tunnel interfaces" not in text and "eBGP" not in text
    assert "policy&#45;based" in text or "policy-based" in text


def test_a_checks_report_colours_the_tunnels_and_each_directions_path(seed_lab, tmp_path):
    """vpnlab diagram --from-report: Tunnel2 DOWN, the on-prem → AWS ping FAILed,
    the AWS → on-prem one passed with a warning (amber, not green)."""
    import json

    from driver.cli import main

    report = {
        "schema": "vpnlab.report/1",
        "command": "check",
        "lab": "seed",
        "passed": False,
        "checks": [
            {"name": "aws: ping {onprem_test_ip}", "status": "WARN"},
            {"name": "onprem: ping {aws_test_ip}", "status": "FAIL"},
        ],
        "tunnels": [
            {"address": "198.51.100.1", "state": "ESTABLISHED", "child": "INSTALLED"},
            {"address": "198.51.100.2", "state": "CONNECTING", "child": "DOWN"},
        ],
    }
    (tmp_path / "check.json").write_text(json.dumps(report))
    out = tmp_path / "seed.svg"
    given = str(tmp_path / "check.json")
    argv = ["diagram", str(PROJECT / "labs/seed.yml"), "--from-report", given]
    assert main([*argv, "-o", str(out)]) == 0
    _, edges, text = svg_graph(out)
    stroke = {name: {p.get("stroke") for p in g.iter(f"{SVG}path")} for name, g in edges}
    assert stroke["aws_route_table->vgw"] == {"#b26a00"}  # passed with a warning: amber
    assert stroke["onprem_route_table->vpn_server"] == {"#c62828"}  # failed: red
    assert "198.51.100.1 UP" in text and "198.51.100.2 DOWN" in text
    # another lab's report: refused, nothing drawn
    bgp = ["diagram", str(PROJECT / "labs/bgp.yml"), "--from-report", given]
    assert main([*bgp, "-o", str(tmp_path / "b.svg")]) == 2
    assert not (tmp_path / "b.svg").exists()


def test_the_committed_picture_is_the_seeds(seed_lab):
    nodes, edges, text = svg_graph(PROJECT / "docs" / "seed.svg")
    assert nodes == NODES and {name for name, _ in edges} == EDGES
    assert "vpnlab lab 'seed'" in text


@pytest.mark.parametrize("lab", LABS, ids=[p.stem for p in LABS])
def test_example_labs_lint_as_documented(lab):
    errors = [f for f in lint(lab) if f.severity == "error"]
    if lab.stem == "broken":
        assert {f.rule for f in errors} == {
            "lab-static-routes",
            "lab-network-cidrs",
            "path-unreachable",
        }
    elif lab.stem == "seed-firewall":  # the seed's appendix, marked as a lint example
        assert {f.rule for f in errors} == {"path-asymmetric"}
    else:
        assert errors == []


@pytest.mark.parametrize("name", ["seed-swanctl", "seed-aws-defaults"])
def test_example_labs_synthesize(name, synthesized):
    stack = synthesized.stack(name)
    assert (stack / "cdk.tf.json").is_file()


@pytest.mark.root
@requires_root()
@pytest.mark.parametrize("name", ["seed-swanctl", "seed-aws-defaults"])
def test_example_labs_pass_vpnlab_check(name):
    from driver.local.check_command import run_check

    report = run_check(load_lab(PROJECT / "labs" / f"{name}.yml"))
    assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]


def test_no_example_lab_holds_a_key():
    for lab in LABS:
        assert "preshared_key:" not in lab.read_text(), lab
    assert os.path.exists(PROJECT / "docs" / "seed.svg")


def test_every_lint_rule_is_in_both_languages():
    """Each rule lint can report has its row in the docs' rule tables, in English and
    Japanese."""
    from driver.analysis.lint import all_rules

    rules = all_rules()
    for pages in (ENGLISH, JAPANESE):
        # a row's first cell names its rules ("| `lab-weak-dh` / `lab-weak-integrity` |")
        cells = [line.split(" | ")[0] for page in pages for line in page.read_text().splitlines()
                 if line.startswith("| `")]  # fmt: skip
        assert [r for r in rules if not any(f"`{r}`" in c for c in cells)] == [], pages[0].parent


def test_the_ci_example_runs_vpnlab_commands_that_exist():
    """docs/ci/github-actions.yml: every vpnlab command in it parses as vpnlab's own
    command line (a renamed option would break the example silently)."""
    import shlex

    from ruamel.yaml import YAML

    workflow = YAML(typ="safe").load((PROJECT / "docs" / "ci" / "github-actions.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["vpn"]["steps"] if "run" in step]
    commands = []
    for run in runs:
        for line in run.replace('sudo "$(command -v vpnlab)"', "vpnlab").splitlines():
            words = shlex.split(line)
            if words and words[0] == "vpnlab":
                commands.append(words[1:])
    assert [c[0] for c in commands] == ["lint", "check"]
    for words in commands:
        build_parser().parse_args(words)  # exits (SystemExit) on an unknown option
