"""A Cisco router's configuration as the other company sends it: one file
(``show running-config``, a backup, or pasted lines), read within vpnlab's input
bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.cisco_ios.conf import IosConf, parse
from driver.cgw.folder import MAX_BYTES, CustomerConfigError
from driver.core.input_files import read_text


def load(config: Path, secrets: Path | None = None) -> IosConf:
    if secrets is not None:
        raise CustomerConfigError(
            f"{config} is a Cisco IOS configuration: its keys are in it (pre-shared-key); "
            "drop --cgw-secrets"
        )
    if config.is_dir():
        raise CustomerConfigError(
            f"{config} is a directory: pass the router's configuration file itself"
        )
    return parse(read_text(config, MAX_BYTES, "Cisco IOS configuration"), str(config))
