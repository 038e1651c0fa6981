"""A Cisco router's configuration as the other company sends it: one file
(``show running-config``, a backup, or pasted lines), read within vpnlab's input
bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.cisco_ios.conf import IosConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> IosConf:
    text = router_file(config, secrets, "Cisco IOS configuration", "pre-shared-key")
    return parse(text, str(config))
