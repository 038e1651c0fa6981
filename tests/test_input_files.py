"""Only regular files, read up to a bound: a FIFO, a device, a socket or a directory
where a file is expected is refused at once (exit 2), and so is deep nesting."""

import os
import socket
from pathlib import Path

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from tests.input_bounds import SECONDS, within

SEED = PROJECT / "labs" / "seed.yml"
VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"


@pytest.fixture
def odd_paths(tmp_path):
    """Each kind of path that is not a regular file."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(tmp_path / "socket"))
    paths = {
        "a FIFO (named pipe)": fifo,
        "a character device": Path("/dev/zero"),
        "a socket": tmp_path / "socket",
    }
    if os.path.exists("/dev/urandom"):
        paths["a character device "] = Path("/dev/urandom")
    yield paths
    sock.close()


# A FIFO with no writer or a device blocks a read forever: the bound tells that apart
# from a refusal, with room for a first call's imports on a loaded 2-core machine (CI
# runs the guest and Terraform's applies beside this: an import once took over 1 s).
AT_ONCE = 10.0


def _refused(argv: list[str], capsys, exit_code: int = 2, bound: float = AT_ONCE) -> str:
    with within(bound):
        code = main(argv)
    assert code == exit_code, argv
    return capsys.readouterr().err


@pytest.mark.parametrize("command", ["lint", "check", "status"])
def test_a_lab_path_that_is_no_regular_file_is_refused_at_once(odd_paths, command, capsys):
    for kind, path in odd_paths.items():
        said = _refused([command, str(path)], capsys)
        assert f"is {kind.strip()}" in said, said


def test_a_customer_file_that_is_no_regular_file_is_refused_at_once(odd_paths, tmp_path, capsys):
    for kind, path in odd_paths.items():
        said = _refused(["lint", str(SEED), "--cgw-config", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said
        argv = ["lint", str(SEED), "--cgw-config", str(VENDOR / "ipsec.conf")]
        said = _refused([*argv, "--cgw-secrets", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said
        said = _refused(["init", "--from-cgw-config", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said


def test_a_terraform_file_that_is_no_regular_file_or_no_json_is_refused(
    odd_paths, tmp_path, capsys
):
    for kind, path in odd_paths.items():
        said = _refused(["lint", str(SEED), "--terraform", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said
    garbage = tmp_path / "cdk.tf.json"
    garbage.write_text("{not json")
    assert "not a Terraform JSON file" in _refused(
        ["lint", str(SEED), "--terraform", str(garbage)], capsys
    )


def test_a_huge_lab_file_is_refused_without_reading_it_all(tmp_path, capsys):
    huge = tmp_path / "huge.yml"
    with open(huge, "wb") as out:
        out.truncate(3 << 30)  # 3 GiB, sparse
    assert "larger than" in _refused(["lint", str(huge)], capsys)
    assert "larger than" in _refused(["check", str(huge)], capsys)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_in_well_under_a_second(tmp_path, opening, capsys):
    deep = tmp_path / "deep.yml"
    closing = "]" if opening == "[" else "}"
    deep.write_text("name: deep\nvpn: " + opening * 5000 + closing * 5000 + "\n")
    _refused(["check", str(deep)], capsys)  # once for the imports; then the parse alone
    said = _refused(["check", str(deep)], capsys, bound=SECONDS)
    assert "nest deeper than 32 levels" in said
    # lint reports a lab's problems as its findings (exit 1), as quickly
    _refused(["lint", str(deep)], capsys, exit_code=1)
    _refused(["lint", str(deep)], capsys, exit_code=1, bound=SECONDS)


def test_lint_refuses_an_odd_customer_file_before_it_reads_the_lab(odd_paths, tmp_path, capsys):
    """Every path is looked at before any work: an unfinished lab is no reason to
    read on, and no reason to leave a FIFO unnamed."""
    broken = tmp_path / "lab.yml"
    broken.write_text("name: [unfinished\n")
    config = ["--cgw-config", str(VENDOR / "ipsec.conf")]
    for kind, path in odd_paths.items():
        said = _refused(["lint", str(broken), *config, "--cgw-secrets", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said
        said = _refused(["lint", str(broken), "--terraform", str(path)], capsys)
        assert f"is {kind.strip()}" in said, said
