"""A FortiGate's configuration as the other company sends it: one file (a backup,
``show`` output, or the lines they pasted), read within vpnlab's input bounds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from driver.cgw.fortigate.conf import FortiConf, parse
from driver.cgw.router import router_file


@dataclass
class FortiGateConfig:
    source: str  # the path as given
    conf: FortiConf


def load(config: Path, secrets: Path | None = None) -> FortiGateConfig:
    text = router_file(config, secrets, "FortiGate's configuration", "psksecret")
    return FortiGateConfig(str(config), parse(text, str(config)))
