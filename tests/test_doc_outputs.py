"""Every output the docs show is what its command prints (tests/doc_outputs.py).

The scenarios' commands are held by their tests (tests/test_scenarios.py, and
tests/local/test_guest.py for the guest's), the labs the docs check in the guest
kernel by tests/local/test_guest.py, README's install block by
tests/test_install.py. Every other block runs here, its steps in order, in an
empty directory holding the docs' own input files (tests/fixtures/docs/) and the
checkout's labs/ and tests/: `make …` in the checkout, `vpnlab …` in this
process, anything else in bash. `make docs` rewrites the blocks that differ.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from tests.conftest import requires_root
from tests.doc_outputs import CALLERS, Block, all_blocks, compare, is_install_block, pages
from tests.local.guest_batch import DOCS as GUEST_DOCS
from tests.local.test_kept_guest import DOCS as KEPT_DOCS
from tests.local.test_transit_kept_guest import DOCS as TRANSIT_KEPT_DOCS
from tests.test_scenarios import FOLDERS, shown_command

INPUTS = PROJECT / "tests" / "fixtures" / "docs"
NEEDS_ROOT = {"check", "apply", "verify", "destroy", "status"}
NEEDS_TERRAFORM = {"synth", "hcl", "apply", "verify", "destroy"}
SHELL = ("|", "&&", "$(", ">", "<", ";")
# An absolute path into a checkout, in shown output: true only where the docs were made.
CHECKOUT_PATH = re.compile(r"/\S+/(tests|labs|docs|cdktf\.out|hcl\.out|\.vpnlab)/")


@functools.cache
def held_elsewhere() -> dict[str, str]:
    """The commands other tests run and hold to the docs, and which test."""
    held = {shown_command(f): "tests/test_scenarios.py" for f in FOLDERS}
    held |= {command: "tests/local/test_guest.py" for command in GUEST_DOCS.values()}
    held |= {command: "tests/local/test_kept_guest.py" for command in KEPT_DOCS.values()}
    return held | {
        command: "tests/local/test_transit_kept_guest.py" for command in TRANSIT_KEPT_DOCS.values()
    }


def run_here(block: Block) -> bool:
    if block.not_generated or not block.shows_output or is_install_block(block):
        return False
    held = held_elsewhere()
    return any(step.key not in held for step in block.steps if step.shown)


def once_each(blocks: list[Block]) -> list[Block]:
    """A block (a Japanese page's) whose shown commands an earlier one runs too is
    compared with it (``compare`` finds every page): not run again."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        shown = {step.key for step in block.steps if step.shown}
        if not shown <= seen:
            seen |= shown
            kept.append(block)
    return kept


HERE = once_each([block for block in all_blocks() if run_here(block)])


def needs(block: Block, kind: set[str]) -> bool:
    return any(set(step.key.split()[:3]) & kind for step in block.steps)


def marks(block: Block) -> list:
    found = []
    if needs(block, NEEDS_ROOT):
        found += [pytest.mark.root, pytest.mark.strongswan, requires_root()]
    if needs(block, NEEDS_TERRAFORM):
        found.append(pytest.mark.terraform)
    return found


def block_id(block: Block) -> str:
    return f"{block.page.relative_to(PROJECT)}:{block.line}"


def test_every_output_in_the_docs_is_produced_by_a_test():
    """A block shows what a test printed, or says why no test can (a real AWS
    account, for example); a block run here holds no step another test runs (so
    nothing runs twice, and a guest scenario never boots a guest here)."""
    assert pages() and HERE
    held = held_elsewhere()
    problems = []
    for block in all_blocks():
        if block.shows_output and not block.steps and not block.not_generated:
            problems.append(f"{block_id(block)}: output without the command that prints it")
        for step in block.steps:
            absolute = [line for line in step.shown if CHECKOUT_PATH.search(line)]
            if absolute:
                problems.append(f"{step.where()}: a path into this checkout: {absolute[0]}")
    for block in HERE:
        twice = [f"`{s.command}` ({held[s.key]})" for s in block.steps if s.key in held]
        if twice:
            problems.append(f"{block_id(block)}: runs here, but {', '.join(twice)} runs too")
    for page in pages():
        text = page.read_text()
        if "<!-- output: not generated" in text and "<!-- output: not generated: " not in text:
            problems.append(f"{page.relative_to(PROJECT)}: a not-generated block without why")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "block", [pytest.param(b, marks=marks(b), id=block_id(b)) for b in HERE]
)  # fmt: skip
def test_the_docs_show_what_the_command_prints(block, tmp_path, monkeypatch, capsys):
    shutil.copytree(INPUTS, tmp_path, dirs_exist_ok=True)
    for name in ("labs", "tests"):
        (tmp_path / name).symlink_to(PROJECT / name)
    monkeypatch.chdir(tmp_path)  # vpnlab's state: ./.vpnlab here, as a user's
    for name in CALLERS:
        monkeypatch.delenv(name, raising=False)
    found, destroy = [], None
    try:
        for step in block.steps:
            printed = _run(step.command, step.key, tmp_path, capsys)
            destroy = _destroy_after(step.key, destroy)
            if step.shown:
                found += compare(step.command, printed)
    finally:
        if destroy:  # a step failed between apply and destroy: nothing of it stays
            assert "nothing left" in _run(destroy, destroy, tmp_path, capsys)
    assert found


def _destroy_after(key: str, pending: str | None) -> str | None:
    """What undoes the block's steps so far: an apply's destroy (``make`` with the
    apply's variables, ``vpnlab`` with its lab), until a destroy ran."""
    words = key.split()
    if "destroy" in words[1:]:
        return None
    if "apply" not in words[1:]:
        return pending
    if words[0] == "make":
        return " ".join(["make", "destroy", *(w for w in words[2:] if "=" in w)])
    lab = [w for w in words[2:3] if not w.startswith("-")]
    return " ".join(["vpnlab", "destroy", *lab])


def _run(command: str, key: str, folder, capsys) -> str:
    words = key.split()
    if words[0] == "vpnlab" and not any(mark in command for mark in SHELL):
        capsys.readouterr()
        main(words[1:])
        out = capsys.readouterr()
        return out.out + out.err
    environment = os.environ | {"PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", command.removeprefix("sudo ")],
        cwd=PROJECT if words[0] == "make" else folder,
        capture_output=True, text=True, env=environment, timeout=600,
    )  # fmt: skip
    return done.stdout + done.stderr


def test_a_shown_line_is_held_to_what_was_printed_but_for_what_varies():
    from tests.doc_outputs import _match

    printed = [
        "building lab seed: 7 namespaces",
        "aws: ping {onprem_test_ip}  WARN  0.43  3/3 replies from 192.168.1.10, rtt 0.968 ms",
        "lifecycle: AWS rekeys each IKE SA  PASS  0.07  Tunnel1 and Tunnel2: new IKE SA #2",
        "PASSED: lab seed, 11/11 checks (2 warnings), 1.5 s",
    ]
    shown = [
        "…",
        "lifecycle: AWS rekeys each IKE SA  PASS  0.05  "
        "Tunnel1: new IKE SA #3; Tunnel2: new IKE SA #4",
        "PASSED: lab seed, 11/11 checks (2 warnings), 2.9 s",
    ]  # fmt: skip
    assert _match(shown, printed) is not None  # durations, padding, SA numbers vary
    assert _match(shown[1:], printed) is None  # the first lines are neither shown nor elided
    more_warnings = "PASSED: lab seed, 11/11 checks (3 warnings), 1.5 s"
    assert _match([*shown[:2], more_warnings], printed) is None
    assert _match([*shown, "…", "one line more"], printed) is None
    assert _match(["…", "aws: ping {onprem_test_ip} PASS 0.4 3/3 replies …", "…"], printed) is None
    assert _match(["…", printed[1].replace("192.168.1.10", "192.168.1.4"), "…"], printed) is None


def test_a_refused_bgp_sessions_state_is_chance_but_its_reason_is_compared():
    from tests.doc_outputs import normalized

    said = "; {} (OPEN Message Error/Bad Peer AS) with 169.254.255.2 after 1 s"
    assert normalized(said.format("Idle")) == normalized(said.format("OpenConfirm"))
    other = said.replace("Bad Peer AS", "Bad BGP Identifier")
    assert normalized(said.format("Idle")) != normalized(other.format("Idle"))
    assert "Established" in normalized("Established with 169.254.10.2 (AS 65000) after 1.5 s")


def test_the_tunnel_a_kernels_one_policy_keeps_is_either_but_its_failure_is_compared():
    """Two policy-based tunnels with identical selectors: which one the kernel's
    single policy names, and so the order the ping tells them in, is chance."""
    from tests.doc_outputs import normalized

    why = "the VPN server's kernel counted 3 × XfrmInTmplMismatch: one policy"
    passed, failed = "3/3 replies from 10.0.1.10, rtt 0.4 ms", f"0/3 replies from 10.0.1.10: {why}"
    sent = "AWS sending on"
    first = f"ping FAIL 6.2 {sent} Tunnel1: {passed}; {sent} Tunnel2: {failed}. End"
    second = f"ping FAIL 6.4 {sent} Tunnel1: {failed}; {sent} Tunnel2: {passed}. End"
    assert normalized(first) == normalized(second)
    assert normalized(first) != normalized(first.replace("0/3 replies", "2/3 replies"))
    assert normalized(first) != normalized(first.replace("XfrmInTmplMismatch", "XfrmInNoStates"))
