"""A pfSense router's configuration as the other company sends it: its config.xml
backup, keys in it, read within vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.pfsense.conf import PfConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> PfConf:
    text = router_file(config, secrets, "pfSense config.xml", "<pre-shared-key>")
    return parse(text, str(config))
