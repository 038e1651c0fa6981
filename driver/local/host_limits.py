"""What this data-plane host cannot run, named before anything starts."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from driver.analysis import cgw_grammar
from driver.cgw.detect import implementation
from driver.cgw.dialects import ROUTERS
from driver.cgw.libreswan import files as libreswan_files
from driver.cgw.libreswan.tunnels import tunnels_of as libreswan_tunnels
from driver.cgw.record import interface_kind
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.core.errors import VpnlabError
from driver.lab import topology
from driver.lab.model import Lab
from driver.local.dataplane import cgw as cgw_module
from driver.local.dataplane import kernel


@dataclass(frozen=True)
class Limit:
    short: str  # for the report: "this host has no VTI"
    detail: str  # where the configuration asks for it, and what would run it


def limits(
    lab: Lab,
    config: Path | None,
    secrets: Path | None,
    features: kernel.KernelFeatures,
    daemon: str | None = None,
    site: int | None = None,
) -> list[Limit]:
    """What of this configuration (the customer's, else the lab's rendering) this
    data-plane host cannot run: Libreswan's pluto needs kernel ESP; route-based
    settings need VTI/XFRM interfaces; userspace ESP has no trap policies and
    needs the gateway's own address inside its local selector. A Transit Gateway
    lab: each site's VPN server, the customer's files being site ``site``'s."""
    if lab.transit_gateway is not None:
        from driver.lab.transit_routes import site_view

        each = [
            limits(site_view(lab, i), *((config, secrets) if i == site else (None, None)),
                   features, daemon if i == site else None)
            for i in range(len(lab.sites))
        ]  # fmt: skip
        return list(dict.fromkeys(limit for found in each for limit in found))
    found = []
    found_in = implementation(config, secrets, daemon) if config is not None else None
    libreswan = found_in == "libreswan"
    if config is None:
        kind = cgw_module.lab_interfaces(lab)
        route = [f"vpn.tunnel_interface: {kind}"] if kind else []
        tunnels = []
    elif found_in in ROUTERS:  # its twin: XFRM interfaces
        kind, route, tunnels = "xfrm", [f"{config}: {ROUTERS[found_in].tunnel_interface}"], []
    elif libreswan:
        tunnels = libreswan_tunnels(libreswan_files.load(config, secrets))
        kind = interface_kind(tunnels)
        route = [f"{at}: {what}" for t in tunnels for at, what in t.route_based]
        if not features.esp:
            found.append(
                Limit(
                    "this host has no kernel ESP (Libreswan)",
                    f"{config} is Libreswan's: pluto installs its SAs in the kernel, and "
                    "this kernel has no ESP (userspace ESP is strongSwan's alone)",
                )
            )
    else:
        customer = cgw_module.load_customer(config, secrets)
        tunnels = tunnels_of(customer, cgw_grammar.judge(customer).refused)
        kind = interface_kind(tunnels)
        route = [f"{at}: {what}" for t in tunnels for at, what in t.route_based]
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
    if not features.esp and not libreswan:  # userspace ESP's own limits (strongSwan's)
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
    lab: Lab,
    config: Path | None,
    secrets: Path | None,
    features: kernel.KernelFeatures,
    daemon: str | None = None,
) -> None:
    """What this data-plane host cannot run, named before anything starts."""
    refuse(config, limits(lab, config, secrets, features, daemon))


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
    """Under userspace ESP a tunnel carries traffic only through a conn whose local
    selector holds the VPN server's own address, and a conn with several local
    subnets (``leftsubnet=a,b``) installs no policies at all (measured: "unable to
    install IPsec policies"). A conn whose selectors the VGW would refuse is the
    verdict's, not this host's."""
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
        limits += [
            f"{t.where}: {t.name}'s local selector has {len(n)} subnets ({t.local_ts}); "
            "userspace ESP installs no policies for a conn with several"
            for t, n in accepted
            if len(n) > 1
        ]
    return limits


def _net(text: str):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
