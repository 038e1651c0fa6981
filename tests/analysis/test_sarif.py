"""``vpnlab lint --sarif FILE`` and ``--strict``: the findings as SARIF 2.1.0, valid
by the format's own JSON Schema (tests/fixtures/sarif/, OASIS's, not vpnlab's
reading of it), each with the file and line lint names; warnings fail with --strict."""

from __future__ import annotations

import json

import jsonschema

from driver.cli import main
from driver.core.paths import PROJECT

SCHEMA = json.loads((PROJECT / "tests/fixtures/sarif/sarif-schema-2.1.0.json").read_text())
BROKEN = "labs/broken.yml"
BLOG = "tests/fixtures/seed-vendor/ipsec.conf"
SECRETS = "tests/fixtures/seed-vendor/ipsec.secrets"


def test_the_findings_as_sarif_valid_by_the_schema_with_their_files_and_lines(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(PROJECT)
    out = tmp_path / "lint.sarif"
    argv = ["lint", BROKEN, "--cgw-config", BLOG, "--cgw-secrets", SECRETS, "--json"]
    assert main([*argv, "--sarif", str(out)]) == 1
    rows = json.loads(capsys.readouterr().out)["checks"]  # the report's shape: a row each
    severity = {"FAIL": "error", "WARN": "warning", "INFO": "info"}
    findings = [{"rule": r["name"], "severity": severity[r["status"]]} for r in rows]
    document = json.loads(out.read_text())
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    (run,) = document["runs"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f["rule"] for f in findings]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {f["rule"] for f in findings}
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert [r["level"] for r in results] == [levels[f["severity"]] for f in findings]
    places = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
        )
        for r in results
    }
    assert (BLOG, 5) in places  # the blog's conn Tunnel1: no esp=
    # a lab key's finding points at the key's own line in the lab file
    line = next(
        n for n, text in enumerate((PROJECT / BROKEN).read_text().splitlines(), 1)
        if text.strip().startswith("static_routes:")
    )  # fmt: skip
    assert (BROKEN, line) in places


def test_strict_fails_on_warnings(capsys):
    """The seed's lab with the blog's own files: warnings only, so 0; 1 with --strict."""
    argv = ["lint", str(PROJECT / "labs/seed.yml"), "--cgw-config", str(PROJECT / BLOG)]
    argv += ["--cgw-secrets", str(PROJECT / SECRETS)]
    assert main(argv) == 0
    assert main([*argv, "--strict"]) == 1
    assert "warning" in capsys.readouterr().out
