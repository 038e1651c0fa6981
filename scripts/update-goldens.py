#!/usr/bin/env python3
"""Regenerate tests/golden/ from the templates; review the diff before committing."""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.goldens import GOLDEN, renders  # noqa: E402

if GOLDEN.exists():
    shutil.rmtree(GOLDEN)
for path, content in renders().items():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    print(path.relative_to(GOLDEN.parent.parent))
