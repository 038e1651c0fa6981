"""Every folder under tests/scenarios/: a customer's files, a lab, and the verdict
and reason words `vpnlab` must print for them (tests/scenarios/README.md).

A scenario whose data plane is the guest kernel (``dataplane: vm``) runs in the
one guest the guest tests boot (tests/local/guest_batch.py, beside the other
tests; read by tests/local/test_guest.py), judged by ``judge``. Where the docs
show a scenario's command, they show what it prints (tests/doc_outputs.py)."""

import os
import re
import shlex
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from driver.cli import main
from driver.core.paths import PROJECT
from tests.conftest import requires_root
from tests.doc_outputs import compare

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


def command_line(folder: Path) -> list[str]:
    """The scenario's command as a user types it in the checkout (and the docs
    show it): its files relative to the checkout."""
    s = scenario(folder)

    def placed(word: str) -> str:
        path = folder / word
        return os.path.relpath(os.path.normpath(path), PROJECT) if path.exists() else word

    return [s["command"], *map(placed, ["lab.yml", *s.get("arguments", [])])]


def shown_command(folder: Path) -> str:
    return shlex.join(["vpnlab", *command_line(folder)])


def guest_arguments(folder: Path) -> list[str]:
    """The scenario's check as the guest tests run it (absolute paths, this kernel)."""
    words = [str(PROJECT / w) if (PROJECT / w).exists() else w for w in command_line(folder)]
    return [*words, "--dataplane", "host"]


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
def test_scenario(folder, capsys, monkeypatch):
    monkeypatch.chdir(PROJECT)  # what it prints names the files as the user gave them
    monkeypatch.delenv("COLUMNS", raising=False)  # the docs show it piped: a row a line
    code = main(command_line(folder))
    out = capsys.readouterr()
    judge(folder, code, out.out + out.err, out.out)
    compare(shown_command(folder), out.out + out.err)  # where the docs show it
