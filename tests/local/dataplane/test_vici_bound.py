"""A charon that stops answering over vici is a fault naming its node, never a
check that waits with it (a guest batch once hung ~35 minutes on such a wait)."""

import os
import socket
import threading
import time

import pytest

from driver.core.errors import Fault
from driver.local.dataplane import charon as charon_module
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace
from driver.local.shared.node_access import VICI_SOCKET


def test_a_charon_that_never_answers_is_a_fault_within_the_bound(tmp_path, monkeypatch):
    node = Charon(Namespace("tvici", "vgw"), tmp_path / "vgw", {}, "swanctl")
    node.run_dir.mkdir(parents=True)
    node.pid = os.getpid()  # alive: it is there, it just does not answer
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(node.run_dir / VICI_SOCKET))
    listening.listen(1)
    accepted = []  # held open, never answered: a charon whose threads are all stuck
    threading.Thread(target=lambda: accepted.append(listening.accept()), daemon=True).start()
    monkeypatch.setattr(charon_module, "VICI_ANSWER_BOUND", 0.5)
    started = time.monotonic()
    try:
        said = r"charon in node vgw .* still running but stopped answering over vici"
        with pytest.raises(Fault, match=said):
            node.list_sas()
    finally:
        listening.close()
    assert time.monotonic() - started < 5
