"""Causes a Libreswan customer gateway's own log (pluto's) names, in vpnlab's words.

charon's log is read by diagnosis.py; pluto words the same events differently,
and some causes only it sees. Each cause quotes pluto's line, says what AWS
sees, and how to fix it on the customer's side.
"""

from __future__ import annotations

import re

# pluto keeps one IPsec policy (eroute) per pair of subnets: a second conn with the
# same subnets (AWS's two tunnels, policy-based) cannot install its CHILD_SA's.
_EROUTE = re.compile(
    r'"([^"]+)"(?:\[\d+\])? #\d+: cannot install eroute -- it is in use for "([^"]+)"'
)


def causes(log: str) -> list[str]:
    """Each distinct cause pluto's log shows, once."""
    found: dict[tuple[str, str], str] = {}
    for line in log.splitlines():
        if match := _EROUTE.search(line):
            conn, owner = match.groups()
            found.setdefault(
                (conn, owner),
                f"the customer gateway (Libreswan) could not install conn {conn}'s IPsec policy "
                f'("cannot install eroute -- it is in use for "{owner}""): its conns share their '
                "subnets, Libreswan holds one policy per pair of subnets, so that tunnel's "
                "CHILD_SA fails and is retried again and again, and AWS's traffic on it is lost "
                "(hint: make both tunnels route-based, vti-interface= and mark= per tunnel with "
                "leftsubnet=rightsubnet=0.0.0.0/0, as AWS recommends for its two tunnels)",
            )
    return list(found.values())
