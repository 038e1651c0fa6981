"""A RouterOS router's configuration as the other company sends it: one file (an
``/export``, or the script people paste), read within vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.mikrotik import defaults
from driver.cgw.mikrotik.conf import RosConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> RosConf:
    text = router_file(config, secrets, "MikroTik RouterOS export", "/ip ipsec identity secret=")
    return parse(text, str(config))


def release(conf: RosConf) -> str:
    """The release whose defaults judge the file: its header's, else what its syntax
    says (v7's /routing bgp connection or dotted keys, v6's bgp instance and peers)."""
    v7 = any(i.path in ("/routing bgp connection", "/routing bgp template") for i in conf.items)
    return defaults.release_name(conf.release, v7)
