"""Render the VPN server's and test hosts' files from the lab model.

The templates in ``cloud-init/`` are the single source of the VPN server's
configuration. Two consumers:

* synthesis: values Terraform knows only after apply (tunnel outside
  addresses, the Elastic IP) are passed as ``Deferred``; the rendered text
  becomes a Terraform template (``templatefile()``), literal ``${``/``%{``
  escaped, each deferred value a whole ``${name}`` variable;
* the local lab: the same templates with concrete values.

Pre-shared keys never enter user data: the secrets template is rendered with
placeholders that the VPN server fills at boot from SSM (``psk_placeholder``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import jinja2

from driver.core.paths import PROJECT
from driver.lab.model import Lab
from driver.render import proposals
from driver.render.frr import frr_files

TEMPLATES = PROJECT / "cloud-init"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)

_SENTINEL = "\x00vpnlab:{}\x00"
_SENTINEL_RE = re.compile("\x00vpnlab:([a-z0-9_]+)\x00")


class Deferred(str):
    """A value Terraform knows only after apply, e.g. ``Deferred("tunnel1_address")``.

    It renders as a sentinel; ``terraform_template`` turns each intact sentinel
    into ``${name}``. Any filter or string operation on it breaks the sentinel
    and is caught, instead of silently corrupting the value.
    """

    def __new__(cls, name: str):
        self = super().__new__(cls, _SENTINEL.format(name))
        self.name = name
        return self


def psk_placeholder(n: int) -> str:
    """What stands for tunnel n's key in the secrets template until boot."""
    return f"@VPNLAB_TUNNEL{n}_PSK@"


def address_placeholder(n: int) -> str:
    """What stands for tunnel n's outside address until boot."""
    return f"@VPNLAB_TUNNEL{n}_ADDRESS@"


@dataclass(frozen=True)
class ServerValues:
    """What the VPN server's configuration needs besides the lab model."""

    public_ip: str  # the Elastic IP: local id behind NAT
    tunnel_addresses: tuple[str, str]  # VGW outside addresses
    local_address: str = "%defaultroute"  # ipsec.conf left= (the private address)
    # What a route-based static server routes into its tunnels: the AWS VPC (a VGW
    # lab's), or every network a Transit Gateway routes to the site
    aws_networks: tuple = ()

    @classmethod
    def at_boot(cls, aws_networks: tuple = ()) -> ServerValues:
        """Values for user data: the Elastic IP from Terraform (it exists before the
        instance); the tunnel addresses read at boot, so the instance need not wait
        for the VPN connection (it builds strongSwan meanwhile)."""
        return cls(
            public_ip=Deferred("public_ip"),
            tunnel_addresses=(address_placeholder(1), address_placeholder(2)),
            aws_networks=aws_networks,
        )


@dataclass(frozen=True)
class CharonOptions:
    """strongswan.conf settings that depend on where charon runs."""

    libipsec: bool = False  # userspace ESP (kernels without ESP: docs/architecture.md)
    retransmit_tries: int = 5  # charon's defaults on EC2
    retransmit_timeout: float = 4.0
    retransmit_base: float = 1.8
    log_file: str | None = None  # None: syslog/journal
    vici_socket: str | None = None  # None: charon's compiled-in default
    install_routes: bool = True  # no: route-based, routes lead into the tunnel interfaces
    # The local lab turns af-alg off: it probes the kernel's crypto API (a module
    # load per algorithm), 35 s of a charon's 48 s start in the emulated guest;
    # the openssl plugin offers the same algorithms.
    af_alg: bool = True


def tunnel_context(lab: Lab, values: ServerValues) -> list[dict]:
    """Per-tunnel values every strongSwan template uses."""
    tunnels = []
    pairs = zip(lab.tunnels, values.tunnel_addresses, strict=True)
    for n, (tunnel, address) in enumerate(pairs, start=1):
        o = tunnel.options
        tunnels.append(
            {
                "n": n,
                "name": f"Tunnel{n}",
                "address": address,
                "ike_version": proposals.ike_version(o),
                "keyexchange": proposals.keyexchange(o),
                "ike_proposals": proposals.ike_proposals(o),
                "esp_proposals": proposals.esp_proposals(o),
                "phase1_lifetime": o.phase1.lifetime,
                "phase2_lifetime": o.phase2.lifetime,
                "rekey_margin": o.rekey_margin,
                "rekey_fuzz": o.rekey_fuzz,
                "rand_time": o.rekey_margin * o.rekey_fuzz // 100,
                "dpd_timeout": o.dpd_timeout,
                # route-based: this side's inside address (.2; AWS has .1)
                "inside_local": f"{tunnel.inside_cidr[2]}/{tunnel.inside_cidr.prefixlen}",
                "psk": psk_placeholder(n),
            }
        )
    return tunnels


def _render(name: str, **context) -> str:
    return _env.get_template(name).render(**context)


def server_selectors(lab: Lab) -> tuple[str, str]:
    """The VPN server's traffic selectors (its side, AWS's side).

    The VPN connection's CIDRs, except AWS's default 0.0.0.0/0: a policy-based
    gateway with 0.0.0.0/0 on a side sends everything there into the tunnel,
    its own LAN and its IKE traffic too. Then the server proposes the VPC's
    CIDR for that side, which is narrower and so accepted by AWS.
    """
    vpn = lab.vpn
    if vpn.tunnel_interface != "none":  # marks or if_ids keep 0.0.0.0/0 to the tunnels
        return str(vpn.local_network_cidr), str(vpn.remote_network_cidr)

    def bounded(cidr, vpc) -> str:
        return str(vpc if cidr.prefixlen == 0 else cidr)

    return (
        bounded(vpn.local_network_cidr, lab.onprem.vpc_cidr),
        bounded(vpn.remote_network_cidr, lab.aws.vpc_cidr),
    )


def strongswan_files(
    lab: Lab, values: ServerValues, charon: CharonOptions = CharonOptions()
) -> dict[str, str]:
    """The VPN server's configuration files, by absolute path on the server.

    The secrets file holds ``psk_placeholder`` markers; ``fill_secrets``
    replaces them where the keys are known (at boot, or in the local lab).
    """
    if lab.vpn.tunnel_interface != "none":
        charon = dataclasses.replace(charon, install_routes=False)
    context = {
        "lab": lab,
        "values": values,
        "charon": charon,
        "tunnels": tunnel_context(lab, values),
        "selectors": server_selectors(lab),
        "remote_nets": [str(n) for n in values.aws_networks or (lab.aws.vpc_cidr,)],
        "updown": TUNNEL_UPDOWN,
    }
    files = {
        "/etc/strongswan.conf": _render("strongswan/strongswan.conf.j2", **context),
        "/etc/sysctl.d/90-vpnlab.conf": _render("strongswan/sysctl.conf.j2", **context),
    }
    if lab.vpn.tunnel_interface != "none":
        files[TUNNEL_UPDOWN] = _render(
            "strongswan/tunnel-updown.sh.j2", kind=lab.vpn.tunnel_interface, **context
        )
    if lab.strongswan.config_style == "swanctl":
        files["/etc/swanctl/swanctl.conf"] = _render("strongswan/swanctl.conf.j2", **context)
        files[SECRETS_PATH["swanctl"]] = _render("strongswan/swanctl-secrets.conf.j2", **context)
    else:
        files["/etc/ipsec.conf"] = _render("strongswan/ipsec.conf.j2", **context)
        files[SECRETS_PATH["ipsec.conf"]] = _render("strongswan/ipsec.secrets.j2", **context)
    return files | frr_files(lab)  # BGP labs: the sessions over the tunnel interfaces


TUNNEL_UPDOWN = "/etc/vpnlab/tunnel-updown.sh"  # route-based: the tunnels' interfaces
SECRETS_PATH = {
    "swanctl": "/etc/swanctl/conf.d/vpnlab-secrets.conf",
    "ipsec.conf": "/etc/ipsec.secrets",
}


def fill_at_boot(text: str, tunnel_addresses: tuple[str, str], psks: tuple[str, str]) -> str:
    """Replace the boot-time placeholders, as vpnlab-fill-config does on the server."""
    for n, (address, psk) in enumerate(zip(tunnel_addresses, psks, strict=True), start=1):
        text = text.replace(address_placeholder(n), address).replace(psk_placeholder(n), psk)
    return text


def fill_secrets(text: str, psks: tuple[str, str]) -> str:
    """Only the keys (files rendered with concrete addresses)."""
    for n, psk in enumerate(psks, start=1):
        text = text.replace(psk_placeholder(n), psk)
    return text


def psk_parameter_name(lab: Lab, n: int) -> str:
    """SSM SecureString holding tunnel n's key (created by modules/vpn.py)."""
    return f"/vpnlab/{lab.name}/tunnel{n}/psk"


def address_parameter_name(lab: Lab, n: int) -> str:
    """SSM String holding tunnel n's outside address (created by modules/vpn.py)."""
    return f"/vpnlab/{lab.name}/tunnel{n}/address"


BOOT_TEMPLATES = "/etc/vpnlab/templates"


def vpn_server_user_data(lab: Lab, values: ServerValues) -> str:
    """The VPN server's cloud-config: no pre-shared key, no tunnel address in it.

    Files without boot-time placeholders are written as they are; the others
    go to ``/etc/vpnlab/templates/<path>`` and vpnlab-fill-config writes them
    to ``<path>`` once the VPN connection's addresses and keys are in SSM.
    """
    files = strongswan_files(lab, values)
    secrets_path = SECRETS_PATH[lab.strongswan.config_style]
    placeholders = ("@VPNLAB_TUNNEL",)
    return _render(
        "vpn-server.yaml.j2",
        lab=lab,
        values=values,
        config_files={p: c for p, c in files.items() if not any(x in c for x in placeholders)},
        boot_templates={p: c for p, c in files.items() if any(x in c for x in placeholders)},
        templates_dir=BOOT_TEMPLATES,
        secrets_path=secrets_path,
        parameters=[
            {
                "n": n,
                "address": address_parameter_name(lab, n),
                "psk": psk_parameter_name(lab, n),
                "address_placeholder": address_placeholder(n),
                "psk_placeholder": psk_placeholder(n),
            }
            for n in (1, 2)
        ],
    )


def firewall_user_data(lab: Lab) -> str:
    return _render("firewall.yaml.j2", lab=lab)


def test_host_user_data(lab: Lab) -> str:
    return _render("test-host.yaml.j2", lab=lab)


def terraform_template(text: str) -> tuple[str, list[str]]:
    """Turn rendered text with Deferred sentinels into a Terraform template.

    Returns the template and the names of the variables it uses. Raises
    ValueError if a sentinel was damaged (a filter applied to a Deferred).
    """
    names = sorted(set(_SENTINEL_RE.findall(text)))
    escaped = text.replace("${", "$${").replace("%{", "%%{")
    escaped = _SENTINEL_RE.sub(lambda m: "${" + m.group(1) + "}", escaped)
    if "\x00" in escaped:
        raise ValueError(
            "a template changed a value known only after apply "
            "(a filter or string operation on a Deferred value); "
            "use such values whole: {{ value }}"
        )
    return escaped, names
