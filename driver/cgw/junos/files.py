"""A Juniper SRX's configuration as the other company sends it: one file (``show
configuration``, with ``| display set`` or not, a saved ``juniper.conf``, or the
lines they pasted), read within vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.junos.conf import JunosConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> JunosConf:
    text = router_file(config, secrets, "Junos configuration", "pre-shared-key ascii-text")
    return parse(text, str(config))
