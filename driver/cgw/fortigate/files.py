"""A FortiGate's configuration as the other company sends it: one file (a backup,
``show`` output, or the lines they pasted), read within vpnlab's input bounds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from driver.cgw.folder import MAX_BYTES, CustomerConfigError
from driver.cgw.fortigate.conf import FortiConf, parse
from driver.core.input_files import read_text


@dataclass
class FortiGateConfig:
    source: str  # the path as given
    conf: FortiConf


def load(config: Path, secrets: Path | None = None) -> FortiGateConfig:
    if secrets is not None:
        raise CustomerConfigError(
            f"{config} is a FortiGate's configuration: its keys are in it (psksecret); "
            "drop --cgw-secrets"
        )
    if config.is_dir():
        raise CustomerConfigError(
            f"{config} is a directory: pass the FortiGate's configuration file itself"
        )
    text = read_text(config, MAX_BYTES, "FortiGate configuration")
    return FortiGateConfig(str(config), parse(text, str(config)))
