"""The emulated virtual private gateway: strongSwan responders configured as AWS.

AWS runs each tunnel on an endpoint of its own, in different places: each
endpoint here is a charon of its own (driver/local/dataplane/endpoints.py) with
its tunnel's connection, key, DPD and lifetimes only, so a key authenticates its
tunnel only and one endpoint can be stopped or replaced while the other runs.

Their proposals, lifetimes, DPD and keys come from the same tunnel options as
the VPN connection (driver/render/proposals.py), so a customer gateway that agrees
with them agrees with what AWS was told. AWS probes a silent peer every 10 s and
declares it dead after the tunnel's DPD timeout: each endpoint's retransmission
schedule (strongswan.conf, one per daemon) is sized to its own tunnel's timeout,
after a first probe at AWS's interval.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import jinja2

from driver.lab import aws_rules, topology
from driver.lab.model import Lab
from driver.lab.nodes import VGW_ENDPOINTS
from driver.lab.tunnel_model import Phase
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.dataplane.netns import Namespace
from driver.render import proposals
from driver.render.cloud_init import ServerValues, tunnel_context
from driver.render.settings_string import quoted

AWS_DPD_INTERVAL = 10  # seconds between AWS's DPD probes
RETRANSMIT_TRIES = 3
RETRANSMIT_BASE = 1.4

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
templates.filters["quoted"] = quoted  # every value that is not the lab's own literal

# AWS DPD timeout action -> swanctl CHILD dpd_action. AWS's 'none' keeps the
# dead SA (traffic keeps going into it): a tunnel with 'none' gets no DPD at
# all (dpd_delay 0), so charon never declares its peer dead either.
DPD_ACTION = {"clear": "clear", "none": "clear", "restart": "restart"}
_SCHEDULE = sum(RETRANSMIT_BASE**i for i in range(RETRANSMIT_TRIES + 1))


# Endpoint n's IKE ports. Both endpoints' daemons share the VGW's namespace (its
# routes, tunnel interfaces and BGP are the one gateway's), so endpoint 2's listen
# elsewhere, behind a port mapping on its outside address (map_ports): the customer
# gateway talks to ports 500 and 4500 of each, as on AWS.
IKE_PORTS = {1: (500, 4500), 2: (10500, 14500)}


def endpoint(n: int) -> str:
    """The name of the charon of tunnel ``n``'s endpoint (1, 2): its folder too."""
    return VGW_ENDPOINTS[n - 1]


def _retransmission_seconds(lab: Lab, n: int) -> float:
    """How long endpoint ``n``'s charon retransmits an unanswered DPD before it gives
    up: its tunnel's DPD timeout less one AWS interval."""
    options = lab.tunnels[n - 1].options
    timeout = options.dpd_timeout if options.dpd_action != "none" else 30
    return max(timeout - AWS_DPD_INTERVAL, 1)


def _retransmit_timeout(lab: Lab, n: int) -> float:
    """charon's first retransmission timeout (strongswan.conf), rounded as written."""
    return round(_retransmission_seconds(lab, n) / _SCHEDULE, 2)


def dpd_delay(lab: Lab, n: int) -> int:
    """Tunnel ``n``'s charon dpd_delay: its DPD timeout less its endpoint's
    retransmissions (AWS's interval, but for rounding), or 0 (no DPD) for timeout
    action 'none'. IKEv1 has a dpd_timeout of its own (set from the tunnel's), so
    there the probe interval is AWS's."""
    options = lab.tunnels[n - 1].options
    if options.dpd_action == "none":
        return 0
    if "ikev2" not in options.ike_versions:
        return AWS_DPD_INTERVAL
    retransmits = _retransmit_timeout(lab, n) * _SCHEDULE
    return max(round(options.dpd_timeout - retransmits), 1)


def in_awss_order(lab: Lab) -> Lab:
    """The lab with each phase's algorithms in AWS's order of preference.

    AWS's tunnel endpoints "evaluate proposals from your customer gateway
    starting with the lowest configured value from the list below, regardless
    of the proposal order from the customer gateway" (Site-to-Site VPN user
    guide, VPNTunnels.html): AES128 before AES256, SHA1 before SHA2-256, DH 2
    before 14. charon as a responder prefers its own configured order
    (``prefer_configured_proposals``, on by default), so the VGW's proposals
    are written in AWS's order, whatever order the lab lists them in.
    """

    def ordered(phase: Phase) -> Phase:
        return dataclasses.replace(
            phase,
            encryption=tuple(e for e in aws_rules.ENCRYPTION if e in phase.encryption),
            integrity=tuple(i for i in aws_rules.INTEGRITY if i in phase.integrity),
            dh_groups=tuple(g for g in aws_rules.DH_GROUPS if g in phase.dh_groups),
        )

    tunnels = tuple(
        dataclasses.replace(
            t,
            options=dataclasses.replace(
                t.options, phase1=ordered(t.options.phase1), phase2=ordered(t.options.phase2)
            ),
        )
        for t in lab.tunnels
    )
    return dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))


def rekey_window(lifetime: int, margin: int, fuzz: int) -> tuple[int, int]:
    """charon's (rekey_time, rand_time) for AWS's rekey: inside the margin before the
    SA expires, "the exact time randomly selected" over fuzz percent of that window
    (AWS's RekeyMarginTimeSeconds and RekeyFuzzPercentage, EC2 API reference). charon
    rekeys at rekey_time less a random part of rand_time, so the window is
    [lifetime - margin, lifetime - margin + fuzz% of margin], kept a second short of
    the expiry itself. (strongSwan's own rekeyfuzz widens the margin instead: a
    customer gateway rekeys earlier than lifetime - margin.)"""
    start = lifetime - margin
    latest = min(start + margin * fuzz // 100, lifetime - 1)
    return latest, latest - start


# Plugins Debian loads that AWS's endpoint never uses (certificate fetching, EAP,
# XAUTH, stroke, HA, TPM and PKCS#11 tokens, a second crypto library, self-tests):
# not loaded, so the endpoint starts sooner. Its algorithms stay (openssl and the rest).
UNUSED_PLUGINS = (
    "addrblock", "agent", "attr", "bypass-lan", "certexpire", "connmark", "counters",
    "curl", "dhcp", "dnskey", "eap-aka", "eap-gtc", "eap-identity", "eap-md5",
    "eap-radius", "eap-tls", "eap-tnc", "eap-ttls", "error-notify", "farp", "forecast",
    "gcrypt", "ha", "ldap", "led", "lookip", "pgp", "pkcs11", "rc2", "resolve", "sshkey",
    "stroke", "test-vectors", "tnc-tnccs", "tpm", "unity", "xauth-eap", "xauth-pam",
)  # fmt: skip
SWANCTL_PLUGINS = "random nonce openssl pem pkcs1 pkcs8 x509 pubkey"


def strongswan_conf(lab: Lab, n: int, log_file: str, libipsec: bool) -> str:
    """Endpoint ``n``'s strongswan.conf: its ports and its own retransmissions."""
    port, port_nat_t = IKE_PORTS[n]
    return templates.get_template("vgw-strongswan.conf.j2").render(
        lab=lab,
        n=n,
        port=port,
        port_nat_t=port_nat_t,
        tries=RETRANSMIT_TRIES,
        timeout=_retransmit_timeout(lab, n),
        base=RETRANSMIT_BASE,
        log_file=log_file,
        libipsec=libipsec,
        unused_plugins=UNUSED_PLUGINS,
        swanctl_plugins=SWANCTL_PLUGINS,
    )


def swanctl_conf(
    lab: Lab,
    n: int,
    address: str,
    cgw_id: str,
    psk: str,
    interfaces: str | None = None,
) -> str:
    """Endpoint ``n``'s one connection and key; with ``interfaces`` (vti | xfrm) its SAs
    are bound to its tunnel's interface (mark or if_id ``n``); its ``UPDOWN`` routes
    into the tunnel while it is up."""
    addresses = (address, address)  # tunnel_context numbers both; the endpoint takes its own
    values = ServerValues(public_ip=cgw_id, tunnel_addresses=addresses)
    t = tunnel_context(in_awss_order(lab), values)[n - 1]
    tunnel = lab.tunnels[n - 1]
    t["psk"] = psk
    t["dpd_delay"] = dpd_delay(lab, n)
    t["replay_window"] = tunnel.options.replay_window
    t["dpd_action"] = DPD_ACTION[tunnel.options.dpd_action]
    t["start_action"] = "start" if tunnel.options.startup_action == "start" else "none"
    if "ikev1" in tunnel.options.ike_versions:  # its quick-mode rekeys offer all it allows
        options = in_awss_order(lab).tunnels[n - 1].options
        t["esp_proposals"] = ",".join(proposals.ikev1_proposal_list(options, ike=False))
        # and its reauthentications, where it speaks IKEv1 only: a combination per DH
        # group is ~100 proposals, which IKEv2 (one list with IKEv1 here) needs not
        if t["ike_version"] == 1:
            t["ike_proposals"] = ",".join(proposals.ikev1_proposal_list(options, ike=True))
    margin, fuzz = tunnel.options.rekey_margin, tunnel.options.rekey_fuzz
    for sa, phase in (("ike", tunnel.options.phase1), ("child", tunnel.options.phase2)):
        t[f"{sa}_rekey"], t[f"{sa}_rand"] = rekey_window(phase.lifetime, margin, fuzz)
    return templates.get_template("vgw-swanctl.conf.j2").render(
        lab=lab, t=t, cgw_id=cgw_id, interfaces=interfaces, updown=UPDOWN
    )


def map_ports(ns: Namespace, n: int, address: str) -> None:
    """The customer gateway reaches endpoint ``n`` on ports 500 and 4500 of its
    address, wherever its daemon listens (IKE_PORTS)."""
    rules = [
        f"-A PREROUTING -i wan -d {address} -p udp --dport {aws} "
        f"-j DNAT --to-destination {address}:{own}\n"
        f"-A POSTROUTING -o wan -s {address} -p udp --sport {own} "
        f"-j SNAT --to-source {address}:{aws}\n"
        for aws, own in zip(IKE_PORTS[1], IKE_PORTS[n], strict=True)
        if aws != own
    ]
    if rules:
        ns.exec("iptables-restore", "--noflush", input_="*nat\n" + "".join(rules) + "COMMIT\n")


# --- route-based tunnels (a kernel with ESP and VTI or XFRM interfaces) -------------

UPDOWN = "/etc/vpnlab/vgw-updown.sh"


def interface(n: int) -> str:
    """The VGW's interface of tunnel ``n`` (1, 2)."""
    return f"tunnel{n}"


def interface_kind(kernel: KernelFeatures, customer: str | None) -> str | None:
    """The VGW's tunnels as interfaces (vti | xfrm), as AWS's are, where the kernel
    has them: the customer's kind, since one kernel must not load both (Debian 6.1
    then drops XFRM-interface traffic); else policy-based (None: userspace ESP)."""
    if not kernel.esp:
        return None
    has = {"xfrm": kernel.xfrmi, "vti": kernel.vti}
    return next((k for k in (customer, "xfrm", "vti") if k and has[k]), None)


def make_interfaces(
    ns: Namespace, lab: Lab, kind: str, plan: topology.AddressPlan, cgw_ip: str
) -> None:
    """The VGW's tunnel interfaces: AWS's side of each tunnel's inside CIDR (.1; the
    customer gateway has .2), key or if_id ``n``."""
    pairs = zip(lab.tunnels, plan.tunnel_addresses, strict=True)
    with ns.batch():
        for n, (tunnel, address) in enumerate(pairs, 1):
            name, inside = interface(n), tunnel.inside_cidr
            if kind == "vti":
                link = ("type", "vti", "local", address, "remote", cgw_ip, "key", str(n))
            else:
                link = ("type", "xfrm", "dev", "wan", "if_id", str(n))
            ns.ip("link", "add", name, *link)
            ns.ip("addr", "add", f"{inside[1]}/{inside.prefixlen}", "dev", name)
            ns.ip("link", "set", name, "up", "mtu", "1419")  # AWS's tunnel MTU
    if kind == "vti":  # decrypted packets carry no policy to check again (AWS's sample)
        ns.sysctl({f"net.ipv4.conf.{interface(n)}.disable_policy": "1" for n in (1, 2)})


def device(n: int, interfaces: str | None) -> str:
    """Where the VGW hands tunnel ``n``'s packets to its endpoint: the tunnel's
    interface, or (userspace ESP) the TUN device its charon made, ``ipsec%d`` in the
    order the endpoints start (endpoints.py starts them one after the other)."""
    return interface(n) if interfaces else f"ipsec{n - 1}"


def updown_script(into_tunnels: list, n: int, interfaces: str | None) -> str:
    """Endpoint ``n``'s updown: the VPN connection's routes go into its tunnel while it
    is up, and leave it when it goes down; tunnel 1 is preferred when both are up
    (AWS picks one tunnel for static routing; ``preferring`` tries the other)."""
    nets = " ".join(str(net) for net in into_tunnels)
    return templates.get_template("vgw-updown.sh.j2").render(
        nets=nets, table=INTO_TUNNELS_TABLE, n=n, dev=device(n, interfaces)
    )


@contextlib.contextmanager
def preferring(ns: Namespace, into_tunnels: list, n: int) -> Iterator[None]:
    """For a block, the VGW sends the VPN connection's traffic into tunnel ``n``
    (routes ahead of the updown script's). AWS picks the tunnel it sends on at
    random when both are up, and the customer gateway cannot choose it (AWS
    knowledge center, vpn-configure-tunnel-preference): a check tries each."""
    routes = [
        (str(net), "dev", interface(n), "metric", "0", "table", str(INTO_TUNNELS_TABLE))
        for net in into_tunnels
    ]
    with ns.batch():
        for route in routes:
            ns.ip("route", "replace", *route)
    try:
        yield
    finally:
        with ns.batch():
            for route in routes:
                ns.ip("route", "del", *route)


INTO_TUNNELS_TABLE = 30  # driver/local/dataplane/routing.py
