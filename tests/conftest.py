"""Shared fixtures: each expensive artefact is built once per test session."""

import json
import os
from pathlib import Path

import pytest

from driver.core.paths import PROJECT, STATE_DIR_VARIABLE
from driver.lab.loader import load_lab
from driver.lab.model import Lab
from tests import synthesized as stacks

SEED = PROJECT / "labs" / "seed.yml"
# One state folder for the session, whatever a test's current directory (a scenario
# runs in its folder): the checkout's, as `make` uses; what the tests start inherits it.
os.environ.setdefault(STATE_DIR_VARIABLE, str(PROJECT / ".vpnlab"))


@pytest.fixture(scope="session")
def seed_lab() -> Lab:
    return load_lab(SEED)


@pytest.fixture(scope="session")
def synthesized(request) -> stacks.Synthesized:
    """Stacks by name, each synthesized once per session (``synthesized.stack("seed")``):
    from a worker started with the session (tests/synthesized.py)."""
    return stacks.of(request.config)


@pytest.fixture(scope="session")
def synth_dir(synthesized) -> Path:
    """``vpnlab synth labs/seed.yml`` for real (child process, fast import path)."""
    return synthesized.stack("seed")


@pytest.fixture(scope="session")
def synth_json(synth_dir) -> dict:
    return json.loads((synth_dir / "cdk.tf.json").read_text())


@pytest.fixture(scope="session")
def hcl_dir(synthesized) -> Path:
    """``vpnlab hcl labs/seed.yml -o …``'s folder."""
    return synthesized.stack("seed-hcl")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    from driver.local.emulator.process import Emulator

    em = Emulator.start(tmp_path_factory.mktemp("emulator") / "moto.log")
    yield em
    em.stop()


@pytest.fixture
def terraform_copy(synth_dir, tmp_path) -> Path:
    """A private copy of the synthesized stack for tests that run Terraform in it."""
    import shutil

    workdir = tmp_path / "stack"
    shutil.copytree(synth_dir, workdir)
    return workdir


def resources(synth: dict, type_: str) -> list[dict]:
    return list(synth.get("resource", {}).get(type_, {}).values())


def one(synth: dict, type_: str, **match) -> dict:
    found = [r for r in resources(synth, type_) if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one {type_} with {match}, found {len(found)}"
    return found[0]


def requires_root(reason: str = "needs root and network namespaces"):
    return pytest.mark.skipif(os.geteuid() != 0, reason=reason)


def applying_labs_locally() -> list:
    """The marks of a module that applies labs to the local target."""
    marks = [pytest.mark.root, pytest.mark.terraform, pytest.mark.strongswan]
    return [*marks, pytest.mark.applies, requires_root()]


# --- the order of the session ----------------------------------------------------

_HEAVIER = ("terraform", "root", "guest")  # each slower to set up than the one before


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config, items) -> None:
    """Fast tests first, so a failure shows in the first minute; then Terraform's,
    root's, and the guest's last (its results come from a guest that has run beside
    the others: tests/local/guest_batch.py). Whole modules move: a module's fixtures
    are built once."""

    def weight(item) -> int:
        return max((n + 1 for n, m in enumerate(_HEAVIER) if item.get_closest_marker(m)), default=0)

    by_module: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        by_module[module] = max(by_module.get(module, 0), weight(item))
    items.sort(key=lambda item: by_module[item.nodeid.split("::")[0]])


# What runs beside the tests from the session's start: the guests' batch (after
# requires_root: it imports it) and the stacks' synthesis; each stopped at its end.
from tests.local import guest_batch  # noqa: E402
from tests.local.guest_batch import guest_reports  # noqa: E402, F401


def pytest_collection_finish(session: pytest.Session) -> None:
    guest_batch.pytest_collection_finish(session)
    stacks.start(session)


def pytest_sessionfinish(session: pytest.Session) -> None:
    try:  # the guest first: its qemu is in a session of its own, Ctrl-C never reaches it
        guest_batch.pytest_sessionfinish(session)
    finally:
        stacks.stop(session)
