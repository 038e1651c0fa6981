"""Fault injection on the local target: a charon that dies while apply builds the
data plane, and the emulator dying mid-verify. Each is one line naming what
died and what to do next, exit 1; destroy still leaves nothing (root)."""

import os
import signal

from driver.cli import main
from driver.core.state import LabState
from driver.lab.loader import load_lab
from driver.local import target as local_target
from driver.local.dataplane.charon import Charon
from driver.local.shared.node_access import lab_namespaces
from tests.conftest import applying_labs_locally
from tests.lab.test_loader import lab_with
from tests.local.test_faults import kill

pytestmark = applying_labs_locally()


def _fault_lines(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("vpnlab: fault:")]


def test_apply_and_verify_name_what_died_and_destroy_leaves_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "tfault.yml"
    path.write_text(lab_with(("name", "tfault")))
    lab, state = load_lab(path), LabState("tfault")
    original = Charon.wait_ready

    def server_dies_at_start(self, timeout: float = 60.0):
        if self.ns.node == "server":
            kill(self)
        return original(self, timeout)

    try:
        with monkeypatch.context() as patch:
            patch.setattr(Charon, "wait_ready", server_dies_at_start)
            assert main(["apply", str(path)]) == 1
        fault = _fault_lines(capsys)
        assert fault and "charon in node server" in fault[0] and "exited at start" in fault[0]
        assert any(f"`vpnlab destroy {path}` removes it" in line for line in fault)
        assert lab_namespaces(lab.name) == []  # the half-built data plane went

        assert main(["verify", str(path)]) == 2
        assert "no data plane: an apply did not finish" in capsys.readouterr().err

        assert main(["apply", str(path)]) == 0
        emulator = local_target.running_emulator(state)
        original_wait = local_target.wait_for_telemetry

        def emulator_dies(*args, **kwargs):
            os.kill(emulator.pid, signal.SIGKILL)
            return original_wait(*args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(local_target, "wait_for_telemetry", emulator_dies)
            assert main(["verify", str(path)]) == 1
        fault = _fault_lines(capsys)
        assert len(fault) == 1 and "the lab's AWS emulator" in fault[0], fault
        said = f"`vpnlab destroy {path}` then `vpnlab apply {path}`"  # as typed again
        assert "has exited" in fault[0] and said in fault[0]
    finally:
        leaks = local_target.destroy(lab, progress=lambda m: None)
    assert leaks == []
    assert lab_namespaces(lab.name) == [] and not state.root.exists()
