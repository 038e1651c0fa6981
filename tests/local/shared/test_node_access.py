"""A vici session over a node's socket: what an interrupt mid-command becomes."""

from __future__ import annotations

import contextlib
import signal
import socket
import struct
import threading

import pytest
from vici.protocol import Packet, Transport

from driver.core.interrupts import Interrupted
from driver.local.shared.node_access import ViciSession


def _answer(packet_type: int) -> bytes:
    return struct.pack("!B", packet_type)  # an empty message follows a CMD_RESPONSE


def test_an_interrupt_while_a_streamed_command_waits_stays_an_interrupt(tmp_path):
    """charon answers the command before it confirms the unregister that the vici
    library sends from its ``finally``: that unregister reads the command's answer
    and raises a SessionException, which must not hide the SIGTERM behind it (it
    made ``check`` report a fault and exit 1 instead of 143)."""
    path = tmp_path / "charon.vici"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen(1)
    handled = threading.Event()

    def interrupt(signum, frame):
        handled.set()
        raise Interrupted(signal.SIGTERM)

    def charon():  # a scripted vici peer: confirm, let the signal land, answer in order
        conn, _ = listener.accept()
        with conn:
            wire = Transport(conn)
            assert Packet.parse(wire.receive()).response_type == Packet.EVENT_REGISTER
            wire.send(_answer(Packet.EVENT_CONFIRM))
            assert wire.receive()[0] == Packet.CMD_REQUEST
            signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
            assert handled.wait(10)
            wire.send(_answer(Packet.CMD_RESPONSE))
            assert wire.receive()[0] == Packet.EVENT_UNREGISTER
            # charon confirms; the session may have hung up already (it read the
            # command's answer in place of this confirm, which is the point)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                wire.send(_answer(Packet.EVENT_CONFIRM))

    previous = signal.signal(signal.SIGUSR1, interrupt)
    peer = threading.Thread(target=charon, daemon=True)
    peer.start()
    try:
        with pytest.raises(Interrupted) as raised, ViciSession(path, timeout=10) as session:
            list(session.list_sas())
        assert raised.value.exit_code == 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGUSR1, previous)
        peer.join(10)
        listener.close()
    assert not peer.is_alive()
