"""vpnlab reads and writes a node's own folders from the host without following what
the node (a customer's script) may have planted there: links, FIFOs, devices."""

import os

import pytest

from driver.local.dataplane import node_files


@pytest.fixture
def node_run(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (tmp_path / "host-secret").write_text("root:$6$hash\n")
    return run


def test_a_planted_link_is_neither_read_nor_written_through(node_run, tmp_path):
    (node_run / "charon.log").symlink_to(tmp_path / "host-secret")
    assert node_files.read_text(node_run, "charon.log") == ""
    with pytest.raises(OSError):
        node_files.write_text(node_run, "charon.log", "overwritten")
    (node_run / "log").symlink_to(tmp_path)  # a folder on the way
    with pytest.raises(OSError):
        node_files.write_text(node_run, "log/host-secret", "overwritten")
    with pytest.raises(OSError):
        node_files.open_append(node_run, "log/host-secret")
    assert (tmp_path / "host-secret").read_text() == "root:$6$hash\n"


def test_a_fifo_or_a_device_reads_as_nothing_at_once(node_run):
    os.mkfifo(node_run / "charon.log")
    assert node_files.read_text(node_run, "charon.log") == ""
    (node_run / "zero").symlink_to("/dev/zero")
    assert node_files.read_text(node_run, "zero") == ""


def test_a_regular_file_is_read_up_to_its_tail_and_written_with_its_folders(node_run):
    node_files.write_text(node_run, "lib/vpnlab/ready", "now\n")
    assert node_files.read_text(node_run, "lib/vpnlab/ready") == "now\n"
    (node_run / "big.log").write_text("x" * 100 + "tail")
    assert node_files.read_text(node_run, "big.log", limit=4) == "tail"
    with node_files.open_append(node_run, "frr/bgpd.out") as out:
        out.write(b"started\n")
    assert node_files.read_text(node_run, "frr/bgpd.out") == "started\n"
