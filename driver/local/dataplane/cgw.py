"""The customer gateway the local lab runs on its VPN server node.

Either the files vpnlab renders for the EC2 instance (the default), or a
customer's own configuration (``--cgw-config``: a file, or a directory standing
for their ``/etc``, read by driver/cgw/strongswan/files.py) — how a team proves
the other company's configuration before the real cut-over. The emulated VGW
then takes the tunnel addresses that configuration names.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

from driver.analysis import cgw_grammar
from driver.analysis.cgw_secrets import secret_for
from driver.cgw.detect import IMPLEMENTATIONS, RUNNABLE
from driver.cgw.detect import implementation as detected
from driver.cgw.dialects import ROUTERS
from driver.cgw.libreswan import files as libreswan_files
from driver.cgw.libreswan.tunnels import tunnels_of as libreswan_tunnels
from driver.cgw.record import ConfiguredTunnel, interface_kind
from driver.cgw.router import Dialect, Untranslatable
from driver.cgw.settings import ConfigSyntaxError, Secret
from driver.cgw.strongswan import files as cgw_files
from driver.cgw.strongswan.ipsec_conf import effective_conns, parse_ipsec_conf
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.core.addresses import is_ipv4
from driver.core.errors import VpnlabError
from driver.lab import aws_rules, topology
from driver.lab.model import Lab
from driver.render.cloud_init import (
    BOOT_TEMPLATES,
    TUNNEL_UPDOWN,
    CharonOptions,
    ServerValues,
    fill_at_boot,
    fill_secrets,
    strongswan_files,
)

# vpnlab's own file beside the customer's: swanctl.conf and a --cgw-secrets file
# it does not include, read in one swanctl --load-all (as an operator would load them).
LOAD_FILE = "/etc/swanctl/vpnlab-load.conf"


@dataclass(frozen=True)
class CustomerGateway:
    style: str  # "swanctl" | "ipsec.conf" (strongSwan) | "libreswan"
    files: dict[str, str | bytes]  # path on the server -> content (keys filled in)
    public_ip: str  # its address as AWS holds it (the Elastic IP): the identity the VGW expects
    tunnel_addresses: tuple[str, str]  # the VGW endpoints it talks to
    psks: dict[str, str]  # tunnel address -> key this side holds
    source: str  # where it came from, for reports
    executables: frozenset[str] = frozenset()  # its scripts (updown)
    swanctl_file: str | None = None  # what swanctl --load-all reads, if not swanctl.conf
    interfaces: str | None = None  # route-based: its tunnels are vti | xfrm interfaces
    # tunnel address -> how its conn starts: start | trap | none (waits for the peer)
    start_actions: dict[str, str] = dataclasses.field(default_factory=dict)
    # how to add PFS in the customer's own syntax (the lifecycle's fix when AWS's rekey
    # finds none)
    pfs_fix: str = "esp=aes256-sha256-modp2048! (swanctl: esp_proposals = aes256-sha256-modp2048)"
    # a diagnosis's fix in its configuration's words, by its AWS log entry (a router's)
    fixes: dict[str, str] = dataclasses.field(default_factory=dict)
    # vpnlab's commands (never the customer's) made in its namespace before its daemon
    # starts: a router twin's tunnel interfaces that outlive their SAs
    prepare: tuple[tuple[str, ...], ...] = ()
    # ipsec.conf's conns starter adds once charon runs: it is configured when they are
    starter_conns: tuple[str, ...] = ()


def rendered(
    lab: Lab, psks: tuple[str, str], charon: CharonOptions, aws_networks: tuple = ()
) -> CustomerGateway:
    """The VPN server as vpnlab renders it; ``aws_networks``: a Transit Gateway site's
    networks across the gateway (ServerValues)."""
    values = ServerValues(
        public_ip=topology.customer_gateway_ip(lab),
        tunnel_addresses=topology.DEFAULT_TUNNEL_ADDRESSES,
        aws_networks=aws_networks,
    )
    files = {
        path: fill_secrets(content, psks)
        for path, content in strongswan_files(lab, values, charon).items()
    }
    return CustomerGateway(
        lab.strongswan.config_style,
        files,
        values.public_ip,
        values.tunnel_addresses,
        dict(zip(values.tunnel_addresses, psks, strict=True)),
        f"rendered from the lab ({lab.strongswan.config_style})",
        frozenset(p for p in files if p.endswith(".sh")),
        interfaces=lab_interfaces(lab),
        starter_conns=starter_conns(files),
    )


def lab_interfaces(lab: Lab) -> str | None:
    """The tunnel interfaces (vti | xfrm) the lab asks for; None: policy-based."""
    return None if lab.vpn.tunnel_interface == "none" else lab.vpn.tunnel_interface


def from_user_data(
    lab: Lab,
    user_data: str,
    psks: tuple[str, str],
    public_ip: str,
    tunnel_addresses: tuple[str, str],
    charon: CharonOptions,
) -> CustomerGateway:
    """The files the deployed VPN server's user data carries, filled as at boot.

    The connection files come from the instance's actual user data (rendered by
    Terraform's templatefile); their templates are filled with the tunnel
    addresses and the keys from SSM, as vpnlab-fill-config does on the
    instance. ``strongswan.conf`` is the local lab's (userspace ESP, a log file).
    """
    files = {f["path"]: f["content"] for f in yaml.safe_load(user_data)["write_files"]}
    for path, content in list(files.items()):
        if path.startswith(BOOT_TEMPLATES + "/"):
            files[path.removeprefix(BOOT_TEMPLATES)] = fill_at_boot(content, tunnel_addresses, psks)
    style = "swanctl" if "/etc/swanctl/swanctl.conf" in files else "ipsec.conf"
    server = {
        p: c
        for p, c in files.items()
        if p.startswith(
            (
                "/etc/swanctl/",
                "/etc/ipsec.conf",
                "/etc/ipsec.secrets",
                "/etc/sysctl.d/",
                "/etc/frr/",
            )
        )
        or p == TUNNEL_UPDOWN
    }
    local = strongswan_files(lab, ServerValues(public_ip, tunnel_addresses), charon)
    server["/etc/strongswan.conf"] = local["/etc/strongswan.conf"]
    return CustomerGateway(
        style,
        server,
        public_ip,
        tunnel_addresses,
        dict(zip(tunnel_addresses, psks, strict=True)),
        f"the VPN server instance's user data ({style})",
        frozenset(p for p in server if p.endswith(".sh")),
        interfaces=lab_interfaces(lab),
        starter_conns=starter_conns(server),
    )


def require_runnable(config: Path, secrets: Path | None, daemon: str | None) -> str:
    """The implementation that will run the customer's files, or a refusal naming the
    files' dialect when vpnlab cannot run it (a router's: lint judges it)."""
    found = detected(config, secrets, daemon)
    if found not in RUNNABLE:
        raise VpnlabError(
            f"{config} is a {IMPLEMENTATIONS[found]}'s configuration: `vpnlab check` does "
            "not run it yet (its twin, strongSwan negotiating as that device would, is to "
            f"come); `vpnlab lint LAB --cgw-config {config}` judges it now against the VPN "
            "connection"
        )
    return found


def vendor(
    lab: Lab,
    config: Path,
    secrets: Path | None,
    charon: CharonOptions,
    implementation: str = "strongswan",
) -> CustomerGateway:
    """A customer's configuration, run as it is by the implementation it is written for."""
    if implementation not in RUNNABLE:
        require_runnable(config, secrets, implementation)
    if implementation == "libreswan":
        return libreswan(lab, config, secrets)
    if implementation in ROUTERS:
        return router(lab, config, charon, ROUTERS[implementation])
    return strongswan(lab, config, secrets, charon)


def router(lab: Lab, config: Path, charon: CharonOptions, dialect: Dialect) -> CustomerGateway:
    """A router's configuration run as its twin: strongSwan negotiating as the router
    would (driver/cgw/<dialect>/twin.py), route-based over XFRM interfaces."""
    try:
        twin = dialect.twin(config)
    except Untranslatable as exc:
        raise VpnlabError(f"{config}: {exc}") from None
    _refuse_keys_aws_cannot_hold(config, dialect.read(config, None).secrets)
    charon = dataclasses.replace(charon, install_routes=False)
    files = _lab_files(lab, charon, ("/etc/strongswan.conf", "/etc/sysctl.d/90-vpnlab.conf"))
    return CustomerGateway(
        "swanctl",
        files | twin.files,
        topology.customer_gateway_ip(lab),
        twin.addresses,
        twin.psks,
        f"{config} (as a twin of {dialect.a_title}: strongSwan with "
        f"{dialect.release_for(config)}'s defaults"
        + (f": {', '.join(twin.defaulted)}" if twin.defaulted else "")
        + ")",
        twin.executables,
        interfaces="xfrm",
        start_actions=twin.start_actions,
        pfs_fix=dialect.pfs_fix,
        fixes=dialect.fixes,
        prepare=twin.prepare,
    )


def libreswan(lab: Lab, config: Path, secrets: Path | None) -> CustomerGateway:
    """A Libreswan customer's files, every one at its server path, with the lab's
    sysctls; pluto reads them as its ipsec.service starts it (driver/local/dataplane/
    pluto.py)."""
    try:
        customer = libreswan_files.load(config, secrets)
    except ConfigSyntaxError as exc:
        raise VpnlabError(f"{exc}: Libreswan would refuse the file") from None
    refused = customer.conf.refused  # conns Libreswan's parser would not load
    tunnels = [t for t in libreswan_tunnels(customer) if t.name not in refused]
    addresses, psks = _addresses_and_keys(config, tunnels, customer.secrets, refused)
    sysctls = _lab_files(lab, CharonOptions(), ("/etc/sysctl.d/90-vpnlab.conf",))
    folder = customer.folder
    return CustomerGateway(
        "libreswan",
        sysctls | folder.contents(),
        topology.customer_gateway_ip(lab),
        addresses,
        psks,
        f"{config} (Libreswan's ipsec.conf)",
        frozenset(p for p in folder.files if folder.executable(p)),
        interfaces=interface_kind(tunnels),
        start_actions={t.right.strip(): t.start_action for t in tunnels if t.right},
        pfs_fix="phase2alg=aes256-sha2_256;modp2048 (and pfs=yes, Libreswan's default)",
    )


def strongswan(
    lab: Lab, config: Path, secrets: Path | None, charon: CharonOptions
) -> CustomerGateway:
    """A strongSwan customer's files, every one at its server path, with the lab's
    strongswan.conf (userspace ESP, the log) and sysctls."""
    customer = load_customer(config, secrets)
    if customer.style == "ipsec.conf" and cgw_files.IPSEC_SECRETS not in customer.files:
        raise VpnlabError(
            f"{config} holds no ipsec.secrets: put it beside ipsec.conf"
            if config.is_dir()
            else f"{config} is an ipsec.conf: pass its ipsec.secrets with --cgw-secrets, "
            "or pass the directory that holds both"
        )
    refused = cgw_grammar.judge(customer).refused
    tunnels = tunnels_of(customer, refused)
    interfaces = interface_kind(tunnels)
    if interfaces:  # a route-based gateway's own charon.conf says so (AWS's sample)
        charon = dataclasses.replace(charon, install_routes=False)
    files = _lab_files(lab, charon, ("/etc/strongswan.conf", "/etc/sysctl.d/90-vpnlab.conf"))
    files |= customer.contents()
    if customer.extra_creds:  # secrets swanctl.conf does not include: load both at once
        files[LOAD_FILE] = "".join(
            f"include {posixpath.relpath(p, posixpath.dirname(LOAD_FILE))}\n"
            for p in (cgw_files.SWANCTL_CONF, *customer.extra_creds)
        )
    addresses, psks = _addresses_and_keys(config, tunnels, customer.secrets, refused)
    # The customer gateway's address is the lab's, as AWS holds it: whatever the
    # files' leftid / local id says is what it presents, and the VGW judges that.
    return CustomerGateway(
        customer.style,
        files,
        topology.customer_gateway_ip(lab),
        addresses,
        psks,
        f"{config} ({customer.style})",
        frozenset(p for p in customer.files if customer.executable(p)),
        LOAD_FILE if customer.extra_creds else None,
        interfaces,
        {t.right.strip(): t.start_action for t in tunnels if t.right},
        starter_conns=tuple(t.name for t in tunnels if customer.style == "ipsec.conf"),
    )


def starter_conns(files: dict[str, str]) -> tuple[str, ...]:
    """The conns starter adds from vpnlab's own ipsec.conf (one file, no includes)."""
    if cgw_files.IPSEC_CONF not in files:
        return ()
    sections = parse_ipsec_conf(files[cgw_files.IPSEC_CONF], cgw_files.IPSEC_CONF)
    return tuple(c.name for c in effective_conns(sections) if c.get("auto", "ignore") != "ignore")


def _lab_files(lab: Lab, charon: CharonOptions, paths: tuple[str, ...]) -> dict[str, str]:
    """Of the files vpnlab renders for the VPN server, those the lab puts beside a
    customer's own (strongswan.conf, the sysctls)."""
    values = ServerValues(topology.customer_gateway_ip(lab), topology.DEFAULT_TUNNEL_ADDRESSES)
    return {p: c for p, c in strongswan_files(lab, values, charon).items() if p in paths}


def _addresses_and_keys(
    config: Path, tunnels: list[ConfiguredTunnel], secrets: list[Secret], refused: dict[str, str]
) -> tuple[tuple[str, str], dict[str, str]]:
    """The two AWS tunnel addresses the customer's conns name, and its key for each."""
    addresses = tuple(dict.fromkeys(t.right.strip() for t in tunnels if t.right))
    if len(addresses) != 2 or not all(is_ipv4(a) for a in addresses):
        dropped = "".join(f"; {conn}: {why}" for conn, why in refused.items())
        raise VpnlabError(
            f"{config}: found tunnel addresses {list(addresses) or 'none'} in the connections "
            "it would load; an AWS VPN connection has two tunnels, so the "
            "configuration must name two remote IP addresses (right= / remote_addrs)"
            f"{dropped}; `vpnlab lint LAB --cgw-config {config}` lists every finding"
        )
    found = {t.right.strip(): s for t in tunnels if t.right and (s := secret_for(t, secrets))}
    _refuse_keys_aws_cannot_hold(config, found.values())
    return addresses, {address: secret.secret for address, secret in found.items()}


def _refuse_keys_aws_cannot_hold(config: Path, secrets) -> None:
    """A key AWS could not hold is never a tunnel's key, and the emulated VGW never
    takes it: refused before anything starts, each with its line and AWS's rule."""
    problems = [
        f"{secret.source}:{secret.line}: the pre-shared key {'; '.join(found)}"
        for secret in secrets
        if (found := aws_rules.psk_problems(secret.secret))
    ]
    if problems:
        raise VpnlabError(
            f"{config}: {len(problems)} pre-shared key(s) AWS could not hold; nothing was "
            "started:\n  " + "\n  ".join(problems) + "\n  hint: use the keys from the VPN "
            "connection's configuration download (8-64 letters, digits, '.' or '_'; not "
            "starting with '0')"
        )


def load_customer(config: Path, secrets: Path | None) -> cgw_files.CustomerConfig:
    try:
        return cgw_files.load(config, secrets)
    except ConfigSyntaxError as exc:
        raise VpnlabError(f"{exc}: strongSwan would refuse the file") from None
