"""A node's vici socket is reached however deep the state folder is (it lives
under the current directory; a Unix socket's address holds 107 bytes)."""

import os
import socket

from driver.local.shared.node_access import SOCKET_PATH_BYTES, ViciSession


def test_a_socket_deeper_than_an_address_holds_is_still_reached(tmp_path, monkeypatch):
    folder = tmp_path / ("d" * 60) / ("e" * 60)
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)  # bind by a short relative name: binding has the same limit
    server = socket.socket(socket.AF_UNIX)
    server.bind("charon.vici")
    server.listen(1)
    path = folder / "charon.vici"
    assert len(os.fsencode(path)) > SOCKET_PATH_BYTES
    try:
        with ViciSession(path, timeout=5):
            accepted, _ = server.accept()
            accepted.close()
    finally:
        server.close()
