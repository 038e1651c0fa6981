"""Lint's findings as SARIF 2.1.0 (``vpnlab lint --sarif FILE``): what code-scanning
tools read (GitHub code scanning, GitLab, IDEs), each finding with its rule, level,
file and line.

A finding's ``where`` is ``file:line`` (a customer's configuration), or ``file:
key.path`` (a lab's key, whose line the lab file gives), or a file alone; each
becomes a physical location, with the key as a logical one."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

from driver.analysis.findings import Finding
from driver.lab import yaml_source

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_FILE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")
_FILE_KEY = re.compile(r"^(?P<file>.+?): (?P<key>[\w.\[\]-]+)$")


def sarif(findings: list[Finding], rules: dict[str, str]) -> str:
    used = sorted({f.rule for f in findings})
    index = {rule: n for n, rule in enumerate(used)}
    lines: dict[str, dict[str, int]] = {}
    results = [_result(f, index[f.rule], lines) for f in findings]
    try:
        version = metadata.version("vpnlab")
    except metadata.PackageNotFoundError:
        version = "0"
    driver = {
        "name": "vpnlab",
        "version": version,
        "rules": [
            {"id": rule, "shortDescription": {"text": rules.get(rule, rule)}} for rule in used
        ],
    }
    run = {"tool": {"driver": driver}, "results": results}
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2)


def _result(f: Finding, index: int, lines: dict) -> dict:
    result = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVELS[f.severity],
        "message": {"text": f"{f.message} (hint: {f.hint})"},
    }
    location = _location(f.where, lines)
    if location:
        result["locations"] = [location]
    return result


def _location(where: str, lines: dict) -> dict | None:
    """``where`` as SARIF's location: a file and line, a lab key's line, or a file."""
    found = _FILE_LINE.match(where)
    if found:
        return _physical(found["file"], int(found["line"]))
    found = _FILE_KEY.match(where)
    if found:
        key = found["key"]
        line = _key_lines(found["file"], lines).get(key)
        location = _physical(found["file"], line)
        location["logicalLocations"] = [{"fullyQualifiedName": key, "kind": "member"}]
        return location
    return _physical(where, None) if Path(where).is_file() else None


def _physical(file: str, line: int | None) -> dict:
    physical: dict = {"artifactLocation": {"uri": Path(file).as_posix()}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _key_lines(file: str, lines: dict) -> dict[str, int]:
    """The lines of a lab file's keys (read once per file); none for what is no lab."""
    if file not in lines:
        try:
            text = yaml_source.decode(Path(file).read_bytes())
            lines[file] = yaml_source.parse(text).lines
        except (OSError, yaml_source.SourceError):
            lines[file] = {}
    return lines[file]
