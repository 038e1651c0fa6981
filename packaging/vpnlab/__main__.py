"""``python -m vpnlab``: the ``vpnlab`` command."""

import sys

from vpnlab import main

sys.exit(main())
