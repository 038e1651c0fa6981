"""A VyOS or EdgeOS router's configuration as the other company sends it: one file
(``show configuration commands``, ``show configuration``, a saved config.boot, a
UniFi Security Gateway's config.gateway.json, or the lines they pasted), read within
vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.router import router_file
from driver.cgw.vyos.conf import VyosConf, parse


def load(config: Path, secrets: Path | None = None) -> VyosConf:
    text = router_file(
        config, secrets, "VyOS configuration",
        "authentication pre-shared-secret, or vpn ipsec authentication psk",
    )  # fmt: skip
    return parse(text, str(config))
