"""Every folder under tests/scenarios/: a customer's files, a lab, and the verdict
and reason words `vpnlab` must print for them (tests/scenarios/README.md)."""

import os
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from driver.cli import main
from driver.paths import PROJECT
from tests.conftest import requires_root

SCENARIOS = PROJECT / "tests" / "scenarios"
FOLDERS = sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yml").is_file())
COMMANDS = {"check", "lint"}


def scenario(folder: Path) -> dict:
    return YAML(typ="safe").load((folder / "scenario.yml").read_text())


def marks(folder: Path) -> list:
    if scenario(folder).get("command") == "check":
        return [pytest.mark.root, pytest.mark.strongswan, requires_root()]
    return []


def test_every_scenario_is_complete():
    assert FOLDERS, "no scenario folders"
    for folder in FOLDERS:
        s = scenario(folder)
        assert set(s) >= {"proves", "source", "command", "expect"}, folder.name
        assert s["command"] in COMMANDS, folder.name
        assert set(s["expect"]) >= {"exit", "words"}, folder.name
        lab = YAML(typ="safe").load((folder / "lab.yml").read_text())
        assert lab["name"] == folder.name, f"{folder.name}: the lab's name is the folder's"


@pytest.mark.parametrize("folder", [pytest.param(f, marks=marks(f), id=f.name) for f in FOLDERS])
def test_scenario(folder, capsys):
    s = scenario(folder)
    arguments = s.get("arguments", [])
    here = os.getcwd()
    os.chdir(folder)  # what it prints names the files as the user gave them
    try:
        code = main([s["command"], "lab.yml", *arguments])
    finally:
        os.chdir(here)
    out = capsys.readouterr()
    said = (out.out + out.err).lower()
    expect = s["expect"]
    assert code == expect["exit"], out.out + out.err
    missing = [w for w in expect["words"] if w.lower() not in said]
    assert not missing, f"{missing} not in:\n{out.out}{out.err}"
    present = [w for w in expect.get("absent", []) if w.lower() in said]
    assert not present, f"{present} in:\n{out.out}{out.err}"
    for row, verdict in expect.get("rows", {}).items():  # the report table's row
        line = rf"^{re.escape(row)}\s+{verdict}\s"
        assert re.search(line, out.out, re.M), f"{row}: not {verdict} in:\n{out.out}"
