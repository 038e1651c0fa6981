"""A kept guest runs the vpnlab code it booted with (driver/local/guest/kept.py): after
an update its agent's answers no longer fit this code's questions, so it is asked
nothing, status says so, and apply boots a new one in its place. The guest here is a
stand-in process recorded as the lab's guest (booting a real one is the guest tests'
work); apply's new boot is given no virtme-ng, so it fails at once, cleanly."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from driver.core.errors import Fault
from driver.core.paths import STATE_DIR_VARIABLE
from driver.core.processes import ProcessIdentity
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local import kept_dataplane
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


def test_the_code_a_guest_booted_with_is_recorded_and_compared():
    assert len(kept.code_version()) == 16
    assert kept.code_version() == kept.code_version()


def test_an_outdated_guest_is_asked_nothing(old_guest):
    guest = kept.recorded(LabState(LAB))
    assert guest.running() and guest.outdated()
    with pytest.raises(Fault, match="runs vpnlab's code from before an update"):
        guest.call("built", 5)
    assert not (guest.folder / kept.REQUESTS).exists()  # no request was written
    current = kept.KeptGuest(**{**vars(guest), "code": kept.code_version()})
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


def test_status_says_the_guest_runs_older_code(old_guest):
    lab = dataclasses.replace(load_lab(PROJECT / "labs" / "bgp.yml"), name=LAB)
    rows = {row.name: row for row in status(lab).checks}
    assert not rows["guest"].passed
    assert "code from before an update: `vpnlab apply` again" in rows["guest"].detail
    assert "data plane" in rows and rows["data plane"].skipped  # its agent was not asked
