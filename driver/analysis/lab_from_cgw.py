"""``vpnlab init --from-cgw-config``: a lab that matches the other company's
configuration, so ``vpnlab check LAB --cgw-config PATH`` runs right away. The
files are read as their implementation reads them: strongSwan's, Libreswan's or a
router's (driver/cgw/detect.py and dialects.py, or ``--cgw-daemon``), into the same
tunnel records.

AWS's default tunnel options (driver/lab/model.py's defaults are AWS's), except
where the configuration constrains them: its proposals, IKE version, lifetimes
and DPD timeout. The networks come from its selectors, the pre-shared keys
from its secrets (marked as such). Every value taken from the files says
which line it came from.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from driver.analysis import cgw_grammar
from driver.analysis.cgw_proposals import options_accepting, proposals_of
from driver.analysis.cgw_secrets import secret_for
from driver.analysis.libreswan_rules import has_pfs, proposals_in_aws_names
from driver.cgw.detect import IMPLEMENTATIONS, RUNNABLE, implementation
from driver.cgw.dialects import ROUTERS
from driver.cgw.frr import conf as bgp_conf
from driver.cgw.libreswan import files as libreswan_files
from driver.cgw.libreswan.tunnels import tunnels_of as libreswan_tunnels
from driver.cgw.record import ConfiguredTunnel, interface_kind, tunnel_numbers
from driver.cgw.settings import Secret
from driver.cgw.strongswan import files as cgw_files
from driver.cgw.strongswan.tunnels import tunnels_of
from driver.core.errors import VpnlabError
from driver.core.invocation import command
from driver.lab import aws_rules, topology
from driver.lab.aws_rules import PHASE2_DH_GROUPS
from driver.lab.loader import parse_lab

DEFAULT_AWS_VPC = ipaddress.ip_network("10.0.0.0/16")
DEFAULT_ONPREM_VPC = ipaddress.ip_network("192.168.0.0/16")
INSIDE_CIDRS = ("169.254.10.0/30", "169.254.11.0/30")


@dataclass
class Customer:
    """A customer's configuration as its implementation reads it."""

    implementation: str  # strongswan | libreswan | a router dialect (dialects.py)
    tunnels: list[ConfiguredTunnel]
    secrets: list[Secret]
    files: dict[str, Path]  # server path -> their file
    labels: dict[str, str]  # server path -> as the user gave it
    style: str  # what the lab's strongswan.config_style says
    refused: list[str]  # why a conn was not loaded, in the implementation's words
    inside_cidrs: tuple[str, ...] | None = None  # the tunnels' /30s, where the files say
    defaulted: list[str] = field(default_factory=list)  # a router's defaults it relies on
    bgp: bgp_conf.BgpConfig | None = None  # a router's BGP (else read from its files)

    def proposals(self, t: ConfiguredTunnel, ike: bool) -> dict[str, list]:
        if self.implementation in ROUTERS:
            words = ROUTERS[self.implementation].proposals
            return options_accepting(words(t.ike if ike else t.esp or ""), ike)
        if self.implementation == "libreswan":
            chosen = options_accepting(proposals_in_aws_names(t, ike), ike)
            if not ike and has_pfs(t) and "dh_groups" not in chosen:
                # Libreswan's PFS takes the IKE SA's group when esp= names none; AWS's
                # rekey would otherwise offer its lowest group first (DH 2), which
                # Libreswan 4.x no longer has
                groups = options_accepting(proposals_in_aws_names(t, True), True)
                phase2 = [g for g in groups.get("dh_groups", []) if g in PHASE2_DH_GROUPS]
                chosen |= {"dh_groups": phase2} if phase2 else {}
            return chosen
        text = t.ike if ike else t.esp
        return proposals_of(text, ike) if text and text != "default" else {}


def read_customer(config: Path, secrets: Path | None, daemon: str | None) -> Customer:
    found_in = implementation(config, secrets, daemon)
    if found_in in ROUTERS:
        read = ROUTERS[found_in].read(config, secrets)
        return Customer(
            found_in,
            read.tunnels,
            read.secrets,
            {},
            {},
            "swanctl",
            read.problems,
            read.inside_cidrs,
            read.defaulted,
            read.bgp,
        )
    if found_in == "libreswan":
        found = libreswan_files.load(config, secrets)
        conf = found.conf
        tunnels = [t for t in libreswan_tunnels(found) if t.name not in conf.refused]
        refused = [f"conn {conn}: {why}" for conn, why in conf.refused.items()]
        folder = found.folder
        return Customer(
            "libreswan", tunnels, found.secrets, folder.files, folder.labels, "ipsec.conf", refused
        )
    customer = cgw_files.load(config, secrets)
    grammar = cgw_grammar.judge(customer)
    refused = [f"{f.where}: {f.message}" for f in grammar.findings if f.severity == "error"]
    return Customer(
        "strongswan",
        tunnels_of(customer, grammar.refused),
        customer.secrets,
        customer.files,
        customer.labels,
        customer.style,
        refused,
    )


def lab_text(
    config: Path, secrets: Path | None = None, name: str | None = None, daemon: str | None = None
) -> str:
    customer = read_customer(config, secrets, daemon)
    tunnels = customer.tunnels
    count = len(set(tunnel_numbers(tunnels)))  # SA pairs to one address are one tunnel
    if len(tunnels) != 2 or count != 2:
        why = "; ".join(customer.refused)
        title = IMPLEMENTATIONS[customer.implementation]
        raise VpnlabError(
            f"{config}: {title} would load {count} tunnel(s)"
            + (f" ({len(tunnels)} SA pairs)" if len(tunnels) != count else "")
            + f", an AWS VPN connection has two, one SA pair each{': ' + why if why else ''}; "
            "`vpnlab lint` with any lab says more"
        )
    # the networks come from a tunnel's selectors, not from a policy for the inside
    # addresses (a policy-based router's BGP: 169.254.x.2/32 to 169.254.x.1/32)
    first = next((t for t in tunnels if not _inside_pair(t)), tunnels[0])
    local = _network(first.local_ts, DEFAULT_ONPREM_VPC)
    remote = _network(first.remote_ts, DEFAULT_AWS_VPC)
    onprem_vpc = vpc_holding(local, DEFAULT_ONPREM_VPC, subnets=2)
    aws_vpc = (
        vpc_holding(remote, DEFAULT_AWS_VPC, subnets=1)
        if remote.prefixlen >= 16
        else DEFAULT_AWS_VPC
    )
    server = _address(first.left)
    public, private = two_subnets(onprem_vpc, server)
    aws_private = subnets_of(aws_vpc)[1 if aws_vpc.prefixlen < 28 else 0]
    lab_name = name or _lab_name(config)
    bgp = customer.bgp or bgp_conf.read(customer.files, customer.labels)
    lines = [
        f"# Written by `vpnlab init --from-cgw-config {config}`: the AWS side as AWS",
        "# creates it by default, except where the customer's configuration says",
        "# otherwise (each such value names its line). Check it with:",
        f"#   vpnlab check <this file> --cgw-config {config}",
        *_defaults_said(customer),
        f"name: {lab_name}",
        "region: ap-northeast-1",
        "",
        "aws:",
        f"  vpc_cidr: {aws_vpc}{_from(first, 'remote_ts', remote, aws_vpc)}",
        f"  private_subnet_cidr: {aws_private}",
        "",
        "onprem:",
        f"  vpc_cidr: {onprem_vpc}{_from(first, 'local_ts', local, onprem_vpc)}",
        f"  public_subnet_cidr: {public}        # the VPN server's subnet",
        f"  private_subnet_cidr: {private}",
        *_vpn_server(first, server, public),
        "",
        "vpn:",
        *_routing(bgp, tunnels, onprem_vpc, aws_vpc),
        f"  local_network_cidr: {local}{_from(first, 'local_ts', local, None)}",
        f"  remote_network_cidr: {remote}{_from(first, 'remote_ts', remote, None)}",
        *_tunnel_options(first, customer),
        "  tunnels:",
    ]
    inside = (
        customer.inside_cidrs
        or _bgp_inside_cidrs(bgp)
        or _updown_inside_cidrs(tunnels)
        or INSIDE_CIDRS
    )
    for n, tunnel in enumerate(tunnels):
        lines.append(f"    - inside_cidr: {inside[n]}")
        secret = secret_for(tunnel, customer.secrets)
        if secret and not aws_rules.psk_problems(secret.secret):
            lines.append(
                f"      preshared_key: {json.dumps(secret.secret)}   # the customer's key, "
                f"{secret.source}:{secret.line}"
            )
    lines += ["", "strongswan:", f"  config_style: {customer.style}"]
    if customer.implementation == "libreswan":  # the lab's own rendering stays strongSwan's
        lines[-1] += "   # the customer's files are Libreswan's: check runs them with pluto"
    elif customer.implementation in ROUTERS:
        title = ROUTERS[customer.implementation].title
        lines[-1] += f"   # the customer's is a {title}: check runs its twin (strongSwan)"
    lines.append("")
    text = "\n".join(lines)
    parse_lab(text, "the lab init wrote")  # a lab init writes must load; else a bug here
    return text


def _defaults_said(customer: Customer) -> list[str]:
    """A router's defaults the verdict relies on (keys its file leaves out)."""
    if not customer.defaulted:
        return []
    said = ", ".join(customer.defaulted)
    release = ROUTERS[customer.implementation].release
    return [f"# {release}'s defaults for what the file leaves out: {said}"]


def next_command(lab: Path, config: Path, secrets: Path | None, daemon: str | None) -> str:
    """What to run on the lab init wrote: the check, or lint for a dialect vpnlab does
    not run yet (a router's)."""
    runs = implementation(config, secrets, daemon) in RUNNABLE
    given = ["--cgw-config", config, *(["--cgw-secrets", secrets] if secrets else [])]
    given += ["--cgw-daemon", daemon] if daemon else []
    return command("check" if runs else "lint", lab, *given, root=runs)


def _routing(config, tunnels, onprem_vpc, aws_vpc) -> list[str]:
    """Static routes to the on-prem VPC; BGP where route-based tunnels come with an
    FRR or Quagga file, with its ASNs and networks where AWS would take them."""
    interfaces = interface_kind(tunnels)
    if config is None or interfaces is None:
        return ["  routing: static", f"  static_routes: [{onprem_vpc}]"]
    src = config.source
    lines = ["  routing: bgp", f"  tunnel_interface: {interfaces}"]
    remote = next(
        (p.remote_as for a in config.neighbors if (p := config.effective(a)).remote_as), None
    )
    if remote and remote.isdecimal() and _within(int(remote), *aws_rules.AMAZON_SIDE_ASN):
        lines.append(f"  amazon_side_asn: {remote}                # neighbours' remote-as, {src}")
    if config.asn is not None and _within(config.asn, aws_rules.BGP_ASN):
        where = f"{src}:{config.asn_line}"
        lines.append(f"  customer_gateway_asn: {config.asn}           # router bgp, {where}")
    networks = [p for p, _ in config.networks]
    if 0 < len(networks) <= aws_rules.MAX_ADVERTISED_PREFIXES and not any(
        p.overlaps(aws_vpc) for p in networks
    ):
        listed = ", ".join(map(str, networks))
        lines.append(f"  advertised_prefixes: [{listed}]   # its network statements, {src}")
    return lines


def _within(asn: int, *ranges: tuple[int, int]) -> bool:
    return any(low <= asn <= high for low, high in ranges)


def _bgp_inside_cidrs(config) -> tuple[str, ...] | None:
    """The tunnels' inside /30s from the BGP neighbours: AWS's end is the .1."""
    if config is None:
        return None
    found = []
    for address in config.neighbors:
        peer = ipaddress.ip_address(address)
        if peer.version == 4 and int(peer) % 4 == 1:
            cidr = ipaddress.IPv4Network(f"{peer - 1}/30")
            if cidr.subnet_of(aws_rules.INSIDE_CIDR_RANGE) and not aws_rules.inside_cidr_problem(
                cidr
            ):
                found.append(str(cidr))
    return tuple(found) if len(found) == 2 else None


def _updown_inside_cidrs(tunnels: list[ConfiguredTunnel]) -> tuple[str, ...] | None:
    """The tunnels' inside /30s from the addresses their updown scripts are given
    (AWS's VTI samples: ``ipsec-vti.sh 0 169.254.10.34/30 169.254.10.33/30``)."""
    found = []
    for t in tunnels:
        nets = {
            ipaddress.IPv4Interface(a).network
            for a in re.findall(r"169\.254\.\d{1,3}\.\d{1,3}/30", t.updown or "")
        }
        if len(nets) != 1 or aws_rules.inside_cidr_problem(next(iter(nets))):
            return None
        found.append(str(next(iter(nets))))
    return tuple(found) if len(set(found)) == len(tunnels) else None


def _lab_name(config: Path) -> str:
    """A lab name from the directory's or file's name: lowercase, '-', at most 20."""
    stem = config.resolve().name.lower().removesuffix(".conf")
    name = re.sub(r"[^a-z0-9-]+", "-", stem).strip("-")
    name = re.sub(r"^[^a-z]+", "", name)[:20].strip("-")
    return name or "customer"


def _vpn_server(t: ConfiguredTunnel, server, subnet) -> list[str]:
    """The VPN server's addresses where the files name them: left= and leftid."""
    lines = []
    if server is not None and server in subnet:
        lines.append(f"    private_ip: {server}             # left, {t.origin('left')}")
    public = _address(t.leftid)
    if public is not None and public.is_global and str(public) != topology.DEFAULT_PUBLIC_IP:
        lines.append(f"    public_ip: {public}              # leftid, {t.origin('leftid')}")
    return ["  vpn_server:", *lines] if lines else []


def _inside_pair(t: ConfiguredTunnel) -> bool:
    inside = ipaddress.ip_network("169.254.0.0/16")
    nets = [_network(ts, ipaddress.ip_network("0.0.0.0/0")) for ts in (t.local_ts, t.remote_ts)]
    return all(n.version == 4 and n.subnet_of(inside) for n in nets)


def _network(ts: str | None, default: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    if not ts:
        return default
    try:
        return ipaddress.ip_network(ts.split(",")[0].strip(), strict=False)
    except ValueError:
        return default


def vpc_holding(selector, default, subnets: int):
    """A VPC for a side whose selector is ``selector``: the selector itself when it can
    be one and hold ``subnets`` subnets (/28 at least), else the /24 around it; the
    default for 0.0.0.0/0."""
    if selector.prefixlen == 0:
        return default
    if selector.prefixlen > 28 - (subnets - 1):
        return selector.supernet(new_prefix=24)
    return selector


def subnets_of(vpc: ipaddress.IPv4Network) -> list:
    return list(vpc.subnets(new_prefix=min(max(vpc.prefixlen + 1, 24), 28)))


def two_subnets(vpc: ipaddress.IPv4Network, holding=None) -> tuple:
    """Two subnets of ``vpc``, the first holding the address ``holding`` if given."""
    subnets = subnets_of(vpc)
    first = next((n for n in subnets if holding in n), subnets[0]) if holding else subnets[0]
    return first, next(n for n in subnets if n != first)


def _address(value: str | None) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address((value or "").strip())
    except ValueError:
        return None


def _from(t: ConfiguredTunnel, what: str, value, used) -> str:
    source = {"local_ts": "leftsubnet/local_ts", "remote_ts": "rightsubnet/remote_ts"}[what]
    if getattr(t, what) is None:
        return f"   # {source} not set: a default"
    if used is not None and value != used:
        chosen = "a default" if value.prefixlen == 0 else "the VPC around it"
        return f"   # {source} is {value}: {chosen}"
    return f"   # {source}, {t.origin(what)}"


def _tunnel_options(t: ConfiguredTunnel, customer: Customer) -> list[str]:
    out = []
    version = _ike_version(t)
    if version:
        out.append(f"    ike_versions: [{version}]   # {t.origin('version')}")
    for phase, text, ike in (("phase1", t.ike, True), ("phase2", t.esp, False)):
        if not text or text == "default":
            continue
        chosen = customer.proposals(t, ike)
        if not chosen:
            continue
        out.append(
            f"    {phase}:                       # {text}, {t.origin('ike' if ike else 'esp')}"
        )
        for key, values in chosen.items():
            out.append(f"      {key}: [{', '.join(map(str, values))}]")
    if not out:
        return ["  tunnel_options: {}               # AWS's defaults: the files constrain none"]
    return ["  tunnel_options:                  # AWS's defaults, but for what the files say", *out]


def _ike_version(t: ConfiguredTunnel) -> str | None:
    """The one IKE version the files insist on (keyexchange= / version =), if any."""
    return {"1": "ikev1", "2": "ikev2"}.get(t.version)
