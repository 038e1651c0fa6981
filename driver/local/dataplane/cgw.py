"""The customer gateway the local lab runs on its VPN server node.

Either the files vpnlab renders for the EC2 instance (the default), or a
customer's own ``ipsec.conf``/``swanctl.conf`` (``--cgw-config``) — how a team
proves the other company's configuration before the real cut-over. The
emulated VGW then takes the tunnel addresses that configuration names.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

import yaml

from driver.analysis.strongswan_conf import (
    effective_conns,
    is_swanctl,
    parse_ipsec_conf,
    parse_ipsec_secrets,
    parse_swanctl,
)
from driver.errors import VpnlabError
from driver.lab import topology
from driver.lab.model import Lab
from driver.render.cloud_init import (
    BOOT_TEMPLATES,
    CharonOptions,
    ServerValues,
    fill_at_boot,
    fill_secrets,
    strongswan_files,
)


@dataclass(frozen=True)
class CustomerGateway:
    style: str  # "swanctl" | "ipsec.conf"
    files: dict[str, str]  # path on the server -> content (keys filled in)
    public_ip: str  # its address as AWS holds it (the Elastic IP): the identity the VGW expects
    tunnel_addresses: tuple[str, str]  # the VGW endpoints it talks to
    psks: dict[str, str]  # tunnel address -> key this side holds
    source: str  # where it came from, for reports


def rendered(lab: Lab, psks: tuple[str, str], charon: CharonOptions) -> CustomerGateway:
    values = ServerValues(
        public_ip=topology.DEFAULT_PUBLIC_IP, tunnel_addresses=topology.DEFAULT_TUNNEL_ADDRESSES
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
    )


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
            ("/etc/swanctl/", "/etc/ipsec.conf", "/etc/ipsec.secrets", "/etc/sysctl.d/")
        )
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
    )


def vendor(lab: Lab, config: Path, secrets: Path | None, charon: CharonOptions) -> CustomerGateway:
    """A customer's configuration file (and secrets), run as it is."""
    text = _read(config)
    lab_files = strongswan_files(
        lab, ServerValues(topology.DEFAULT_PUBLIC_IP, topology.DEFAULT_TUNNEL_ADDRESSES), charon
    )
    common = {
        p: c
        for p, c in lab_files.items()
        if p in ("/etc/strongswan.conf", "/etc/sysctl.d/90-vpnlab.conf")
    }
    if is_swanctl(text):
        root = parse_swanctl(text, str(config))
        connections = root.child("connections")
        conns = connections.children if connections else []
        remotes = [
            (c.get("remote_addrs"), c.child("local").get("id") if c.child("local") else None)
            for c in conns
        ]
        files = {**common, "/etc/swanctl/swanctl.conf": text}
        secret_text = _read(secrets) if secrets else text
        if secrets:
            files["/etc/swanctl/conf.d/vendor-secrets.conf"] = secret_text
        psks = _swanctl_psks(secret_text, str(secrets or config))
        style = "swanctl"
    else:
        conns = [
            c
            for c in effective_conns(parse_ipsec_conf(text, str(config)))
            if c.get("auto", "ignore") != "ignore"
        ]
        remotes = [(c.get("right"), c.get("leftid")) for c in conns]
        if secrets is None:
            raise VpnlabError(
                f"{config} is an ipsec.conf: pass its ipsec.secrets with --cgw-secrets"
            )
        secret_text = _read(secrets)
        files = {**common, "/etc/ipsec.conf": text, "/etc/ipsec.secrets": secret_text}
        psks = {
            ids[-1]: s.secret
            for s in parse_ipsec_secrets(secret_text, str(secrets))
            for ids in [s.ids]
            if ids
        }
        style = "ipsec.conf"
    addresses = tuple(dict.fromkeys(a.strip() for a, _ in remotes if a))
    if len(addresses) != 2 or not all(_is_ip(a) for a in addresses):
        raise VpnlabError(
            f"{config}: found tunnel addresses {list(addresses) or 'none'}; an AWS VPN "
            "connection has two tunnels, so the configuration must name two remote IP "
            "addresses (right= / remote_addrs)"
        )
    # The customer gateway's address is the lab's, as AWS holds it: whatever the
    # file's leftid / local id says is what it presents, and the VGW judges that.
    public_ip = topology.DEFAULT_PUBLIC_IP
    return CustomerGateway(style, files, public_ip, addresses, psks, f"{config} ({style})")


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as exc:
        raise VpnlabError(f"cannot read {path}: {exc.strerror}") from None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _swanctl_psks(text: str, source: str) -> dict[str, str]:
    root = parse_swanctl(text, source)
    secrets = root.child("secrets")
    psks = {}
    for section in secrets.children if secrets else []:
        if not section.name.startswith("ike"):
            continue
        ids = [s.value for s in section.settings if s.key.startswith("id")]
        for identity in ids:
            psks[identity] = section.get("secret", "")
    return psks
