"""The outputs the docs show, held to what the commands print.

Every ```console block in README*.md and docs/ is a list of ``$ command`` lines,
each followed by what it printed. A test that runs a command hands its output
to ``compare``, which finds every block showing that command and checks the
shown lines against it:

- a line ``…`` stands for any number of lines (the docs show what matters);
- what varies from run to run or machine to machine is not compared (``_VARYING``:
  durations, round-trip times, SPIs, pids, this kernel's release, the tunnel AWS
  sends on), nor runs of spaces (a table's column widths follow its longest
  cell); counts, line numbers, words and addresses are;
- the checkout's path is written as relative (the guest runs with absolute ones).

With ``VPNLAB_UPDATE_DOCS=1`` (`make docs`) a step whose lines no longer match
is rewritten: the lines it showed, found again by their first words, ``…`` for
the rest (read the result: a line whose first words changed is dropped). One
that matches is left as it is.

A block whose commands print nothing shown claims nothing. A block no test can
produce (a real AWS account) is preceded by ``<!-- output: not generated: why
-->``; tests/test_doc_outputs.py holds every other block to a test that runs it.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from driver.core.paths import PROJECT, STATE_DIR_VARIABLE

ELISION = "…"
# What would change what a command prints here from what it prints for a user: a
# make inside make (the suite runs from `make test`) names its directories, and a
# width or colour asked for by the caller's terminal.
CALLERS = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "COLUMNS", "FORCE_COLOR", STATE_DIR_VARIABLE)
UPDATE = os.environ.get("VPNLAB_UPDATE_DOCS") == "1"
NOT_GENERATED = re.compile(r"<!-- output: not generated: (.+?) -->")
FENCE = "```console"


def pages() -> list[Path]:
    """English first (a block both languages show runs once, as the English one)."""
    found = [*PROJECT.glob("README*.md"), *(PROJECT / "docs").rglob("*.md")]
    return sorted(found, key=lambda page: ("ja" in page.parts or ".ja." in page.name, page))


@dataclass
class Step:
    """One ``$ command`` of a block and the lines shown under it."""

    page: Path
    line: int  # 1-based line of the ``$`` in the page
    command: str  # as written, without the prompt
    shown: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return command_key(self.command)

    def where(self) -> str:
        return f"{self.page.relative_to(PROJECT)}:{self.line}"


@dataclass
class Block:
    """One ```` ```console ```` block: its steps, and why no test runs it (if none can)."""

    page: Path
    line: int  # of the fence
    steps: list[Step]
    not_generated: str | None  # why, when no test runs it
    text: list[str] = field(default_factory=list)  # lines before the first command

    @property
    def shows_output(self) -> bool:
        return any(step.shown for step in self.steps) or any(t.strip() for t in self.text)


def blocks(page: Path) -> list[Block]:
    lines = page.read_text().splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != FENCE:
            index += 1
            continue
        before = lines[index - 1] if index else ""
        marker = NOT_GENERATED.search(before)
        block = Block(page, index + 1, [], marker.group(1) if marker else None, [])
        index += 1
        continuing = False
        while index < len(lines) and not lines[index].startswith("```"):
            text = lines[index]
            if continuing:
                block.steps[-1].command += " " + text.strip()
            elif text.startswith("$ "):
                block.steps.append(Step(page, index + 1, text[2:]))
            elif block.steps:
                block.steps[-1].shown.append(text)
            else:
                block.text.append(text)
            continuing = bool(block.steps) and text.endswith("\\") and not block.steps[-1].shown
            if continuing:
                block.steps[-1].command = block.steps[-1].command[:-1].rstrip()
            index += 1
        found.append(block)
        index += 1
    return found


def is_install_block(block: Block) -> bool:
    """The READMEs' install block: tests/test_install.py runs it, after its own install."""
    return bool(block.steps) and block.steps[0].command.startswith("pipx install")


def all_blocks() -> list[Block]:
    return [block for page in pages() for block in blocks(page)]


def command_key(command: str) -> str:
    """A command as tests name it: no prompt's ``sudo``, no comment, single spaces."""
    words = shlex.split(command, comments=True)
    if words[:1] == ["sudo"]:
        words = words[1:]
    return " ".join(words)


# What differs from one run to the next, or from one machine to another, masked
# as "#": the rest (counts, versions, line numbers, lifetimes, words) is compared.
_VARYING = [
    (re.compile(r"\d+\.\d+(?= ?m?s\b)"), "#"),  # durations, round-trip times
    (re.compile(r"\b(PASS|WARN|FAIL|SKIP|INFO)(\s+)\d+\.\d+\b"), r"\1\2#"),  # a row's seconds
    (re.compile(r"(?<=\()\d+(?= s\))|\d+(?= s after)|(?<=after )\d+(?= s\b)"), "#"),  # waits
    (re.compile(r"\b[1-9]\d*(?=/\d+ replies)"), "#"),  # a ping passes on any reply, none fails
    (re.compile(r"\d+(?= × Xfrm)"), "#"),  # the kernel's counters: the pings, and what else came
    (re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{8}\b"), "#"),  # SPIs
    (re.compile(r"(?<=IKE SA #)\d+"), "#"),
    (re.compile(r"(?<=pid )\d+|(?<=127\.0\.0\.1:)\d+"), "#"),  # the emulator's process, port
    (re.compile(r"\d{4}-\d\d-\d\dT[\d:]+[+-]\d{4}"), "#"),  # when
    (re.compile(r"(?<=kernel )\d+\.\d+\.\d+\S*"), "#"),  # this machine's kernel release
    # The tunnel AWS sends on (at random while both are up): the packets each
    # carried, the one failover cuts.
    (re.compile(r"\d+(?= packets| on-prem -> AWS)"), "#"),
    (re.compile(r"(?<=Tunnel)\d(?= carried)|(?<=other tunnel \(Tunnel)\d"), "#"),
    # ECMP's flow hash is seeded at boot: how many flows each tunnel takes (both, each
    # flow on one, is what the row checks)
    (re.compile(r"\d+(?= on Tunnel\d)"), "#"),
    # BGP's failover keeps the cut tunnel's negotiation rows or not
    (re.compile(r"(?<=lab bgp, )\d+/\d+(?= checks)"), "#"),
    # Libreswan's conns with the same subnets: the tunnel that loses the eroute is set
    # up again and again, so which of its rows fail (a ping AWS answers on it, a rekey
    # that meets a new IKE SA) depends on when pluto retries it
    (re.compile(r"(?<=lab libreswan-aws-sample, )\d+/\d+(?= checks)"), "#"),
    # A session refused with a reason keeps retrying: the FSM state it was read in
    # (Idle, OpenConfirm …) is chance; the reason is compared.
    (re.compile(r"\b(Idle|Connect|Active|OpenSent|OpenConfirm)(?= \([^)]+\) with )"), "#"),
]
# Words that differ with the tunnel AWS sends on, and with whether both tunnels'
# rekeys read alike (then said once for both).
_REWORDED = [
    (re.compile(r"(packets AWS -> on-prem, # on-prem -> AWS) \(.*\)$"), r"\1"),
    (re.compile(r"Tunnel(\d): ([^;]+); Tunnel(\d): \2(?=$|[;)])"), r"Tunnel\1 and Tunnel\3: \2"),
    # Two policy-based tunnels with one policy between them: the kernel keeps one,
    # and the ping tells, in the order it tried them, the tunnel that passed and the
    # one that failed: the failure is compared.
    (re.compile(r"AWS sending on Tunnel\d: #/\d+ replies from [^;]*; (?=AWS sending on)"), ""),
    (re.compile(r"; AWS sending on Tunnel\d: #/\d+ replies from [^;]*? ms(?=\.|$)"), ""),
    (re.compile(r"(?<=AWS sending on Tunnel)\d"), "#"),
    # Libreswan's two conns with the same subnets: the one that loses the eroute
    (re.compile(r"(?<=conn Tunnel)\d(?='s IPsec policy)|(?<=in use for \"Tunnel)\d"), "#"),
]


def normalized(line: str) -> str:
    line = line.replace(f"{PROJECT}/", "")
    line = re.sub(r"\bsudo (?=\S*vpnlab\b)", "", line)  # a root test's next command has none
    for pattern, replacement in _VARYING:
        line = pattern.sub(replacement, line)
    line = " ".join(line.split())
    for pattern, replacement in _REWORDED:
        line = pattern.sub(replacement, line)
    return line


def _match(shown: list[str], printed: list[str]) -> list[int] | None:
    """For each shown line, the index of the printed line it stands for (``…``:
    -1), or None when the shown lines are not the printed ones."""
    shown = _without_trailing_blanks(shown)
    want = [normalized(s) for s in shown]
    have = [normalized(p) for p in printed]

    @functools.cache
    def walk(i: int, j: int) -> list[int] | None:
        if i == len(want):
            return [] if j == len(have) else None
        if shown[i].strip() == ELISION:
            for k in range(j, len(have) + 1):
                rest = walk(i + 1, k)
                if rest is not None:
                    return [-1, *rest]
            return None
        if j < len(have) and want[i] == have[j]:
            rest = walk(i + 1, j + 1)
            return None if rest is None else [j, *rest]
        return None

    return walk(0, 0)


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    """A step's lines without the blank ones that part it from the next ``$``."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def compare(command: str, printed: str) -> list[str]:
    """Each docs step showing ``command``, checked against ``printed``; one that
    differs is rewritten with VPNLAB_UPDATE_DOCS=1 (else an AssertionError lists
    them all). Returns the places of the steps found."""
    key = command_key(command)
    printed_lines = [line.rstrip() for line in printed.rstrip("\n").splitlines()]
    found, wrong = [], []
    for page in pages():
        steps = [s for b in blocks(page) for s in b.steps if s.key == key and s.shown]
        for step in reversed(steps):  # bottom up: a rewrite moves no step still to do
            found.append(step.where())
            if _match(step.shown, printed_lines) is not None:
                continue
            if UPDATE:
                _rewrite(step, printed_lines)
            else:
                wrong.append(_difference(step, printed_lines))
    assert not wrong, "\n\n".join(wrong)
    return found


def _difference(step: Step, printed: list[str]) -> str:
    shown = "\n".join(step.shown)
    said = "\n".join(printed)
    return (
        f"{step.where()}: `{step.command}` shows\n{shown}\n--- but printed\n{said}\n"
        "(`make docs` writes the commands' output into the docs)"
    )


def _rewrite(step: Step, printed: list[str]) -> None:
    """The step's shown lines made printed ones: the lines it showed, found again
    by their first words (a table row by its check's name), ``…`` for the rest,
    and the last line (a verdict) always. Read the result before committing it."""
    shown = _without_trailing_blanks(step.shown)
    blanks = [""] * (len(step.shown) - len(shown))
    picked: list[int] = []
    for line in shown:
        later = range(picked[-1] + 1 if picked else 0, len(printed))
        found = next((k for k in later if _anchor(printed[k]) == _anchor(line)), None)
        if found is not None and line.strip() != ELISION:
            picked.append(found)
    if printed and (not picked or picked[-1] != len(printed) - 1):
        picked.append(len(printed) - 1)
    new: list[str] = []
    for index, k in enumerate(picked):
        if k > (picked[index - 1] + 1 if index else 0):
            new.append(ELISION)
        if printed[k].strip() or new[-1:] != [ELISION]:  # a blank line after … says nothing
            new.append(printed[k])
    new = [line for i, line in enumerate(new) if line != ELISION or new[i - 1 : i] != [ELISION]]
    lines = step.page.read_text().splitlines(keepends=True)
    start = step.line  # the shown lines follow the command and its continuations
    while lines[start - 1].rstrip("\n").endswith("\\"):
        start += 1
    new = [line.replace(f"{PROJECT}/", "") for line in new] + blanks  # as typed in the checkout
    lines[start : start + len(step.shown)] = [line + "\n" for line in new]
    step.page.write_text("".join(lines))


def _anchor(line: str) -> str:
    return " ".join(normalized(line).split()[:3])


def run_shown(command: str, timeout: float = 900) -> tuple[int, str]:
    """A docs' command (``make apply LAB=…``) run as a user types it, in the checkout:
    its exit code and what it printed."""
    environment = {k: v for k, v in os.environ.items() if k not in CALLERS}
    done = subprocess.run(
        command.split(), cwd=PROJECT, capture_output=True, text=True, env=environment,
        timeout=timeout,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr
