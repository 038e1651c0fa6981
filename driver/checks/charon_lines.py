"""Reading charon's log lines: which tunnel a line is about, and which IKE version
its exchanges speak (driver/checks/diagnosis.py reads the causes from them)."""

from __future__ import annotations

import re

TUNNEL = re.compile(r"<(Tunnel\d)\|")


def tunnel_of(line: str) -> str | None:
    match = TUNNEL.search(line)
    return match.group(1) if match else None


def last_lines(log: str, tunnel: str, count: int = 4) -> list[str]:
    """What a log last says of a tunnel (for a failure no pattern explains)."""
    mine = [line for line in log.splitlines() if f"<{tunnel}|" in line]
    return mine[-count:]


def named(lines: list[str], addresses: tuple[str, ...]) -> list[str]:
    """charon names an IKE SA's lines after its connection only once it found one;
    before that (no config, aggressive mode) they read ``<n>``: name them after the
    tunnel whose address the packets came to."""
    owner: dict[str, str] = {}
    for line in lines:
        came = re.search(r"<(\d+)> received packet: from \S+ to ([\d.]+)\[", line)
        if came and came.group(2) in addresses:
            owner.setdefault(came.group(1), f"Tunnel{addresses.index(came.group(2)) + 1}")

    def name(match: re.Match) -> str:
        sa = match.group(1)
        return f"<{owner[sa]}|{sa}>" if sa in owner else match.group(0)

    return [re.sub(r"<(\d+)>", name, line, count=1) for line in lines]


def versions_of(lines: list[str]) -> dict[str | None, str]:
    """Each tunnel's IKE version, from the exchanges its lines name."""
    found: dict[str | None, str] = {}
    for line in lines:
        if any(x in line for x in ("ID_PROT", "AGGRESSIVE", "_V1 ", "QUICK_MODE", "IKEv1")):
            found.setdefault(tunnel_of(line), "IKEv1")
        elif any(x in line for x in ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "IKEv2")):
            found.setdefault(tunnel_of(line), "IKEv2")
    return found
