"""Lint rules for a customer gateway's BGP configuration (FRR or Quagga, in the
``--cgw-config`` directory) against the lab's VPN connection.

AWS's side of each session (Site-to-Site VPN user guide, "Customer gateway
options" and "Tunnel options"): the VGW at the tunnel's inside ``.1``, its ASN
the connection's Amazon side ASN, the customer gateway at ``.2`` with the
customer gateway's ASN, keepalive 10 s / hold 30 s, at most 100 prefixes
accepted (the 101st closes the session); a Transit Gateway's connection accepts
1,000 ("Quotas"), said by ``on_transit_gateway`` around a site's lint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from driver.analysis.findings import Finding
from driver.cgw.folder import MAX_BYTES, ServerFolder
from driver.cgw.frr import conf as bgp_conf
from driver.core.input_files import read_text
from driver.lab import aws_rules, topology
from driver.lab.model import Lab

BGP_RULES = {
    "bgp-config-missing": "a BGP lab, but the customer's directory holds no FRR or Quagga file",
    "bgp-static-lab": "the customer gateway runs BGP, but the lab's connection is static",
    "bgp-daemons": "FRR's daemons file does not start bgpd",
    "bgp-local-as": "the customer's `router bgp` ASN is not the customer gateway's ASN",
    "bgp-neighbors": "a tunnel's AWS inside address (.1) is no neighbour, or a neighbour is none",
    "bgp-remote-as": "a neighbour's remote AS is not the Amazon side ASN",
    "bgp-timers": "a hold time below AWS's 30 s: the session runs on the shorter one",
    "bgp-policy": "FRR (RFC 8212) exchanges no eBGP route without an in and an out policy",
    "bgp-not-activated": "`no bgp default ipv4-unicast` and the neighbour is not activated",
    "bgp-shutdown": "a neighbour to AWS is shut down",
    "bgp-prefixes": "announced prefixes over what AWS accepts, missing an on-prem subnet, "
    "or unknown",
}
# What the connection the customer's speaker peers with accepts, and whose it is: a
# VGW's, unless a Transit Gateway site's lint says otherwise (every vendor's rules reach
# _prefix_findings; a context spares each of them a parameter).
_ACCEPTS: ContextVar[tuple[int, str]] = ContextVar(
    "accepts", default=(aws_rules.MAX_ADVERTISED_PREFIXES, "the VGW")
)


@contextlib.contextmanager
def on_transit_gateway() -> Iterator[None]:
    """Lint inside this as a Transit Gateway site's: its connection accepts 1,000."""
    token = _ACCEPTS.set(
        (aws_rules.MAX_ADVERTISED_PREFIXES_TRANSIT_GATEWAY, "the Transit Gateway's connection")
    )
    try:
        yield
    finally:
        _ACCEPTS.reset(token)


def bgp_findings(lab: Lab, customer: ServerFolder) -> list[Finding]:
    config = bgp_conf.read(customer.files, customer.labels)
    given = str(customer.given)
    if config is None:
        if lab.vpn.routing != "bgp":
            return []
        where = "a directory" if customer.given.is_dir() else "one file, so lint cannot see it"
        return [
            Finding(
                "bgp-config-missing",
                "error" if customer.given.is_dir() else "warning",
                given,
                f"the lab routes by BGP, but {given} ({where}) holds no frr/frr.conf, "
                "frr/bgpd.conf or quagga/bgpd.conf: without a BGP session AWS's "
                "VgwTelemetry reads DOWN even with IPsec up",
                "add the customer gateway's FRR (frr/frr.conf) or Quagga (quagga/bgpd.conf) "
                "file to the directory that stands for its /etc",
            )
        ]
    if lab.vpn.routing != "bgp":
        return [
            Finding(
                "bgp-static-lab",
                "warning",
                config.source,
                "the customer gateway runs BGP, but the lab's VPN connection uses static "
                "routes: AWS does not speak BGP on it (a connection is static or dynamic)",
                "set vpn.routing: bgp in the lab (the customer's routes then come from BGP), "
                "or drop the BGP configuration",
            )
        ]
    out = _daemons(customer, config.suite)
    out += _session_findings(lab, config)
    out += _prefix_findings(lab, config)
    return out


def router_findings(lab: Lab, config: bgp_conf.BgpConfig | None, source: str) -> list[Finding]:
    """A router's BGP (its ``router bgp``, read into the same record) against the lab:
    the same rules as an FRR file's but for its daemons file, which a router has not."""
    if config is None:
        if lab.vpn.routing != "bgp":
            return []
        return [
            Finding(
                "bgp-config-missing",
                "error",
                source,
                f"the lab routes by BGP, but {source} has no router bgp: without a BGP "
                "session AWS's VgwTelemetry reads DOWN even with IPsec up",
                f"router bgp {lab.vpn.customer_gateway_asn} with a neighbour per tunnel "
                "(AWS's inside .1 addresses)",
            )
        ]
    if lab.vpn.routing != "bgp":
        return [
            Finding(
                "bgp-static-lab",
                "warning",
                f"{source}:{config.asn_line}",
                "the router runs BGP, but the lab's VPN connection uses static routes: AWS "
                "does not speak BGP on it (a connection is static or dynamic)",
                "set vpn.routing: bgp in the lab, or drop the router's router bgp",
            )
        ]
    return _session_findings(lab, config) + _prefix_findings(lab, config)


def _daemons(customer: ServerFolder, suite: str) -> list[Finding]:
    daemons = customer.files.get(bgp_conf.DAEMONS_FILE)
    if suite != "frr" or daemons is None:
        return []
    enabled, line = bgp_conf.bgpd_enabled(read_text(daemons, MAX_BYTES, "FRR daemons file"))
    if enabled:
        return []
    label = customer.labels[bgp_conf.DAEMONS_FILE]
    return [
        Finding(
            "bgp-daemons",
            "error",
            f"{label}:{line}" if line else label,
            "FRR starts no bgpd (Debian's daemons file ships bgpd=no): the sessions to AWS "
            "never open",
            "set bgpd=yes in /etc/frr/daemons and restart frr",
        )
    ]


def _session_findings(lab: Lab, config: bgp_conf.BgpConfig) -> list[Finding]:
    out: list[Finding] = []
    src = config.source

    def add(rule, severity, line, message, hint):
        out.append(Finding(rule, severity, f"{src}:{line}" if line else src, message, hint))

    vpn = lab.vpn
    if config.asn is None:
        add("bgp-local-as", "error", 0, "no `router bgp <ASN>`: bgpd runs no BGP instance",
            f"add `router bgp {vpn.customer_gateway_asn}` with a neighbour per tunnel")  # fmt: skip
        return out
    if config.asn != vpn.customer_gateway_asn:
        add(
            "bgp-local-as",
            "error",
            config.asn_line,
            f"router bgp {config.asn}, but AWS holds the customer gateway's ASN as "
            f"{vpn.customer_gateway_asn}: the VGW refuses the OPEN (Bad Peer AS)",
            f"`router bgp {vpn.customer_gateway_asn}`, or vpn.customer_gateway_asn: "
            f"{config.asn} in the lab (the customer gateway resource's bgp_asn)",
        )
    aws_side = {str(a): f"Tunnel{n}" for n, a in enumerate(topology.aws_inside_addresses(lab), 1)}
    for address, tunnel in aws_side.items():
        if address not in config.neighbors:
            add(
                "bgp-neighbors",
                "error",
                config.asn_line,
                f"no neighbour {address}: {tunnel}'s BGP session (AWS's inside address) "
                "never opens, and AWS reads the tunnel DOWN",
                f"neighbor {address} remote-as {vpn.amazon_side_asn}",
            )
    for address in config.neighbors:
        peer = config.effective(address)
        if address not in aws_side:
            add(
                "bgp-neighbors",
                "warning",
                peer.line,
                f"neighbour {address} is not one of AWS's inside addresses "
                f"({', '.join(aws_side)}): this session has no AWS peer",
                "the neighbours are the .1 addresses of the tunnels' inside CIDRs",
            )
            continue
        _peer_findings(lab, config, peer, aws_side[address], add)
    return out


def _peer_findings(lab, config, peer, tunnel, add) -> None:
    amazon = str(lab.vpn.amazon_side_asn)
    if peer.remote_as not in (amazon, "external"):
        add(
            "bgp-remote-as",
            "error",
            peer.line,
            f"neighbour {peer.name} ({tunnel}) has remote-as {peer.remote_as or 'unset'}, "
            f"but the VGW's ASN is {amazon}: the session is refused (Bad Peer AS)",
            f"neighbor {peer.name} remote-as {amazon}",
        )
    if peer.local_as is not None and peer.local_as != str(lab.vpn.customer_gateway_asn):
        add(
            "bgp-local-as",
            "error",
            peer.line,
            f"neighbour {peer.name} presents local-as {peer.local_as}, not the customer "
            f"gateway's ASN {lab.vpn.customer_gateway_asn}",
            f"drop the local-as, or set vpn.customer_gateway_asn: {peer.local_as}",
        )
    timers = peer.timers or config.timers
    if timers and timers[1] < aws_rules.BGP_HOLD_TIME:
        off = ": 0 turns keepalives off, and a dead tunnel keeps its routes"
        add(
            "bgp-timers",
            "warning",
            peer.line,
            f"hold time {timers[1]} s for {peer.name}: BGP runs on the smaller of both "
            f"sides' (RFC 4271 4.2), AWS's is {aws_rules.BGP_HOLD_TIME} s"
            + (off if not timers[1] else ""),
            f"neighbor {peer.name} timers {aws_rules.BGP_KEEPALIVE} {aws_rules.BGP_HOLD_TIME}",
        )
    if config.requires_policy and not (peer.policy_in and peer.policy_out):
        missing = " and ".join(
            d for d, has in (("in", peer.policy_in), ("out", peer.policy_out)) if not has
        )
        add(
            "bgp-policy",
            "error",
            peer.line,
            f"neighbour {peer.name} ({tunnel}) has no {missing} policy: FRR since 7.4 "
            "(RFC 8212, `bgp ebgp-requires-policy`) then neither accepts AWS's VPC route "
            "nor announces yours; the session is up and routes nothing",
            "add `no bgp ebgp-requires-policy` under router bgp, or a route-map in and out",
        )
    if peer.activated is False or (peer.activated is None and not config.default_ipv4):
        add(
            "bgp-not-activated",
            "error",
            peer.line,
            f"neighbour {peer.name} is not activated for IPv4 unicast "
            "(`no bgp default ipv4-unicast`): no route is exchanged",
            f"neighbor {peer.name} activate, under address-family ipv4 unicast",
        )
    if peer.shutdown:
        add("bgp-shutdown", "warning", peer.line, f"neighbour {peer.name} ({tunnel}) is shut down",
            f"no neighbor {peer.name} shutdown")  # fmt: skip


def _prefix_findings(lab: Lab, config: bgp_conf.BgpConfig) -> list[Finding]:
    out = []
    src = config.source
    limit, whose = _ACCEPTS.get()
    if len(config.networks) > limit:
        line = config.networks[limit][1]
        out.append(
            Finding(
                "bgp-prefixes",
                "error",
                f"{src}:{line}",
                f"{len(config.networks)} network statements: {whose} accepts {limit} prefixes "
                f"per session and closes it on the {limit + 1}st (NOTIFICATION Cease, "
                "maximum number of prefixes reached)",
                "announce aggregates (aggregate-address … summary-only, or a shorter network)",
            )
        )
    for what, line in config.redistributes:
        out.append(
            Finding(
                "bgp-prefixes",
                "info",
                f"{src}:{line}",
                f"redistribute {what}: lint cannot count what it announces; more than {limit} "
                "prefixes close the session",
                "`vpnlab check` runs it and shows the prefixes the VGW accepted",
            )
        )
    for prefix, line in config.networks:
        if prefix.prefixlen == 0:
            continue  # a default route (AWS's samples announce one): all but the VPC
        if prefix.subnet_of(lab.aws.vpc_cidr) or lab.aws.vpc_cidr.subnet_of(prefix):
            out.append(
                Finding(
                    "bgp-prefixes",
                    "warning",
                    f"{src}:{line}",
                    f"network {prefix} overlaps the AWS VPC ({lab.aws.vpc_cidr}): the VPC's "
                    "local route wins, so AWS never sends that traffic over the tunnels",
                    "announce the on-prem networks only",
                )
            )
    if config.redistributes:
        return out
    announced = [p for p, _ in config.networks]
    for name, subnet in (
        ("onprem.public_subnet_cidr", lab.onprem.public_subnet_cidr),
        ("onprem.private_subnet_cidr", lab.onprem.private_subnet_cidr),
    ):
        if not any(subnet.subnet_of(p) for p in announced):
            out.append(
                Finding(
                    "bgp-prefixes",
                    "warning",
                    f"{src}:{config.asn_line}",
                    f"no network statement covers {name} ({subnet}): AWS learns no route to it",
                    f"network {lab.onprem.vpc_cidr}, under address-family ipv4 unicast",
                )
            )
    return out
