"""Packet filters in the data plane: the appendix's stateful firewall, and the
security groups where the lab's instances are: stateful iptables
chains on each instance's interface (driver/lab/security_groups.py says what
they allow; in the local target, DescribeSecurityGroups does).

As on AWS, replies to an allowed flow pass (connection tracking), a packet no
rule allows is dropped, and the group applies to the instance's interface:
to what it receives and sends, and, for an instance that forwards (the VPN
server, the firewall), to what it forwards through that interface. Decrypted
traffic is not on the interface (userspace ESP hands it over on ipsec0; with
kernel ESP the inbound policy match lets it by), as AWS's group sees only the
encrypted packets.
"""

from __future__ import annotations

from driver.lab.security_groups import Group, Rule
from driver.local.dataplane.netns import Namespace

CHAINS = {"ingress": "vl-sg-in", "egress": "vl-sg-out"}
# The appendix's stateful firewall: a packet of a connection it has not seen
# start (an echo reply without its request, a TCP segment without SYN) is dropped.
STATEFUL_DROP = ["FORWARD", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP"]
FORWARDING_NODES = {"server", "firewall"}


def install(ns: Namespace, group: Group, kernel_esp: bool, interface: str = "eth0") -> None:
    """The group's two chains and the jumps to them, in one iptables-restore."""
    lines = ["*filter"]
    for direction, rules in (("ingress", group.ingress), ("egress", group.egress)):
        chain = CHAINS[direction]
        lines += [f":{chain} - [0:0]"]
        lines += [f"-A {chain} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"]
        if kernel_esp and direction == "ingress":
            lines += [f"-A {chain} -m policy --dir in --pol ipsec -j ACCEPT"]
        lines += [f"-A {chain} {' '.join(_match(r, direction))} -j ACCEPT" for r in rules]
        lines += [f"-A {chain} -j DROP"]
        side = "-i" if direction == "ingress" else "-o"
        hooks = ["INPUT" if direction == "ingress" else "OUTPUT"]
        hooks += ["FORWARD"] if ns.node in FORWARDING_NODES else []
        lines += [f"-A {hook} {side} {interface} -j {chain}" for hook in hooks]
    ns.exec("iptables-restore", "--noflush", input_="\n".join([*lines, "COMMIT", ""]))


def install_stateful_firewall(ns: Namespace) -> None:
    """First in FORWARD, before the appliance's own security group."""
    ns.exec("iptables", "-A", *STATEFUL_DROP)


def stateful_drops(ns: Namespace) -> int:
    out = ns.exec("iptables", "-nvxL", "FORWARD", check=False).stdout
    return sum(
        int(line.split()[0])
        for line in out.splitlines()
        if "ctstate INVALID" in line and line.split()[0].isdigit()
    )


def dropped(ns: Namespace) -> dict[str, int]:
    """Packets each direction's group dropped so far."""
    counts = {}
    for direction, chain in CHAINS.items():
        out = ns.exec("iptables", "-nvxL", chain, check=False).stdout.splitlines()
        rows = [line.split() for line in out if line.strip() and line.split()[0].isdigit()]
        counts[direction] = int(rows[-1][0]) if rows and rows[-1][2] == "DROP" else 0
    return counts


def _match(rule: Rule, direction: str) -> list[str]:
    peer = ["-s" if direction == "ingress" else "-d", rule.cidr]
    if rule.protocol == "-1":
        return peer
    port = ["--dport", rule.ports] if rule.ports and rule.protocol in ("tcp", "udp") else []
    return [*peer, "-p", rule.protocol, *port]
