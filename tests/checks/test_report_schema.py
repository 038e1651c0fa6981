"""One JSON shape for check, verify, lint and status (--json), described by the
committed JSON Schema: the schema is current, and what each command prints
validates against it."""

import json
import subprocess
import sys

import jsonschema
import pytest

from driver.checks.report import Report, json_schema
from driver.checks.runner import CheckResult, TunnelReport
from driver.core.paths import PROJECT

COMMITTED = PROJECT / "docs" / "schema" / "report.schema.json"


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text())).validate(document)


def test_the_committed_schema_is_current():
    assert json.loads(COMMITTED.read_text()) == json_schema(), "run scripts/update-docs.py"


def test_a_check_report_validates_and_a_row_without_its_status_does_not():
    report = Report(
        "seed",
        True,
        [
            CheckResult("vgw: tunnel Tunnel1", True, 1.0, "ESTABLISHED"),
            CheckResult("aws: ping", True, 0.4, "3/3", warning=True),
        ],
        tunnels=[TunnelReport("Tunnel1", "198.51.100.1", "ESTABLISHED", "INSTALLED")],
    )
    document = json.loads(report.to_json())
    validate(document)
    assert [row["status"] for row in document["checks"]] == ["PASS", "WARN"]
    del document["checks"][0]["status"]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


@pytest.mark.parametrize(
    "words",
    [
        ["lint", "labs/broken.yml", "--json"],
        ["lint", "labs/seed.yml", "--json"],
        ["status", "labs/seed.yml", "--json"],
    ],
)
def test_lint_and_status_print_the_reports_shape(words):
    done = subprocess.run(
        [sys.executable, "-m", "driver.cli", *words], capture_output=True, text=True, cwd=PROJECT
    )
    document = json.loads(done.stdout)
    validate(document)
    assert document["command"] == words[0]
    statuses = {row["status"] for row in document["checks"]}
    if words[1] == "labs/broken.yml":  # errors FAIL, warnings WARN, infos INFO: as lint says
        assert statuses == {"FAIL", "WARN", "INFO"} and done.returncode == 1
        assert all(row["where"] and row["fix"] for row in document["checks"])
