"""What this data-plane host cannot run, named before anything starts."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from driver.analysis import cgw_grammar
from driver.analysis.cgw_tunnels import interface_kind, tunnels_of
from driver.errors import VpnlabError
from driver.lab import topology
from driver.lab.model import Lab
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel


@dataclass(frozen=True)
class Limit:
    short: str  # for the report: "this host has no VTI"
    detail: str  # where the configuration asks for it, and what would run it


def limits(
    lab: Lab, config: Path | None, secrets: Path | None, features: kernel.KernelFeatures
) -> list[Limit]:
    """What of this configuration (the customer's, else the lab's rendering) this
    data-plane host cannot run: route-based settings need VTI/XFRM interfaces;
    userspace ESP has no trap policies and needs the gateway's own address
    inside its local selector."""
    if config is None:
        kind = cgw_module.lab_interfaces(lab)
        route = [f"vpn.tunnel_interface: {kind}"] if kind else []
        tunnels = []
    else:
        customer = cgw_module.load_customer(config, secrets)
        tunnels = tunnels_of(customer, cgw_grammar.judge(customer).refused)
        kind = interface_kind(tunnels)
        route = [f"{at}: {what}" for t in tunnels for at, what in t.route_based]
    found = []
    has = {"vti": features.vti, "xfrm": features.xfrmi}
    if kind and not (features.esp and has[kind]):
        name = {"vti": "VTI", "xfrm": "XFRM interfaces"}[kind]
        found.append(
            Limit(
                f"this host has no {name}" + ("" if features.esp else " and no kernel ESP"),
                f"it is route-based ({'; '.join(route)}): that needs kernel ESP and {name}, and "
                f"this kernel has {'kernel ESP but' if features.esp else 'no kernel ESP and'} "
                f"no {name}",
            )
        )
    if not features.esp:
        found += [
            Limit(
                "this host has no kernel ESP (trap policies)",
                f"{t.where}: {t.name} starts on traffic (trap policies); userspace ESP "
                "(kernel-libipsec, this kernel has no ESP) does not act on trap policies",
            )
            for t in tunnels
            if t.start_action in ("trap", "route")
        ]
        found += [
            Limit("this host has no kernel ESP (selectors without the server)", text)
            for text in _selectors_without_the_server(lab, tunnels)
        ]
    return found


def refuse_what_this_host_cannot_run(
    lab: Lab, config: Path | None, secrets: Path | None, features: kernel.KernelFeatures
) -> None:
    """What this data-plane host cannot run, named before anything starts."""
    refuse(config, limits(lab, config, secrets, features))


def refuse(config: Path | None, found: list[Limit]) -> None:
    """Raise the limits found, if any, as the host's (not the configuration's)."""
    if found:
        raise VpnlabError(
            f"{config or 'the lab'} cannot run on this machine's data plane: "
            + "; ".join(f.detail for f in found)
            + ". The configuration itself may be fine: this is a limit of this host; the "
            "guest kernel runs it (--dataplane vm, or leave --dataplane out)."
        )


def _selectors_without_the_server(lab: Lab, tunnels: list) -> list[str]:
    """Under userspace ESP charon installs a conn's policies only for local selectors
    that hold the VPN server's own address (it sends from an address inside them):
    every other subnet of a conn (``leftsubnet=a,b``, a conn per subnet) fails
    there, and runs on a kernel. A selector the VGW would refuse is the verdict's."""
    server = ipaddress.ip_address(topology.plan(lab).server_ip)
    local_cidr = lab.vpn.local_network_cidr
    limits = []
    for t in tunnels:
        nets = [_net(ts) for ts in (t.local_ts or "").split(",") if ts.strip()]
        if not nets or not all(
            x and x.version == local_cidr.version and x.subnet_of(local_cidr) for x in nets
        ):
            continue
        outside = [str(x) for x in nets if x.version == 4 and server not in x]
        if outside:
            limits.append(
                f"{t.where}: {t.name}'s local selector {', '.join(outside)} leaves out the VPN "
                f"server's own address {server}; userspace ESP installs policies only for a "
                "subnet that holds it (or give the lab a VPN server inside it: "
                "onprem.public_subnet_cidr, onprem.vpn_server.private_ip)"
            )
    return limits


def _net(text: str):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
