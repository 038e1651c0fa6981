#!/usr/bin/env python3
"""Regenerate the lab reference in docs/lab-file.md and docs/ja/lab-file.md,
docs/seed.svg and the report's JSON Schema (docs/schema/report.schema.json)."""

import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from driver.checks.report import json_schema  # noqa: E402
from driver.lab.loader import load_lab  # noqa: E402
from driver.lab.reference import replace_in  # noqa: E402
from driver.render.diagram import render  # noqa: E402

for page in ("docs/lab-file.md", "docs/ja/lab-file.md"):
    path = PROJECT / page
    path.write_text(replace_in(path.read_text()))
    print(f"updated the lab reference in {page}")
print(f"wrote {render(load_lab(PROJECT / 'labs' / 'seed.yml'), PROJECT / 'docs' / 'seed.svg')}")
schema = PROJECT / "docs" / "schema" / "report.schema.json"
schema.parent.mkdir(exist_ok=True)
schema.write_text(json.dumps(json_schema(), indent=2) + "\n")
print(f"wrote {schema}")
