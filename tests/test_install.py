"""vpnlab installed from its wheel, run from an empty directory: the wheel holds its
code and data in one folder (no top-level ``driver`` or ``modules``), the command
finds its templates and examples there, and writes only under the current
directory (issue 31, item 1)."""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from driver.core.paths import PROJECT, STATE_DIR_VARIABLE
from tests.conftest import requires_root


@pytest.fixture(scope="session")
def source(tmp_path_factory) -> Path:
    """The checkout's files as they are (copied: setuptools' build/ folder stays out
    of the checkout, and nothing git ignores gets in)."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        check=True, capture_output=True, text=True, cwd=PROJECT,
    ).stdout  # fmt: skip
    for name in filter(None, listed.split("\0")):
        if (PROJECT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, source / name)
    return source


@pytest.fixture(scope="session")
def wheel(source, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(source)],
        check=True, capture_output=True, cwd=folder,
    )  # fmt: skip
    [built] = folder.glob("vpnlab-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtualenv with the wheel installed; its dependencies are the checkout's
    (a .pth to them: the registry is not needed twice)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_paths(vars={"base": str(venv)})["purelib"])
    site.mkdir(parents=True, exist_ok=True)
    (site / "checkout-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "-q", "--no-deps", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    return venv


def run(venv: Path, *words: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != STATE_DIR_VARIABLE}
    return subprocess.run(
        [str(venv / "bin" / "vpnlab"), *words], capture_output=True, text=True, cwd=cwd,
        env=environment, timeout=300,
    )  # fmt: skip


def package_files(venv: Path) -> set[str]:
    [home] = venv.glob("lib/python*/site-packages/vpnlab")
    return {str(p.relative_to(home)) for p in home.rglob("*") if "__pycache__" not in p.parts}


def test_the_wheel_holds_one_folder_with_the_code_and_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"vpnlab", "vpnlab-0.1.0.dist-info"}
    for data in (
        "vpnlab/main.py",
        "vpnlab/labs/seed.yml",
        "vpnlab/cloud-init/vpn-server.yaml.j2",
        "vpnlab/cloud-init/frr/frr.conf.j2",
        "vpnlab/driver/local/dataplane/templates/vgw-swanctl.conf.j2",
        "vpnlab/modules/stack.py",
    ):
        assert data in names, data
    assert not any(name.startswith(("vpnlab/tests/", "vpnlab/setup.py")) for name in names)


def test_a_wheel_built_from_the_source_distribution_holds_the_data_too(source, tmp_path):
    """pip and build make the wheel from the sdist: MANIFEST.in must carry the data."""
    subprocess.run(
        [sys.executable, "setup.py", "-q", "sdist", "-d", str(tmp_path)],
        check=True, capture_output=True, cwd=source,
    )  # fmt: skip
    [sdist] = tmp_path.glob("vpnlab-*.tar.gz")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(sdist)],
        check=True, capture_output=True,
    )  # fmt: skip
    [built] = tmp_path.glob("vpnlab-*.whl")
    names = zipfile.ZipFile(built).namelist()
    data = {"vpnlab/main.py", "vpnlab/labs/seed.yml", "vpnlab/cloud-init/vpn-server.yaml.j2"}
    assert data <= set(names)


def test_installed_it_runs_from_an_empty_directory_and_writes_only_there(installed, tmp_path):
    before = package_files(installed)
    version = run(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("vpnlab        0.1.0")
    nothing = run(installed, "lint", cwd=tmp_path)  # no lab here, and none given
    assert nothing.returncode == 2 and "`vpnlab examples seed`" in nothing.stderr
    assert run(installed, "examples", "seed", cwd=tmp_path).stdout == "wrote seed.yml\n"
    lint = run(installed, "lint", "seed.yml", cwd=tmp_path)
    assert lint.returncode == 0 and "0 errors" in lint.stdout, lint.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.yml"]  # lint keeps no state
    assert package_files(installed) == before


@pytest.mark.root
@requires_root()
def test_installed_a_check_keeps_its_state_under_the_current_directory(installed, tmp_path):
    before = package_files(installed)
    run(installed, "examples", "seed", cwd=tmp_path)
    check = run(installed, "check", "seed.yml", "--no-lifecycle", "-q", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("PASSED: lab seed, 8/8 checks")
    assert (tmp_path / ".vpnlab").stat().st_mode & 0o777 == 0o700
    elsewhere = run(installed, "--state-dir", "kept", "check", "seed.yml", "--keep", "-q",
                    cwd=tmp_path)  # fmt: skip
    try:
        assert elsewhere.returncode == 0, elsewhere.stderr
        assert (tmp_path / "kept" / "seed" / "check").is_dir()  # a kept check's files
    finally:  # what it says removes the kept lab, run as printed (the program's path:
        # PATH does not find it; the state folder given)
        [said] = [line for line in elsewhere.stdout.splitlines() if "remove with: " in line]
        printed = said.split("remove with: ", 1)[1]
        expected = f"{installed}/bin/vpnlab --state-dir {tmp_path}/kept check seed.yml --cleanup"
        assert printed == expected
        cleanup = subprocess.run(printed, shell=True, capture_output=True, text=True, cwd=tmp_path)
    assert cleanup.returncode == 0, cleanup.stderr
    assert not (tmp_path / "kept" / "seed").exists()
    assert package_files(installed) == before


def test_cdk_for_terraform_is_an_extra_that_check_and_lint_do_without(wheel):
    """A check-only install needs neither Terraform nor Node.js: cdktf and its jsii
    runtime come only with the `terraform` extra."""
    [metadata] = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("/METADATA")]
    requires = [
        line.removeprefix("Requires-Dist: ")
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    jsii = [r for r in requires if r.startswith(("cdktf", "constructs", "jsii"))]
    assert len(jsii) == 4 and all('extra == "terraform"' in r for r in jsii), jsii


def test_synthesis_without_cdk_for_terraform_says_what_is_missing(monkeypatch, tmp_path):
    import importlib.util

    from driver.core.errors import VpnlabError
    from driver.synth import synthesis

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "cdktf" else real(name, *a)
    )
    said = r"vpnlab\[terraform\].*check, lint and init need neither"
    with pytest.raises(VpnlabError, match=said):
        synthesis.synth(PROJECT / "labs" / "seed.yml", tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing was written


@pytest.mark.root
@requires_root()
def test_the_readmes_install_block_runs_as_written(installed, tmp_path):
    """README.md's install block (its first step `pipx install`), line by line, in
    an empty directory: each command's output is what the README shows (durations
    aside), and what README.ja.md shows. pipx's line is the fixture's install; as
    root, sudo is the identity."""
    import re

    from tests.doc_outputs import blocks, compare, is_install_block

    [block] = [b for b in blocks(PROJECT / "README.md") if is_install_block(b)]
    steps = [(s.command.split("  #", 1)[0].strip(), s.shown) for s in block.steps]
    shim = "" if shutil.which("sudo") else 'sudo() { "$@"; }; '  # root already

    def timeless(said: str) -> str:
        """Durations aside, and what this machine's kernel offers (the check's
        parenthesis after its seconds: userspace or kernel ESP)."""
        return re.sub(r"\d+\.\d+ s\b.*", "N s", said)

    path = f"{installed / 'bin'}:{os.environ['PATH']}"
    environment = {k: v for k, v in os.environ.items() if k != STATE_DIR_VARIABLE}
    for command, shown in steps[1:]:
        done = subprocess.run(
            ["bash", "-c", shim + command], capture_output=True, text=True, cwd=tmp_path,
            env=environment | {"PATH": path}, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, (command, done.stderr)
        if command.startswith("mkdir try"):
            tmp_path = tmp_path / "try"  # `cd` does not outlive its shell
        assert timeless(done.stdout).splitlines() == [timeless(s) for s in shown], command
        if shown:  # README.ja.md shows the same steps: held to the same output
            assert len(compare(command, done.stdout)) == 2, command
