"""Every folder under tests/scenarios/: a customer's files, a lab, and the verdict
and reason words `vpnlab` must print for them (tests/scenarios/README.md).

A scenario whose data plane is the guest kernel (``dataplane: vm``) runs in the
one guest the guest tests boot (tests/local/guest_batch.py, beside the other
tests; read by tests/local/test_guest.py), judged by ``judge``."""

import os
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from driver.cli import main
from driver.core.paths import PROJECT
from tests.conftest import requires_root

SCENARIOS = PROJECT / "tests" / "scenarios"
FOLDERS = sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yml").is_file())
COMMANDS = {"check", "lint"}


def scenario(folder: Path) -> dict:
    return YAML(typ="safe").load((folder / "scenario.yml").read_text())


IN_GUEST = [f for f in FOLDERS if scenario(f).get("dataplane") == "vm"]


def marks(folder: Path) -> list:
    if scenario(folder).get("command") == "check":
        return [pytest.mark.root, pytest.mark.strongswan, requires_root()]
    return []


def guest_arguments(folder: Path) -> list[str]:
    """The scenario's check as the guest tests run it (absolute paths, this kernel)."""
    given = [str(folder / a) if (folder / a).exists() else a for a in scenario(folder)["arguments"]]
    return ["check", str(folder / "lab.yml"), *given, "--dataplane", "host"]


def judge(folder: Path, code: int, said: str, table: str) -> None:
    """The exit code, the reason words (in all it said) and the rows (in its table)."""
    expect = scenario(folder)["expect"]
    assert code == expect["exit"], said
    lowered = said.lower()
    missing = [w for w in expect["words"] if w.lower() not in lowered]
    assert not missing, f"{missing} not in:\n{said}"
    present = [w for w in expect.get("absent", []) if w.lower() in lowered]
    assert not present, f"{present} in:\n{said}"
    for row, verdict in expect.get("rows", {}).items():
        line = rf"^{re.escape(row)}\s+{verdict}\s"
        assert re.search(line, table, re.M), f"{row}: not {verdict} in:\n{table}"


def test_every_scenario_is_complete():
    assert FOLDERS, "no scenario folders"
    for folder in FOLDERS:
        s = scenario(folder)
        assert set(s) >= {"proves", "source", "command", "expect"}, folder.name
        assert s["command"] in COMMANDS, folder.name
        assert s.get("dataplane", "host") in ("host", "vm"), folder.name
        assert set(s["expect"]) >= {"exit", "words"}, folder.name
        lab = YAML(typ="safe").load((folder / "lab.yml").read_text())
        assert lab["name"] == folder.name, f"{folder.name}: the lab's name is the folder's"


@pytest.mark.parametrize(
    "folder", [pytest.param(f, marks=marks(f), id=f.name) for f in FOLDERS if f not in IN_GUEST]
)
def test_scenario(folder, capsys):
    s = scenario(folder)
    here = os.getcwd()
    os.chdir(folder)  # what it prints names the files as the user gave them
    try:
        code = main([s["command"], "lab.yml", *s.get("arguments", [])])
    finally:
        os.chdir(here)
    out = capsys.readouterr()
    judge(folder, code, out.out + out.err, out.out)
