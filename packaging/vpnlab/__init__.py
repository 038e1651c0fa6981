"""The ``vpnlab`` command.

Installed, vpnlab's code and data live in this package's folder (setup.py puts
driver/, modules/, cloud-init/, labs/ and main.py there, as the repository lays
them out); run from a checkout, in the repository's root. That folder goes first
on sys.path, where the code finds its packages by the names they have in the
repository, and no top-level ``driver`` or ``modules`` lands in site-packages.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
HOME = _HERE if (_HERE / "driver").is_dir() else _HERE.parents[1]
if str(HOME) not in sys.path:
    sys.path.insert(0, str(HOME))


def main() -> int:
    from driver.cli import main as vpnlab

    return vpnlab()
