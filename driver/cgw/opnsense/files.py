"""An OPNsense router's configuration as the other company sends it: its config.xml
backup, read within vpnlab's input bounds."""

from __future__ import annotations

from pathlib import Path

from driver.cgw.opnsense.conf import OpnConf, parse
from driver.cgw.router import router_file


def load(config: Path, secrets: Path | None = None) -> OpnConf:
    text = router_file(config, secrets, "OPNsense config.xml", "<preSharedKeys>")
    return parse(text, str(config))


def ipsec_enabled(conf: OpnConf) -> bool:
    """VPN > IPsec > Connections: Enable (``<ipsec><enable>``, which OPNsense checks
    with isset, ipsec.inc: present is on, whatever it holds)."""
    return conf.root.find("ipsec", "enable") is not None


def legacy_phase1s(conf: OpnConf) -> list:
    """The enabled legacy tunnels (VPN > IPsec > Tunnel Settings [legacy])."""
    return [p for p in conf.root.all("ipsec", "phase1") if not p.has("disabled")]
