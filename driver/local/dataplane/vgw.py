"""The emulated virtual private gateway: strongSwan responders configured as AWS.

Its proposals, lifetimes, DPD and keys come from the same tunnel options as
the VPN connection (driver/render/proposals.py), so a customer gateway that agrees
with it agrees with what AWS was told. AWS probes a silent peer every 10 s and
declares it dead after the tunnel's DPD timeout; charon's retransmission
schedule is sized so its dead-peer verdict takes as long.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from driver.lab.model import Lab
from driver.render.cloud_init import CharonOptions, ServerValues, tunnel_context

AWS_DPD_INTERVAL = 10  # seconds between AWS's DPD probes
RETRANSMIT_TRIES = 3
RETRANSMIT_BASE = 1.4

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

# AWS DPD timeout action -> swanctl CHILD dpd_action ('none' has no swanctl
# equivalent; 'clear' is the nearest: the SA goes, nothing is restarted).
DPD_ACTION = {"clear": "clear", "none": "clear", "restart": "restart"}


def charon_options(lab: Lab, log_file: str, libipsec: bool) -> CharonOptions:
    """Retransmits that make charon's dead-peer verdict take the DPD timeout."""
    timeout = min(t.options.dpd_timeout for t in lab.tunnels) - AWS_DPD_INTERVAL
    total = sum(RETRANSMIT_BASE**i for i in range(RETRANSMIT_TRIES + 1))
    return CharonOptions(
        libipsec=libipsec,
        log_file=log_file,
        retransmit_tries=RETRANSMIT_TRIES,
        retransmit_timeout=round(max(timeout, 1) / total, 2),
        retransmit_base=RETRANSMIT_BASE,
    )


def swanctl_conf(
    lab: Lab, tunnel_addresses: tuple[str, str], cgw_id: str, psks: tuple[str, str]
) -> str:
    values = ServerValues(public_ip=cgw_id, tunnel_addresses=tunnel_addresses)
    tunnels = tunnel_context(lab, values)
    for t, tunnel, psk in zip(tunnels, lab.tunnels, psks, strict=True):
        t["psk"] = psk
        t["replay_window"] = tunnel.options.replay_window
        t["dpd_action"] = DPD_ACTION[tunnel.options.dpd_action]
        t["start_action"] = "start" if tunnel.options.startup_action == "start" else "none"
    return _env.get_template("vgw-swanctl.conf.j2").render(
        lab=lab, tunnels=tunnels, cgw_id=cgw_id, dpd_delay=AWS_DPD_INTERVAL
    )
