"""The commands vpnlab prints for the user to run next work as printed: the program
as PATH finds it (or its path), sudo with an absolute path where root is needed,
and the state folder given with --state-dir."""

import os
import sys
from pathlib import Path

import pytest

from driver.core import invocation
from driver.core.paths import STATE_DIR_VARIABLE


@pytest.fixture
def started_as(monkeypatch, tmp_path):
    """vpnlab started from a virtualenv's bin that PATH does or does not find."""

    def start(uid: int, on_path: bool) -> Path:
        program = tmp_path / "venv" / "bin" / "vpnlab"
        program.parent.mkdir(parents=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
        monkeypatch.setattr(sys, "argv", [str(program), "check"])
        monkeypatch.setattr(os, "geteuid", lambda: uid)
        monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin" if on_path else "/usr/bin")
        monkeypatch.delenv(STATE_DIR_VARIABLE, raising=False)
        monkeypatch.chdir(tmp_path)
        return program

    return start


def test_a_user_gets_sudo_with_the_programs_path(started_as):
    program = started_as(uid=1000, on_path=True)
    assert invocation.command("check", "lab.yml", root=True) == f"sudo {program} check lab.yml"
    assert invocation.command("lint", "lab.yml") == "vpnlab lint lab.yml"  # no root: PATH's


def test_a_program_path_does_not_find_is_named_by_its_path(started_as):
    program = started_as(uid=0, on_path=False)
    assert invocation.command("destroy", "lab.yml", root=True) == f"{program} destroy lab.yml"


def test_root_on_path_types_the_name_alone(started_as):
    started_as(uid=0, on_path=True)
    assert invocation.command("check", "a lab.yml", "--cleanup", root=True) == (
        "vpnlab check 'a lab.yml' --cleanup"
    )


def test_a_state_folder_given_goes_with_the_command(started_as, monkeypatch, tmp_path):
    started_as(uid=0, on_path=True)
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path / "kept"))
    said = invocation.command("check", "lab.yml", "--cleanup", root=True)
    assert said == f"vpnlab --state-dir {tmp_path / 'kept'} check lab.yml --cleanup"
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path / ".vpnlab"))  # the default: unsaid
    assert invocation.command("check", "lab.yml") == "vpnlab check lab.yml"
