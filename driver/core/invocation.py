"""vpnlab's own command line, as the user can type it again.

What vpnlab prints for the user to run next (`vpnlab destroy LAB`, a kept
check's `--cleanup`, init's `check`) must work as printed:

- the program is ``vpnlab`` when that is what PATH finds, else its absolute
  path (a virtualenv's ``bin`` is seldom on PATH);
- a command that needs root gets ``sudo`` when the user is not root, with the
  program's absolute path: sudo's ``secure_path`` has no virtualenv or
  ``~/.local/bin`` (pipx);
- a state folder given with ``--state-dir`` goes with it (the lab's state is
  found there, not in the current directory's ``.vpnlab``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from driver.core.paths import STATE_DIR_VARIABLE, state_path

PROGRAM = "vpnlab"


def command(*words: str | Path, root: bool = False) -> str:
    """``vpnlab WORDS`` as this user runs it from here."""
    program = _program(absolute=root and os.geteuid() != 0)
    prefix = ["sudo"] if root and os.geteuid() != 0 else []
    state = []
    given = any(str(w).startswith("--state-dir") for w in words)  # the user's own words
    if not given and os.environ.get(STATE_DIR_VARIABLE) and state_path() != Path.cwd() / ".vpnlab":
        state = ["--state-dir", str(state_path())]
    return shlex.join([*prefix, program, *state, *(str(w) for w in words)])


def _program(absolute: bool) -> str:
    """This vpnlab's name on PATH, or its path (``python -m driver.cli``, the
    tests: the name)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.name != PROGRAM:
        found = shutil.which(PROGRAM)
        return found if absolute and found else PROGRAM
    started = started.absolute()
    on_path = shutil.which(PROGRAM)
    if not absolute and on_path and Path(on_path).resolve() == started.resolve():
        return PROGRAM
    return str(started)
