"""After an update of vpnlab, the processes an applied lab keeps run the code they
started with (driver/core/code.py): a kept guest's agent (driver/local/guest/kept.py)
is asked nothing, status says so, and apply boots a new one in its place; the lab's
emulator, which holds the lab's resources in memory, makes verify and apply refuse,
naming destroy then apply. The guest here is a stand-in process recorded as the
lab's guest (booting a real one is the guest tests' work); apply's new boot is given
no virtme-ng, so it fails at once, cleanly. The emulator is a real one."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from driver.core import code
from driver.core.errors import Fault, VpnlabError
from driver.core.paths import STATE_DIR_VARIABLE
from driver.core.processes import ProcessIdentity
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local import kept_dataplane
from driver.local import target as local_target
from driver.local.emulator.process import Emulator
from driver.local.guest import kept
from driver.local.guest.machine import GuestMachine
from driver.local.placement import Placement
from driver.local.status import status
from tests.conftest import PROJECT

LAB = "upgraded"


@pytest.fixture
def old_guest(tmp_path, monkeypatch):
    """A running process recorded as lab ``upgraded``'s guest, booted with other code."""
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path / "state"))
    stand_in = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        shared = tmp_path / "shared"
        shared.mkdir()
        guest = kept.KeptGuest(
            kept.guest_name(LAB), shared, ProcessIdentity.of(stand_in.pid, "sleep"),
            "guest kernel", tmp_path / "console.log", True, "0123456789abcdef",
        )  # fmt: skip
        LabState(LAB).write(kept.RECORD, guest.record())
        yield stand_in
    finally:
        stand_in.kill()
        stand_in.wait()


def test_the_fingerprint_follows_the_code_not_its_bytecode(tmp_path):
    tree = tmp_path / "driver"
    shutil.copytree(code.PACKAGE, tree, ignore=shutil.ignore_patterns("__pycache__"))
    before = code.fingerprint(tree)
    assert before == code.code_version()  # the checkout's, as a process finds it
    (tree / "local" / "__pycache__").mkdir(exist_ok=True)
    (tree / "local" / "__pycache__" / "target.cpython-311.pyc").write_bytes(b"stale")
    assert code.fingerprint(tree) == before
    target = tree / "local" / "target.py"
    target.write_text(target.read_text() + "# an update\n")
    assert code.fingerprint(tree) != before
    template = next(tree.rglob("*.j2"))
    target.write_text(target.read_text().removesuffix("# an update\n"))
    template.write_text(template.read_text() + "! an update\n")
    assert code.fingerprint(tree) != before


def test_an_outdated_guest_is_asked_nothing(old_guest):
    guest = kept.recorded(LabState(LAB))
    assert guest.running() and guest.outdated()
    with pytest.raises(Fault, match="runs vpnlab's code from before an update"):
        guest.call("built", 5)
    assert not (guest.folder / kept.REQUESTS).exists()  # no request was written
    current = kept.KeptGuest(**{**vars(guest), "code": code.code_version()})
    assert not current.outdated()


def test_apply_stops_an_outdated_guest_and_boots_another(old_guest, tmp_path):
    said: list[str] = []
    nothing = GuestMachine("6.1.0", Path("/nonexistent"), False, str(tmp_path / "no-vng"))
    booting = kept_dataplane.start_guest(LAB, Placement("vm", "guest kernel", nothing), said.append)
    with pytest.raises(Fault, match="the guest kernel could not start"):
        booting.result(timeout=60)
    assert old_guest.wait(timeout=10) is not None  # the old guest was stopped, not reused
    assert any("from before an update: booting a new one" in line for line in said), said
    assert not any("reusing it" in line for line in said)
    assert not (tmp_path / "shared").exists()


def test_destroy_stops_an_outdated_guest_without_asking_its_agent(old_guest, tmp_path):
    lab = dataclasses.replace(load_lab(PROJECT / "labs" / "bgp.yml"), name=LAB)
    said: list[str] = []
    assert kept_dataplane.stop(lab, said.append) == []
    assert old_guest.wait(timeout=10) is not None
    assert any("from before an update: stopping it" in line for line in said), said
    assert not any("did not stop cleanly" in line for line in said)  # its agent not asked
    assert kept.recorded(LabState(LAB)) is None and not (tmp_path / "shared").exists()


def test_status_says_the_guest_runs_older_code(old_guest):
    lab = dataclasses.replace(load_lab(PROJECT / "labs" / "bgp.yml"), name=LAB)
    rows = {row.name: row for row in status(lab).checks}
    assert not rows["guest"].passed
    assert "code from before an update: `vpnlab apply` again" in rows["guest"].detail
    assert "data plane" in rows and rows["data plane"].skipped  # its agent was not asked


def test_an_outdated_emulator_makes_verify_and_apply_refuse_and_destroy_remove_it(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path / "state"))
    path = tmp_path / f"{LAB}.yml"
    path.write_text(
        (PROJECT / "labs" / "seed.yml").read_text().replace("name: seed", f"name: {LAB}")
    )
    lab = load_lab(path)
    state = LabState(LAB)
    state.logs.mkdir(parents=True)
    emulator = Emulator.start(state.logs / "emulator.log")
    emulator.code = "0123456789abcdef"  # started by an older vpnlab
    state.write("emulator.json", emulator.record())
    try:
        for act in (
            lambda: local_target.verify(lab, lambda m: None, lab_path=path),
            lambda: local_target.apply(path, lab, lambda m: None),
        ):
            with pytest.raises(VpnlabError, match="runs vpnlab's code from before an update"):
                act()
        assert not state.terraform_dir.exists()  # apply changed nothing
        rows = {row.name: row for row in status(lab).checks}
        assert not rows["emulator"].passed and "before an update" in rows["emulator"].detail
    finally:
        leaks = local_target.destroy(lab, progress=lambda m: None)
    assert leaks == []
    assert not emulator.alive()
