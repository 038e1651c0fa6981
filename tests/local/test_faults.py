"""Fault injection: a daemon vpnlab started dies at start, while the tunnels are
awaited, or during the checks; the command names the node in one line, exits 1,
tears the lab down, and never shows a traceback (root)."""

import os
import signal
import time

import pytest

from driver.cli import main
from driver.lab.loader import load_lab
from driver.local import check_command
from driver.local.dataplane.charon import Charon
from driver.local.dataplane_runner import DataPlaneRunner
from driver.local.shared.node_access import lab_namespaces
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]


def kill(charon: Charon) -> None:
    """SIGKILL the node's daemon (and its launcher), and wait until it is gone."""
    os.killpg(charon.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while charon.running():
        assert time.monotonic() < deadline, "the daemon outlived SIGKILL"
        time.sleep(0.02)


def at_start(monkeypatch, node: str) -> None:
    original = Charon.wait_ready

    def wait_ready(self, timeout: float = 60.0):
        if self.ns.node == node:
            kill(self)
        return original(self, timeout)

    monkeypatch.setattr(Charon, "wait_ready", wait_ready)


def while_waiting(monkeypatch, node: str) -> None:
    original = DataPlaneRunner._tunnel

    def tunnel(self, e, timeout):
        first = self.dp.charons_of(node)[0]  # the VGW's: endpoint 1
        if first.running():
            kill(first)
        return original(self, e, timeout)

    monkeypatch.setattr(DataPlaneRunner, "_tunnel", tunnel)


def during_checks(monkeypatch, node: str) -> None:
    original = check_command.run_lifecycle

    def lifecycle(runner, tunnels):
        kill(runner.dp.charons_of(node)[0])
        return original(runner, tunnels)

    monkeypatch.setattr(check_command, "run_lifecycle", lifecycle)


MOMENTS = {"start": at_start, "waiting": while_waiting, "checks": during_checks}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("node", ["vgw", "server"])
def test_a_charon_that_dies_during_check_is_named_in_one_line(
    tmp_path, monkeypatch, capsys, node, moment
):
    name = f"fault-{node}-{moment}"
    path = tmp_path / f"{name}.yml"
    path.write_text(lab_with(("name", name)))
    MOMENTS[moment](monkeypatch, node)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    faults = [line for line in err.splitlines() if line.startswith("vpnlab: fault:")]
    assert len(faults) == 1, err
    assert faults[0].startswith("vpnlab: fault: charon")
    assert f" in node {node} (vl-{name}_{node})" in faults[0]
    assert "the lab was torn down; run the check again" in faults[0]
    assert "Traceback" not in err
    assert lab_namespaces(load_lab(path).name) == []
