"""A Palo Alto firewall's configuration as the other company sends it: one file
(a saved ``running-config.xml``, ``show config running`` in set or brace form, or
the lines they pasted), read within vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.panos.conf import PanConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> PanConf:
    text = router_file(config, secrets, "PAN-OS configuration", "pre-shared-key key")
    return parse(text, str(config))
