"""Packet filters in the data plane, as iptables chains: the security groups on
the lab's instances, the network ACLs at its subnets' routers, and the
appendix's stateful firewall (driver/lab/security_groups.py and
driver/lab/network_acls.py say what they allow; in the local target,
DescribeSecurityGroups and DescribeNetworkAcls do).

A security group is stateful: replies to an allowed flow pass (connection
tracking), a packet no rule allows is dropped, and the group applies to the
instance's interface: to what it receives and sends and, for an instance that
forwards (the VPN server, the firewall), to what it forwards through it.
Decrypted traffic is not on the interface (userspace ESP hands it over on
ipsec0; with kernel ESP the inbound policy match lets it by), as AWS's group
sees only the encrypted packets. A network ACL is stateless: each packet,
replies too, is judged leaving its subnet and entering the next, by the first
entry that matches.

An allowing rule RETURNs rather than ACCEPTs, so every filter on a packet's
way through FORWARD has its say; what nothing denies passes.
"""

from __future__ import annotations

from driver.lab.network_acls import Acl
from driver.lab.security_groups import Group
from driver.local.dataplane.netns import Namespace

CHAINS = {"ingress": "vl-sg-in", "egress": "vl-sg-out"}
# The appendix's stateful firewall: a packet of a connection it has not seen
# start is dropped (an echo reply without its request; TCP mid-stream segments
# are adopted, nf_conntrack_tcp_loose's default, so a TCP flow needs its SYN seen
# only when that is set to 0).
STATEFUL_DROP = "-A FORWARD -m conntrack --ctstate INVALID -j DROP"
FIREWALL_CHAIN = "FORWARD"
FORWARDING_NODES = {"server", "firewall"}
# The subnet boundary each ACL guards: the router and its interface into the subnet.
SUBNET_INTERFACES = {
    "aws_host": ("aws-vpc", "priv"),
    "firewall": ("aws-vpc", "fw"),
    "onprem_host": ("onprem-vpc", "priv"),
    "vpn_server": ("onprem-vpc", "pub"),
}


def install(ns: Namespace, group: Group, kernel_esp: bool, interface: str = "eth0") -> None:
    """The group's two chains and the jumps to them, in one iptables-restore."""
    restore(ns, group_lines(ns.node, group, kernel_esp, interface))


def group_lines(node: str, group: Group, kernel_esp: bool, interface: str = "eth0") -> list[str]:
    """A security group on ``node``'s interface: its two chains and the jumps to them,
    as iptables-restore lines."""
    lines = []
    for direction, rules in (("ingress", group.ingress), ("egress", group.egress)):
        chain = CHAINS[direction]
        lines += [f":{chain} - [0:0]"]
        lines += [f"-A {chain} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN"]
        if kernel_esp and direction == "ingress":
            lines += [f"-A {chain} -m policy --dir in --pol ipsec -j RETURN"]
        lines += [
            f"-A {chain} {' '.join(_match(r.protocol, r.cidr, r.ports, direction == 'ingress'))}"
            " -j RETURN"
            for r in rules
        ]
        lines += [f"-A {chain} -j DROP"]
        side = "-i" if direction == "ingress" else "-o"
        hooks = ["INPUT" if direction == "ingress" else "OUTPUT"]
        hooks += ["FORWARD"] if node in FORWARDING_NODES else []
        lines += [f"-A {hook} {side} {interface} -j {chain}" for hook in hooks]
    return lines


def acl_lines(interface: str, acl: Acl) -> list[str]:
    """The subnet's ACL on its router, out of the subnet (-i) and into it (-o), as
    iptables-restore lines."""
    lines = []
    for egress, side in ((True, "-i"), (False, "-o")):
        chain = acl_chain(interface, egress)
        lines += [f":{chain} - [0:0]"]
        lines += [
            f"-A {chain} {' '.join(_match(e.protocol, e.cidr, e.ports, not e.egress))} "
            f"-j {'RETURN' if e.allow else 'DROP'}"
            for e in acl.ordered(egress)
        ]
        lines += [f"-A {chain} -j DROP", f"-A FORWARD {side} {interface} -j {chain}"]
    return lines


def restore(ns: Namespace, lines: list[str]) -> None:
    """Lines of the filter table added in one iptables-restore (a process: ~0.25 s in
    the guest), in order."""
    ns.exec("iptables-restore", "--noflush", input_="\n".join(["*filter", *lines, "COMMIT", ""]))


def acl_chain(interface: str, egress: bool) -> str:
    return f"vl-acl-{interface}-{'out' if egress else 'in'}"


def drops(ns: Namespace) -> dict[str, int]:
    """Packets each chain's DROP rules dropped so far, by chain, in one listing."""
    counts: dict[str, int] = {}
    chain = ""
    for line in ns.exec("iptables", "-nvxL", check=False).stdout.splitlines():
        words = line.split()
        if line.startswith("Chain "):
            chain = words[1]
        elif len(words) > 2 and words[0].isdecimal() and words[2] == "DROP":
            counts[chain] = counts.get(chain, 0) + int(words[0])
    return counts


def _match(protocol: str, cidr: str, ports: str, peer_is_source: bool) -> list[str]:
    """iptables' match for a rule on the peer's address, the protocol and its ports."""
    peer = ["-s" if peer_is_source else "-d", cidr]
    if protocol == "-1":
        return peer
    return [*peer, "-p", protocol, *(["--dport", ports] if ports else [])]
