"""vpnlab's files are private: another local user reads no key, from files or
process arguments (root: it runs a lab and looks at it as ``nobody``)."""

import re
import stat
import subprocess
import sys

import pytest

from driver.core.paths import PROJECT, state_root
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]


def as_nobody(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "nobody", "--", *command], capture_output=True, text=True
    )


def test_a_running_lab_is_unreadable_to_another_local_user(tmp_path):
    lab_file = tmp_path / "privy.yml"
    lab_file.write_text(lab_with(("name", "privy")))
    cli = [sys.executable, "-m", "driver.cli", "check", str(lab_file)]
    subprocess.run([*cli, "--keep"], cwd=PROJECT, check=True, capture_output=True)
    try:
        state_dir = state_root()
        state = state_dir / "privy"
        assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
        files, folders = [], [state]
        for path in state.rglob("*"):
            if path.is_symlink() or path.is_socket():
                continue
            (folders if path.is_dir() else files).append(path)
        loose = [
            f"{p.relative_to(state_dir)} {oct(stat.S_IMODE(p.stat().st_mode))}"
            for p in files + folders
            if stat.S_IMODE(p.stat().st_mode) & 0o077
        ]
        assert loose == []
        endpoints = {"vgw-tunnel1", "vgw-tunnel2"}  # AWS's two endpoints, a key each
        vgw_confs = [p for p in files if p.name == "swanctl.conf" and endpoints & set(p.parts)]
        keys = [k for c in vgw_confs for k in re.findall(r'secret = "?([^"\s]+)', c.read_text())]
        assert len(vgw_confs) == 2 and len(keys) == 2
        assert all(as_nobody("cat", str(c)).returncode != 0 for c in vgw_confs)
        assert as_nobody("ls", str(state_dir)).returncode != 0
        arguments = as_nobody("ps", "-eo", "args").stdout
        assert arguments and not any(key in arguments for key in keys)
    finally:
        subprocess.run([*cli, "--cleanup"], cwd=PROJECT, check=True, capture_output=True)
