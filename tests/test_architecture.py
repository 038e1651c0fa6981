"""The shape docs/architecture.md describes: packages by stage, small modules,
no import cycles, each package importing only the stages before it.

Every import counts, also those inside functions (the CLI's, the emulator's):
an import is an edge of the graph wherever it is written.
"""

import ast
import re
from pathlib import Path

import pytest

from driver.core.paths import PROJECT

MAX_LINES = 400

# What each package may import (besides itself and the shared driver.core: errors,
# input files, interrupts, paths, processes, a lab's state): the stages before it.
SHARED = {"driver.core"}
ALLOWED = {
    "driver.core": set(),
    "driver.lab": set(),
    "driver.cgw": set(),
    "driver.analysis": {"driver.lab", "driver.cgw"},
    "driver.render": {"driver.lab"},
    "driver.synth": {"driver.lab"},
    "driver.aws_api": {"driver.lab"},
    "driver.checks": {"driver.lab", "driver.aws_api"},
    "driver.aws": {
        "driver.lab",
        "driver.render",
        "driver.synth",
        "driver.aws_api",
        "driver.checks",
    },
    "driver.local": {
        "driver.lab",
        "driver.cgw",
        "driver.analysis",
        "driver.render",
        "driver.synth",
        "driver.aws_api",
        "driver.checks",
    },
    "modules": {"driver.lab", "driver.render", "driver.synth"},
    # the documents for the other company: the lab, their dialects' words and lint,
    # the lab's proposals, a check's report, AWS's record of a tunnel (local/shared/)
    "driver.handoff": {
        "driver.lab",
        "driver.cgw",
        "driver.analysis",
        "driver.render",
        "driver.checks",
        "driver.local",
    },
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    files = [*PROJECT.glob("driver/**/*.py"), *PROJECT.glob("modules/**/*.py")]
    return {_module_name(p): p for p in files}


SOURCES = _sources()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, wherever in the file the import is."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                out.add(candidate if candidate in SOURCES else base)
    return {m for m in out if m in SOURCES and m != name}


GRAPH = {name: _imports(name, path) for name, path in SOURCES.items()}


def _package(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "driver" and len(parts) > 2 else name


def test_no_import_cycles():
    """Depth-first search for a back edge; the message names the whole cycle."""
    state: dict[str, str] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for target in sorted(GRAPH[node]):
            if state.get(target) == "open":
                cycle = stack[stack.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*stack, target])
        state[node] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_packages_import_only_earlier_stages():
    wrong = []
    for module, targets in GRAPH.items():
        package = "modules" if module.startswith("modules") else _package(module)
        if package not in ALLOWED:
            continue  # driver/cli.py and the shared top-level modules
        for target in targets:
            target_package = "modules" if target.startswith("modules") else _package(target)
            if target_package in (package, *SHARED) or target_package in ALLOWED[package]:
                continue
            wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_emulator_reaches_the_data_plane_only_through_node_access():
    wrong = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.startswith("driver.local.emulator")
        for target in targets
        if target.startswith(("driver.local.dataplane", "driver.local.target"))
    ]
    assert wrong == []


def test_the_local_targets_subpackages_never_import_the_modules_above_them():
    """driver/local/'s top (the commands: check, target, placement …) imports its
    subpackages; they never import it back, and shared/ imports none of them."""
    subpackages = ("dataplane", "emulator", "guest", "shared")
    top = {m for m in GRAPH if m.startswith("driver.local.") and m.count(".") == 2}
    top -= {f"driver.local.{name}" for name in subpackages}
    wrong = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.startswith(tuple(f"driver.local.{name}." for name in subpackages))
        for target in targets
        if target in top
        or (
            module.startswith("driver.local.shared.")
            and target.startswith("driver.local.")
            and not target.startswith("driver.local.shared")
        )
    ]
    assert top and wrong == []


def test_no_module_is_longer_than_a_reader_holds_in_mind():
    long = {
        name: n
        for name, path in SOURCES.items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_docstrings_point_inside_the_repository():
    """Every document a module names (``docs/architecture.md``, ``README.md``) is
    in this repository: no pointer to a design file the reader does not have."""
    outside = [
        f"{path.relative_to(PROJECT)}: {doc}"
        for path in [*SOURCES.values(), PROJECT / "main.py"]
        for doc in re.findall(r"[\w./-]+\.md\b", path.read_text())
        if not (PROJECT / doc).is_file()
    ]
    assert outside == []


def test_tests_mirror_the_packages():
    """Each test file sits in the folder of the package it tests."""
    for test in PROJECT.glob("tests/*/**/test_*.py"):
        package = PROJECT / "driver" / test.parent.relative_to(PROJECT / "tests")
        assert package.is_dir(), f"{test.relative_to(PROJECT)} has no package {package}"
