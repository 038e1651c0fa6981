"""The shell commands verify runs on the instances over SSM Run Command.

One place for both sides: the AWS target sends exactly these
(``AWS-RunShellScript``), and the emulator, which runs SSM commands as root
in the lab's namespaces, runs these and nothing else (``is_vpnlab_command``):
a local port must not become a root shell.
"""

from __future__ import annotations

import ipaddress
import re

SETUP_STATE = [
    "if [ -f /var/lib/vpnlab/ready ]; then echo READY; "
    "elif [ -f /var/lib/vpnlab/failed ]; then echo FAILED; cat /var/lib/vpnlab/failed; "
    "else echo WAITING; fi"
]
DIAGNOSTICS = [
    "echo '== tail of /var/log/cloud-init-output.log'",
    "tail -n 40 /var/log/cloud-init-output.log 2>&1 || true",
    "echo '== swanctl --list-sas'",
    'sas=$(swanctl --list-sas 2>&1); echo "${sas:-(no IKE SAs)}"',
    "echo '== ipsec statusall'",
    "ipsec statusall 2>&1 || true",
    "echo '== strongSwan log (last 30 lines)'",
    "if [ -s /run/charon.log ]; then tail -n 30 /run/charon.log; else "
    "journalctl -q -n 30 --no-pager -t charon -t charon-systemd -t ipsec_starter 2>&1; fi",
]
PING_COUNT = 3
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def ping(address: str) -> list[str]:
    return [f"ping -n -c {PING_COUNT} -i 0.2 -W 1 {ipaddress.IPv4Address(address)}"]


def tunnel_status(name: str) -> list[str]:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a connection name: {name!r}")
    return [f"swanctl --list-sas --ike {name} 2>&1 || ipsec status {name} 2>&1"]


def bgp_neighbor(address: str) -> list[str]:
    """The VPN server's FRR on its session with AWS's inside address."""
    return [f"vtysh -c 'show bgp neighbors {ipaddress.IPv4Address(address)} json' 2>&1"]


def is_vpnlab_command(commands: list[str], node: str) -> bool:
    """Is this what vpnlab sends to ``node``? Ping goes to any instance; the
    setup state, diagnostics, tunnel and BGP status only to the VPN server."""
    words = commands[0].split() if len(commands) == 1 else [""]
    try:
        if commands == ping(words[-1]):
            return True
    except ValueError:
        pass
    if node != "server":
        return False
    if commands in (SETUP_STATE, DIAGNOSTICS):
        return True
    try:
        if len(words) > 5 and commands == bgp_neighbor(words[5]):
            return True
    except ValueError:
        pass
    name = words[3] if len(words) > 3 else ""
    return bool(_NAME.fullmatch(name)) and commands == tunnel_status(name)
