"""The guest's scenarios run beside the host's tests, from the start of the session.

Under software emulation the guest's checks take ~9 minutes, one after the other,
while the host's tests leave three quarters of the cores idle (they wait on
Terraform, on AWS's timers, on daemons). So the one guest that runs every guest
scenario (``Guest.run_checks``: one boot, one Python process) starts as soon as
the tests are collected, ahead of the host's tests for the CPU (it is the
session's long pole; its one vCPU never takes more than a core, so they always
keep the other), and tests/local/test_guest.py, ordered last (tests/conftest.py),
reads its results.

Its console goes to a file; a failing guest test prints it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from driver.local import daemon_logs
from driver.local.guest.machine import GuestUnavailable, machine
from driver.local.guest.vm import Guest, guest_folders, qemu_processes
from tests.conftest import PROJECT

NICENESS = -10  # ahead of the host's tests (root: the guest tests need it anyway)
TIMEOUT = 2700  # the watchdog: well above what 22 guest scenarios take beside a busy suite
# A guest whose console and check files stay unchanged this long is stalled (each check
# writes every few seconds; a scenario's lines go to its own check-N.out, not to the
# console; the guest's own watchdog speaks after 1200 s): stopped, so the session says
# so then, with the kernel's messages, not at TIMEOUT.
SILENCE = 900
LOG_LINES = 120  # of each daemon's log, printed by a failing guest test
# A CPU the guest kernel reports stuck this long is not a slow emulation (a starved host
# shows one report, a hang a growing one every ~30 s: once, ping in gro_cell_poll, stuck
# for good): stopped then, with the kernel's words, not after SILENCE.
STUCK = 120
_SOFT_LOCKUP = re.compile(r"soft lockup - CPU#\d+ stuck for (\d+)s! \[([^\]]*)\]")
# The project's labs as the docs show them checked in the guest kernel: run as typed
# (from the checkout, lint and lifecycle included), judged by tests/local/test_guest.py
# and held to the docs' output (tests/doc_outputs.py).
DOCS = {
    "route-based-lab": "vpnlab check labs/route-based.yml",
    "seed": "vpnlab check labs/seed.yml --dataplane vm",
    "bgp": "vpnlab check labs/bgp.yml --failover",
    "transit-gateway": "vpnlab check labs/transit-gateway.yml",
}
# The inside CIDRs the customer's own updown scripts give their interfaces.
INSIDE = {
    "aws-sample-route-based": ("169.254.6.0/30", "169.254.7.0/30"),
    "swanctl-xfrm-updown": ("169.254.10.0/30", "169.254.11.0/30"),
}


def customer_lab(folder: Path, fixture: str) -> Path:
    """The lab `vpnlab init --from-cgw-config` writes, as it is: the tunnels' inside
    CIDRs are the ones the customer's scripts are given (AWS's VTI sample), or AWS's
    defaults where the scripts name none."""
    from driver.analysis.lab_from_cgw import lab_text
    from tests.fixtures import cgw_fixture

    text = lab_text(cgw_fixture(fixture))
    for inside in INSIDE[fixture]:
        assert f"inside_cidr: {inside}" in text
    path = folder / f"{fixture}.yml"
    path.write_text(text)
    return path


def docs_check(command: str) -> list[str]:
    """A check the docs show, as the guest runs it: in its own kernel, as JSON."""
    words = shlex.split(command.replace(" --dataplane vm", ""))[2:]
    placed = [str(PROJECT / w) if (PROJECT / w).exists() else w for w in words]
    return ["check", "--dataplane", "host", "--json", *placed]


def scenarios(folder: Path) -> dict[str, list[str]]:
    """Each guest scenario's `vpnlab` arguments, by name."""
    from tests.fixtures import cgw_fixture
    from tests.test_scenarios import IN_GUEST, guest_arguments

    check = ["check", "--dataplane", "host", "--no-lifecycle", "--json", "--skip-lint"]
    lifecycle = [word for word in check if word != "--no-lifecycle"]
    return {
        "aws-sample": [*lifecycle, str(customer_lab(folder, "aws-sample-route-based")),
                       "--cgw-config", str(cgw_fixture("aws-sample-route-based"))],
        "swanctl-xfrm": [*check, str(customer_lab(folder, "swanctl-xfrm-updown")),
                         "--cgw-config", str(cgw_fixture("swanctl-xfrm-updown"))],
    } | {
        name: docs_check(command) for name, command in DOCS.items()
    } | {folder.name: guest_arguments(folder) for folder in IN_GUEST}  # fmt: skip


class GuestBatch:
    """The guest scenarios' run, in a thread of its own; ``reports`` waits for it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vpnlab-tests-guest-"))
        self.console = self.folder / "console.log"
        self.guests: list[Guest] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(1, "guest-batch")
        self._future: concurrent.futures.Future | None = None
        self._stopping = threading.Event()
        self.logs: dict[str, dict[str, str]] = {}  # each scenario's daemons' logs (--logs)

    def start(self) -> GuestBatch:
        self._future = self._pool.submit(self._run)
        return self

    def reports(self) -> dict[str, tuple[int, str]]:
        """Each scenario's exit code and standard output (raises what the run raised)."""
        return self._future.result()

    def logs_tail(self, name: str, lines: int = LOG_LINES) -> str:
        """The last lines of each daemon's log of scenario ``name`` (a failing test
        prints them: what the rows do not say is there), without the check's own vici
        polls, which fill a charon's log; ``lines`` 0: all of them, polls too."""
        logs = sorted(self.logs.get(name, {}).items())
        return (
            "\n".join(
                f"--- {file}{f' (its last {lines} lines but vici clients)' if lines else ''}\n"
                + "\n".join(_told(text)[-lines:] if lines else text.splitlines())
                for file, text in logs
            )
            or f"(no daemon logs of {name})"
        )

    def console_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.console.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no console)"

    def stop(self) -> None:
        """Stop what still runs (a session ended early); nothing of it is left."""
        self._stopping.set()
        for guest in self.guests:
            guest.stop()
        self._pool.shutdown(wait=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self) -> dict[str, tuple[int, str]]:
        checks = scenarios(self.folder)
        # the kernel's messages in the console file: a stalled guest says why
        guest = Guest(machine(), "vpnlab-tests", NICENESS, kernel_messages=True)
        # A second guest boots beside it (another lab's check would): each its own
        # qemu and folder, both gone when they end.
        beside = Guest(machine(), "vpnlab-tests-beside", NICENESS)
        self.guests = [guest, beside]
        if self._stopping.is_set():
            return {}
        with open(self.console, "w") as console:
            second = concurrent.futures.ThreadPoolExecutor(1).submit(
                beside.run, [["sh", "-c", "ip netns add beside && uname -r"]]
            )
            watching = threading.Thread(target=self._stop_if_stalled, args=(guest,), daemon=True)
            watching.start()

            def collect(shared: Path) -> None:  # as `vpnlab check --dataplane vm --logs`
                for n, name in enumerate(checks):
                    self.logs[name] = daemon_logs.from_guest(shared / f"logs-{n}")

            results = guest.run_checks(list(checks.values()), console, TIMEOUT, collect)
            [beside_result] = second.result(timeout=TIMEOUT)
        assert beside_result.returncode == 0
        assert beside_result.stdout.strip() == beside.machine.kernel
        # the guests are gone with their results
        assert not qemu_processes("vpnlab-tests") and not qemu_processes("vpnlab-tests-beside")
        assert not guest_folders("vpnlab-tests") and not guest_folders("vpnlab-tests-beside")
        host_namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
        assert "beside" not in host_namespaces.stdout  # it lived in the guest's kernel
        return Reports(
            {name: (r.returncode, r.stdout) for name, r in zip(checks, results, strict=True)},
            self.logs_tail,
        )

    def _stop_if_stalled(self, guest: Guest) -> None:
        """Stop the guest once its console has said nothing for SILENCE seconds, or its
        kernel says a CPU is stuck (STUCK)."""
        while not self._stopping.wait(10):
            if guest.pid is None and guest.folder is not None and not guest.folder.exists():
                return  # it ended
            silent = time.time() - _last_written([self.console, guest.folder])
            why = stuck(self.console_tail(lines=200))
            if silent > SILENCE:
                why = f"the guest said nothing for {silent:.0f} s"
            if why:
                with open(self.console, "a") as console:
                    console.write(f"\n({why}: stopped)\n")
                guest.stop()
                return


def _told(log: str) -> list[str]:
    """A daemon's log lines but its vici clients' comings and goings (the check asks
    for the SAs every few tenths of a second: 120 lines of them say nothing)."""
    return [line for line in log.splitlines() if "[CFG] vici client " not in line]


class Reports(dict):
    """Each scenario's exit code and report, by name. Reading one puts its daemons'
    logs in the reading test's captured standard error: pytest shows them (and only
    them) when that test fails, for what its rows do not say."""

    def __init__(self, reports: dict[str, tuple[int, str]], logs_tail) -> None:
        super().__init__(reports)
        self.logs = logs_tail  # name -> the last lines of each of its daemons' logs

    def __getitem__(self, name: str) -> tuple[int, str]:
        print(self.logs(name), file=sys.stderr)
        return super().__getitem__(name)


def stuck(console: str) -> str | None:
    """What the guest kernel said of a CPU stuck STUCK seconds or more, if it did."""
    for seconds, task in _SOFT_LOCKUP.findall(console):
        if int(seconds) >= STUCK:
            return f"the guest kernel reports a CPU stuck for {seconds} s in {task} (soft lockup)"
    return None


def _last_written(places: list[Path | None]) -> float:
    """The newest modification time among files and the files in folders (0: none)."""
    times = [0.0]
    for place in places:
        if place is None:
            continue
        try:
            found = [place, *place.iterdir()] if place.is_dir() else [place]
        except OSError:
            continue
        for path in found:
            with contextlib.suppress(OSError):  # gone since it was listed
                times.append(path.stat().st_mtime)
    return max(times)


# --- wired into the session by tests/conftest.py ----------------------------------

BATCH = pytest.StashKey[GuestBatch]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the guest once the tests that read its results are known to run."""
    if session.config.option.collectonly or os.geteuid() != 0:
        return  # without root the guest tests are skipped
    if any("guest_reports" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[BATCH] = GuestBatch().start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    batch = session.config.stash.get(BATCH, None)
    if batch is not None:
        batch.stop()


@pytest.fixture(scope="session")
def guest_reports(request) -> dict[str, tuple[int, str]]:
    """Each guest scenario's exit code and JSON report, from the one guest."""
    batch = request.config.stash.get(BATCH, None)
    assert batch is not None, "the guest batch starts with the session of a root user"
    try:
        reports = batch.reports()
    except GuestUnavailable as exc:
        pytest.fail(f"{exc}")  # `make setup` installs it: a missing guest is a defect
    finally:
        print(batch.console_tail(lines=10_000), file=sys.stderr)
    return reports
