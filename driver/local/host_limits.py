"""What this data-plane host cannot run, named before anything starts."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from driver.analysis import cgw_grammar
from driver.analysis.cgw_tunnels import tunnels_of
from driver.errors import VpnlabError
from driver.lab import topology
from driver.lab.model import Lab
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel


def refuse_what_this_host_cannot_run(
    lab: Lab, config: Path, secrets: Path | None, features: kernel.KernelFeatures
) -> None:
    """What this data-plane host cannot run, named before anything starts: route-based
    settings need VTI/XFRM interfaces; userspace ESP has no trap policies and needs
    the gateway's own address inside its local selector."""
    customer = cgw_module.load_customer(config, secrets)
    tunnels = tunnels_of(customer, cgw_grammar.judge(customer).refused)
    limits = []
    route = [f"{at}: {what}" for t in tunnels for at, what in t.route_based]
    if route and not (features.vti or features.xfrmi):
        limits.append(
            f"it is route-based ({'; '.join(route)}): that needs VTI or XFRM interfaces, and "
            f"this kernel has none (kernel ESP: {'yes' if features.esp else 'no'}, VTI: no, "
            "XFRM interfaces: no)"
        )
    if not features.esp:
        limits += [
            f"{t.where}: {t.name} starts on traffic (trap policies); userspace ESP "
            "(kernel-libipsec, this kernel has no ESP) does not act on trap policies"
            for t in tunnels
            if t.start_action in ("trap", "route")
        ]
        limits += _selectors_without_the_server(lab, tunnels)
    if limits:
        raise VpnlabError(
            f"{config} cannot run on this machine's data plane: "
            + "; ".join(limits)
            + ". The configuration itself may be fine: this is a limit of this host (a "
            "kernel with ESP, VTI and XFRM interfaces runs it)."
        )


def _selectors_without_the_server(lab: Lab, tunnels: list) -> list[str]:
    """Under userspace ESP a tunnel carries traffic only through a conn whose local
    selector holds the VPN server's own address. A tunnel none of whose conns does
    (and whose selectors the VGW would accept: else that is the verdict) cannot run."""
    server = ipaddress.ip_address(topology.plan(lab).server_ip)
    local_cidr = lab.vpn.local_network_cidr
    by_remote: dict[str, list] = {}
    for t in tunnels:
        by_remote.setdefault((t.right or "").strip(), []).append(t)
    limits = []
    for conns in by_remote.values():
        nets = [(t, [_net(ts) for ts in t.local_ts.split(",")]) for t in conns if t.local_ts]
        accepted = [
            (t, n)
            for t, n in nets
            if all(x and x.version == local_cidr.version and x.subnet_of(local_cidr) for x in n)
        ]
        if accepted and not any(server in x for _, n in accepted for x in n if x.version == 4):
            t = accepted[0][0]
            limits.append(
                f"{t.where}: {t.name}'s local selector {t.local_ts} leaves out the VPN "
                f"server's own address {server}; userspace ESP sends only from an address "
                "inside it (or give the lab a VPN server inside it: onprem.public_subnet_cidr, "
                "onprem.vpn_server.private_ip)"
            )
    return limits


def _net(text: str):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
