"""What the guest binds from its cached view of this machine's root (the guest tests
run through it: tests/local/test_guest.py)."""

import shlex
import sys
import tempfile
from pathlib import Path

from driver.core.paths import PROJECT
from driver.local.guest import cached_root
from driver.local.guest.machine import GuestUnavailable, machine
from driver.local.guest.vm import Guest


def test_the_trees_hold_what_vpnlab_runs_each_once():
    trees = cached_root.trees()
    for needed in (Path("/usr/sbin/ip"), PROJECT / "driver", Path(sys.executable).resolve()):
        assert sum(needed.resolve().is_relative_to(t) for t in trees) == 1, needed
    assert not any(a != b and a.is_relative_to(b) for a in trees for b in trees)


def test_no_tree_hides_the_folder_shared_with_the_guest(monkeypatch):
    inside = PROJECT / ".vpnlab-test-tmp"  # a TMPDIR in the checkout: not a path made here
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(inside))
    assert PROJECT not in cached_root.trees()


def test_the_script_binds_every_tree_and_says_so_when_it_cannot():
    (line,) = cached_root.mount_lines()
    words = shlex.split(line)
    assert "cache=loose,ro" in line and cached_root.TAG in words
    for tree in cached_root.trees():
        assert f"mount --bind {shlex.quote(cached_root.MOUNT + str(tree))} " in line
    assert line.endswith(">&2") and "reads uncached" in line
    # the rest of this machine's root is not left mounted in the guest
    assert f"&& umount -l {cached_root.MOUNT} ||" in line


def test_a_guest_that_outlives_its_commands_reads_uncached(tmp_path):
    try:
        guest_machine = machine()
    except GuestUnavailable:  # no guest kernel here: what the script says is the test
        guest_machine = None
    for cached in (True, False):
        guest = Guest(guest_machine, "t", cached=cached)
        guest.folder = tmp_path
        script = guest.write_script([["true"]]).read_text()
        assert (cached_root.MOUNT in script) == cached
        if guest_machine is not None:
            assert (cached_root.TAG in " ".join(guest.command(tmp_path / "s"))) == cached
