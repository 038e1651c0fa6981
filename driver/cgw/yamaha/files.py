"""A Yamaha RTX's configuration as the other company sends it: one file (``show
config``, a saved config.txt, or the lines they pasted), read within vpnlab's input
bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.router import router_file
from driver.cgw.yamaha.conf import YamahaConf, parse


def load(config: Path, secrets: Path | None = None) -> YamahaConf:
    text = router_file(config, secrets, "Yamaha RTX configuration", "ipsec ike pre-shared-key")
    return parse(text, str(config))
