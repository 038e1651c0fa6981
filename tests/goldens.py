"""Golden renders of labs/seed.yml, shared by the test and scripts/update-goldens.py."""

import dataclasses
from pathlib import Path

from driver.core.paths import PROJECT
from driver.lab.loader import load_lab
from driver.lab.model import Lab
from driver.render.cloud_init import ServerValues, strongswan_files, vpn_server_user_data

GOLDEN = PROJECT / "tests" / "golden"
# Documentation addresses: the VPN server's Elastic IP and the two tunnels.
EXAMPLE = ServerValues(public_ip="203.0.113.10", tunnel_addresses=("198.51.100.1", "198.51.100.2"))
# User data as it ships: tunnel addresses filled at boot (the EIP shown concrete).
AT_BOOT = dataclasses.replace(ServerValues.at_boot(), public_ip=EXAMPLE.public_ip)


def seed_in_style(style: str) -> Lab:
    lab = load_lab(PROJECT / "labs" / "seed.yml")
    return dataclasses.replace(
        lab, strongswan=dataclasses.replace(lab.strongswan, config_style=style)
    )


def renders() -> dict[Path, str]:
    """Golden path -> content, for both config styles."""
    out = {}
    for style in ("swanctl", "ipsec.conf"):
        lab = seed_in_style(style)
        base = GOLDEN / f"seed-{style}"
        for path, content in strongswan_files(lab, EXAMPLE).items():
            out[base / path.lstrip("/")] = content
        out[base / "user-data.yaml"] = vpn_server_user_data(lab, AT_BOOT)
    return out
