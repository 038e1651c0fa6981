"""Stacks the tests read, synthesized from the session's start by a worker beside them.

Each synthesis is a Node process of ~3.5 s (the provider's conventional import,
~15 s), and the tests that read these stacks run after the fast ones
(tests/conftest.py). So once a test that reads one is known to run, one thread
synthesizes them all, in the order below, while the first tests run on the other
core; a test asks for its stack by name and waits for it, if it must. Each is
synthesized once per session, as a user's ``vpnlab synth`` would: read it, copy
it to change it.

Each synthesis runs in a child process of its own, with the environment and the
folder the session started with: the tests that run meanwhile change both (PATH,
the state folder, the current directory) in this process.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from driver.core.paths import PROJECT
from driver.synth.synthesis import export_hcl, synth

SEED = PROJECT / "labs" / "seed.yml"


def _conventional_import(root: Path) -> Path:
    """The seed, its provider imported whole (modules/aws.py's slow path): set in this
    child process alone, for synthesis's own child to inherit."""
    os.environ["VPNLAB_FULL_PROVIDER_IMPORT"] = "1"
    return synth(SEED, root)


def _lab(name: str) -> Callable[[Path], Path]:
    return lambda root: synth(PROJECT / "labs" / f"{name}.yml", root)


# By name, in the order the session reads them: the seed's first (the lint tests).
STACKS: dict[str, Callable[[Path], Path]] = {
    "seed": _lab("seed"),
    "seed-firewall-fixed": _lab("seed-firewall-fixed"),
    "bgp": _lab("bgp"),
    "seed-hcl": lambda root: export_hcl(SEED, root / "seed"),
    "seed-conventional-import": _conventional_import,
    "seed-swanctl": _lab("seed-swanctl"),
    "seed-aws-defaults": _lab("seed-aws-defaults"),
}


def build(name: str, root: str) -> None:
    """Synthesize stack ``name`` into ``root`` and say where it is (the child process)."""
    print(STACKS[name](Path(root)))


class Synthesized:
    """The session's stacks: each from the worker, or synthesized when first asked."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="vpnlab-tests-synth-"))
        self._environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
        self._worker = concurrent.futures.ThreadPoolExecutor(1, "synthesized")
        self._stacks: dict[str, concurrent.futures.Future[Path]] = {}

    def start(self) -> Synthesized:
        for name in STACKS:
            self._submit(name)
        return self

    def stack(self, name: str) -> Path:
        """Stack ``name``'s folder (raises what its synthesis raised)."""
        return self._submit(name).result()

    def _submit(self, name: str) -> concurrent.futures.Future[Path]:
        if name not in self._stacks:
            self._stacks[name] = self._worker.submit(self._synthesize, name)
        return self._stacks[name]

    def _synthesize(self, name: str) -> Path:
        root, temporary = self.root / name, self.root / f"{name}.tmp"
        temporary.mkdir(parents=True)  # jsii's runtime, unpacked: gone with the session's
        code = "import sys; from tests.synthesized import build; build(*sys.argv[1:])"
        done = subprocess.run(
            [sys.executable, "-c", code, name, str(root)],
            env={**self._environment, "TMPDIR": str(temporary)},
            cwd=PROJECT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"stack {name} was not synthesized:\n{done.stderr[-4000:]}")
        return Path(done.stdout.splitlines()[-1])

    def stop(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)


# --- wired into the session by tests/conftest.py ----------------------------------

SYNTHESIZED = pytest.StashKey[Synthesized]()


def start(session: pytest.Session) -> None:
    """Start the worker once tests that read its stacks are known to run."""
    if session.config.option.collectonly:
        return
    if any("synthesized" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[SYNTHESIZED] = Synthesized().start()


def stop(session: pytest.Session) -> None:
    worker = session.config.stash.get(SYNTHESIZED, None)
    if worker is not None:
        worker.stop()


def of(config: pytest.Config) -> Synthesized:
    """The session's stacks (the ``synthesized`` fixture): from the worker started
    with the session, or synthesized on demand in a session that did not start it."""
    if SYNTHESIZED not in config.stash:
        config.stash[SYNTHESIZED] = Synthesized()
    return config.stash[SYNTHESIZED]
