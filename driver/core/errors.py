"""One shape for every user-facing error: where, what, how to fix it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # key path in the lab file, e.g. "vpn.tunnels[0].inside_cidr"
    message: str  # what is wrong
    hint: str  # how to fix it
    line: int | None = None

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}\n    hint: {self.hint}"


class VpnlabError(Exception):
    """An error the command line reports without a traceback."""


class Fault(VpnlabError):
    """Something vpnlab started (a daemon, the emulator, the guest) died or stopped
    answering mid-command: not the input's fault, so exit 1, with the node and the
    next step in one line, after the usual teardown."""


class LabError(VpnlabError):
    """A lab file with one or more problems; nothing has been created."""

    def __init__(self, problems: list[Problem], source: str = "<lab>"):
        self.problems = problems
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''}; nothing was created"
        return "\n".join([head, *(p.format(self.source) for p in self.problems)])
