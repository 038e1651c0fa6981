"""The state folder holds the tunnels' keys and lives wherever vpnlab runs: it must be
this user's own folder that nobody else can enter, and reading leaves none behind."""

import os
import pwd

import pytest

from driver.core import paths
from driver.core.errors import VpnlabError
from driver.core.state import LabState


@pytest.fixture
def state_at(monkeypatch):
    def given(folder):
        monkeypatch.setenv(paths.STATE_DIR_VARIABLE, str(folder))
        return folder

    return given


def test_a_new_folder_is_made_private(state_at, tmp_path):
    made = state_at(tmp_path / "new")
    assert paths.state_root() == made and (made.stat().st_mode & 0o777) == 0o700


def test_vpnlabs_own_folder_is_made_private_again(state_at, tmp_path):
    folder = state_at(tmp_path / ".vpnlab")
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # as `mkdir -p .vpnlab/stamps` leaves it
    assert (paths.state_root().stat().st_mode & 0o777) == 0o700


def test_a_folder_others_can_enter_is_refused_and_left_as_it_is(state_at, tmp_path):
    folder = state_at(tmp_path / "shared")
    folder.mkdir()
    folder.chmod(0o1777)  # --state-dir /tmp
    with pytest.raises(VpnlabError, match="can be entered by other users"):
        paths.state_root()
    assert (folder.stat().st_mode & 0o7777) == 0o1777


def test_a_link_or_anothers_folder_is_refused(state_at, tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    state_at(tmp_path / "link")
    with pytest.raises(VpnlabError, match=r"not a folder of this user's own \(a link\)"):
        paths.state_root()
    if os.geteuid() == 0:  # root can give a folder away
        theirs = state_at(tmp_path / "theirs")
        theirs.mkdir(mode=0o700)
        os.chown(theirs, pwd.getpwnam("nobody").pw_uid, -1)
        with pytest.raises(VpnlabError, match="uid"):
            paths.state_root()


def test_reading_a_labs_state_leaves_no_folder(state_at, tmp_path):
    state_at(tmp_path / "absent")
    state = LabState("seed")
    assert state.read("emulator.json") is None
    assert not (tmp_path / "absent").exists()
    state.write("emulator.json", {"pid": 1})
    assert ((tmp_path / "absent").stat().st_mode & 0o777) == 0o700
