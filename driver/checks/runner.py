"""Run a lab's expectations (driver/lab/expectations.py) against a target.

``ExpectationRunner`` runs them and times each; a target says how a probe
runs where the lab lives: the local data plane's namespaces
(driver/local/dataplane_runner.py), or SSM Run Command and VgwTelemetry on
AWS (driver/aws/verify.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from driver.checks import remote_commands
from driver.lab.expectations import Expectation

TUNNEL_TIMEOUT = 10.0  # how long a tunnel expectation waits for its SA
# A BGP session's bound once its tunnel is up: AWS's hold time, FRR's connect
# timer (2 s) and an OPEN's round trip fit in it.
BGP_TIMEOUT = 40.0
PING_COUNT = remote_commands.PING_COUNT


@dataclass
class CheckResult:
    name: str
    passed: bool
    seconds: float
    detail: str
    skipped: bool = False  # the probe has no meaning on this target (passed stays True)
    warning: bool = False  # passed, but AWS's documentation leaves the verdict open
    info: bool = False  # nothing wrong: said for what it tells (a lint finding's info)
    where: str = ""  # a lint finding's file and line, or the lab's key
    fix: str = ""  # a lint finding's fix

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "SKIP"
        if not self.passed:
            return "FAIL"
        return "WARN" if self.warning else "INFO" if self.info else "PASS"


@dataclass
class TunnelReport:
    name: str
    address: str
    state: str
    child: str
    packets_in: int = 0  # at the VGW: on-prem -> AWS
    packets_out: int = 0  # at the VGW: AWS -> on-prem
    bytes_in: int = 0
    bytes_out: int = 0
    carries: list[str] = field(default_factory=list)


class Unsupported(Exception):
    """This probe has no meaning on this target (a node that exists only locally)."""


class ExpectationRunner:
    """Runs a lab's expectations; subclasses say how a probe runs where the lab
    lives (namespaces here, SSM Run Command and VgwTelemetry on AWS)."""

    progress: Callable[[str], None]
    started: float = 0.0  # when run() began: the tunnels' shared bound counts from it

    def placeholders(self) -> dict[str, str]:
        raise NotImplementedError

    def _tunnel(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        raise NotImplementedError

    def _bgp(self, e: Expectation, timeout: float) -> tuple[bool, str]:
        raise Unsupported("this target reads no BGP state")

    def ping_output(self, node: str, address: str) -> str:
        raise NotImplementedError

    def run(self, expectations: list[Expectation], timeout: float) -> list[CheckResult]:
        """``timeout`` bounds the tunnels together: they come up side by side, so a
        second tunnel that is down costs no second wait."""
        placeholders = self.placeholders()
        results = []
        self.started = time.monotonic()
        deadline = self.started + timeout
        for expectation in expectations:
            e = expectation.resolve(placeholders)
            started = time.monotonic()
            skipped = False
            caveat = None
            try:
                if e.probe == "tunnel":
                    passed, detail = self._tunnel(e, max(deadline - time.monotonic(), 1.0))
                elif e.probe == "bgp":  # its own bound: sessions start once the tunnels are up
                    passed, detail = self._bgp(e, max(deadline - time.monotonic(), BGP_TIMEOUT))
                else:
                    passed, detail = self._ping(e)
                    caveat = self.caveat(e) if passed and e.expected == "YES" else None
            except Unsupported as exc:
                passed, detail, skipped = True, f"skipped: {exc}", True
            results.append(
                CheckResult(
                    expectation.name,
                    passed,
                    round(time.monotonic() - started, 2),
                    f"{detail}; but {caveat}" if caveat else detail,
                    skipped,
                    warning=bool(caveat),
                )
            )
            done = results[-1]
            self.progress(f"{done.verdict} {expectation.name} ({done.seconds:.1f} s) {detail}")
        return results

    def unanswered(self, e: Expectation, output: str) -> str:
        """Why an expected reply did not come (a target that can tell says so)."""
        return ""

    def caveat(self, e: Expectation) -> str | None:
        """What this target cannot show about a ping that got its replies, where AWS
        and a real customer gateway could still drop them (the check then reads WARN)."""
        return None

    def _ping(self, e: Expectation) -> tuple[bool, str]:
        output = self.ping_output(e.node, e.argument)
        replies, rtt = parse_ping(output)
        detail = f"{replies}/{PING_COUNT} replies from {e.argument}" + (
            f", rtt {rtt} ms" if rtt else ""
        )
        passed = (replies > 0) == (e.expected == "YES")
        if not passed and e.expected == "YES":
            detail += self.unanswered(e, output)
        return passed, detail


def parse_ping(output: str) -> tuple[int, str | None]:
    """Replies received and the average round trip (ms) from ping's summary."""
    received = re.search(r"(\d+) received", output)
    rtt = re.search(r"= [\d.]+/([\d.]+)/", output)
    return (int(received.group(1)) if received else 0), (rtt.group(1) if rtt else None)
