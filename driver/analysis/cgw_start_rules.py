"""Lint rules for how a customer's tunnels start and carry traffic: the IKE version
and mode AWS speaks, who initiates, trap policies, installed policies, and the
scripts and interfaces a route-based configuration names.

Sources: AWS's Site-to-Site VPN user guide (VPNTunnels.html: IKEv1 or IKEv2,
startup action add waits for the customer gateway; cgw-requirements: IKE main
mode); strongSwan's ipsec.conf(5) and swanctl.conf(5) for each key.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from driver.analysis.findings import Finding
from driver.cgw.folder import ServerFolder
from driver.cgw.record import ConfiguredTunnel, tunnel_numbers
from driver.lab.model import Lab

START_RULES = {
    "conf-ike-version": "the customer gateway speaks an IKE version the tunnel does not accept",
    "conf-aggressive": "IKEv1 aggressive mode: AWS's endpoints speak main mode only",
    "conf-no-policies": "installpolicy=no / policies = no: no IPsec policy, so no traffic",
    "conf-trap": "auto=route / start_action = trap: the tunnel waits for traffic",
    "conf-missing-script": "an updown script the given files do not contain, or cannot run",
    "conf-no-interface": "route-based, but nothing among the files makes its tunnel interface",
}
# strongSwan's own updown script, wherever a distribution installs it
SYSTEM_UPDOWN = re.compile(r"^/usr/(lib|libexec)(/ipsec|/strongswan)/_updown$")
# What makes a VTI or an XFRM interface in a script or a network configuration
MAKES_INTERFACE = re.compile(rb"type\s+(vti|xfrm)\b|Kind\s*=\s*(vti|xfrm)\b")
VERSION_NAMES = {"1": "IKEv1", "2": "IKEv2", "0": "either IKE version (it initiates IKEv2)"}


def start_findings(lab: Lab, tunnels: list[ConfiguredTunnel], customer: ServerFolder):
    out: list[Finding] = []
    for i, t in zip(tunnel_numbers(tunnels), tunnels, strict=True):
        accepted = lab.tunnels[i].options.ike_versions if i < len(lab.tunnels) else ()
        out += _version(t, accepted, i + 1)
        out += _behaviour(t)
        out += [
            Finding("conf-missing-script", "error", where, what, hint)
            for where, what, hint in missing_scripts(t, customer)
        ]
    out += _interfaces(tunnels, customer)
    return out


def _version(t: ConfiguredTunnel, accepted: tuple[str, ...], number: int) -> list[Finding]:
    speaks = "ikev1" if t.version == "1" else "ikev2"  # what it initiates with
    if not accepted or speaks in accepted:
        return []
    allowed = " and ".join(v.replace("ikev", "IKEv") for v in accepted)
    wanted = "2" if "ikev2" in accepted else "1"
    setting = f"keyexchange=ikev{wanted}" if t.settings is not None else f"version = {wanted}"
    return [
        Finding(
            "conf-ike-version",
            "error",
            t.origin("version"),
            f"{t.name}: the customer gateway speaks "
            f"{VERSION_NAMES.get(t.version, speaks)}; tunnel {number} accepts {allowed} "
            "only, so AWS refuses every negotiation it starts",
            f"set {setting}, or add {speaks} to the tunnel's ike_versions",
        )
    ]


def _behaviour(t: ConfiguredTunnel) -> Iterator[Finding]:
    ikev1 = t.version == "1"
    if t.aggressive and ikev1:
        yield Finding(
            "conf-aggressive",
            "error",
            t.origin("aggressive"),
            f"{t.name}: IKEv1 aggressive mode; AWS's tunnel endpoints speak main mode only "
            '("We support Main mode only with IKEv1.", cgw-requirements)',
            "remove aggressive=yes (swanctl: aggressive = no)",
        )
    if not t.policies:
        yield Finding(
            "conf-no-policies",
            "error",
            t.origin("policies"),
            f"{t.name}: charon installs no IPsec policy, so the kernel sends nothing into the "
            "tunnel and drops what comes out of it (XfrmInNoPols) unless the updown script "
            "installs policies itself",
            "remove installpolicy=no (swanctl: policies = yes)",
        )
    if t.start_action == "trap":
        yield Finding(
            "conf-trap",
            "warning",
            t.origin("start_action"),
            f"{t.name}: the tunnel comes up only when traffic matches its policy; until then "
            "AWS shows it DOWN, the first packets are dropped, and of two tunnels with the "
            "same selectors only the one whose policy the kernel kept ever comes up",
            "set auto=start (swanctl: start_action = start) to keep both tunnels up",
        )


def missing_scripts(t: ConfiguredTunnel, customer: ServerFolder) -> list[tuple[str, str, str]]:
    """(where, what, fix) for the tunnel's updown script if the given files lack it
    or it cannot run: charon runs it with ``/bin/sh -c`` at every up and down."""
    if not t.updown:
        return []
    try:
        words = shlex.split(t.updown)
    except ValueError:
        words = t.updown.split()
    script = words[0] if words else ""
    where = t.origin("updown")
    if not script or SYSTEM_UPDOWN.match(script):
        return []
    if script not in customer.files:
        return [
            (
                where,
                f"{t.name}: its updown script {script} is not among the files given, so "
                "nothing runs when the tunnel comes up (no tunnel interface, no routes)",
                f"add {script} to the files (in the directory that stands for /etc: "
                f"{script.removeprefix('/etc/')})",
            )
        ]
    if not customer.executable(script):
        return [
            (
                where,
                f"{t.name}: its updown script {customer.labels.get(script, script)} is not "
                "executable, so charon's /bin/sh cannot run it",
                f"chmod +x {customer.labels.get(script, script)}",
            )
        ]
    return []


def _interfaces(tunnels: list[ConfiguredTunnel], customer: ServerFolder) -> list[Finding]:
    """Marks or if_ids route into VTI or XFRM interfaces: something among the files
    must make them (AWS's sample: its updown script), or traffic has nowhere to go."""
    route_based = [t for t in tunnels if t.route_based]
    if not route_based or any(_makes_interface(data) for data in customer.contents().values()):
        return []
    t = route_based[0]
    settings = ", ".join(what for _, what in t.route_based)
    return [
        Finding(
            "conf-no-interface",
            "error",
            t.route_based[0][0],
            f"{t.name}: {settings} makes it route-based, but no file given creates a VTI "
            "or XFRM interface (ip link add … type vti|xfrm): the kernel has no device "
            "to route the tunnel's traffic into",
            "add the script that creates the interfaces (AWS's sample: an updown script "
            "named by leftupdown=), or the file that does",
        )
    ]


def _makes_interface(data: bytes) -> bool:
    return bool(MAKES_INTERFACE.search(data))
