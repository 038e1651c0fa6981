#!/usr/bin/env python3
"""Regenerate the lab reference in README.md/README.ja.md, docs/seed.svg and the
report's JSON Schema (docs/schema/report.schema.json)."""

import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from driver.checks.report import json_schema  # noqa: E402
from driver.lab.loader import load_lab  # noqa: E402
from driver.lab.reference import replace_in  # noqa: E402
from driver.render.diagram import render  # noqa: E402

for readme in ("README.md", "README.ja.md"):
    path = PROJECT / readme
    if path.exists():
        path.write_text(replace_in(path.read_text()))
        print(f"updated the lab reference in {readme}")
print(f"wrote {render(load_lab(PROJECT / 'labs' / 'seed.yml'), PROJECT / 'docs' / 'seed.svg')}")
schema = PROJECT / "docs" / "schema" / "report.schema.json"
schema.parent.mkdir(exist_ok=True)
schema.write_text(json.dumps(json_schema(), indent=2) + "\n")
print(f"wrote {schema}")
