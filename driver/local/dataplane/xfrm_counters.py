"""The kernel's IPsec error counters (/proc/net/xfrm_stat), per namespace.

With kernel ESP a packet the IPsec layer refuses leaves no log line and no
ICMP error: the only evidence is a counter in the namespace that refused it
(Linux's Documentation/networking/xfrm_proc.rst names them). A failed ping
reads them before and after, and says which moved, in words.
"""

from __future__ import annotations

import os
from pathlib import Path

from driver.local.dataplane.netns import Namespace

# The counters a ping over a tunnel can move, and what moving means.
MEANING = {
    "XfrmInNoStates": "no SA for an arriving ESP packet's SPI (the peer uses an SA this side "
    "has deleted or never had)",
    "XfrmInTmplMismatch": "decrypted by an SA that the matching policy does not name: Linux "
    "keeps one policy per selector pair, bound to one tunnel, so two policy-based tunnels "
    "with identical selectors accept traffic on only one of them",
    "XfrmInNoPols": "a decrypted packet that no inbound policy allows",
    "XfrmInPolBlock": "an inbound policy blocks the packet",
    "XfrmFwdHdrError": "a forwarded packet the policy check refused",
    "XfrmOutNoStates": "a policy sends the packet into a tunnel that has no SA (yet)",
    "XfrmOutPolBlock": "an outbound policy blocks the packet",
    "XfrmInStateProtoError": "ESP that does not decrypt or authenticate (keys differ)",
    "XfrmInStateExpired": "ESP on an SA that has expired",
}


def read(ns: Namespace) -> dict[str, int]:
    """The namespace's counters (empty where the kernel has no IPsec statistics)."""
    text = _through_a_process(ns)
    if text is None:  # no process in it: enter it (a process more: ~0.1 s in the guest)
        text = ns.exec("cat", "/proc/net/xfrm_stat", check=False).stdout
    counters = {}
    for line in text.splitlines():
        name, *value = line.split()
        if len(value) == 1 and value[0].isdecimal():
            counters[name] = int(value[0])
    return counters


def moved(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The counters that grew, by how much, among those with a meaning."""
    return {
        name: after[name] - before.get(name, 0)
        for name in MEANING
        if after.get(name, 0) > before.get(name, 0)
    }


def explain(where: str, grew: dict[str, int]) -> list[str]:
    """One phrase per counter that moved at ``where`` (a node named for people)."""
    return [f"{where}'s kernel counted {n} × {name}: {MEANING[name]}" for name, n in grew.items()]


def _through_a_process(ns: Namespace) -> str | None:
    """/proc/PID/net is the namespace of process PID: a charon's there is its node's.
    Read only if that process is still in the namespace afterwards (not a PID reused)."""
    try:
        namespace = os.stat(f"/run/netns/{ns.name}")
    except OSError:
        return None
    for pid in ns.pids()[:1]:
        try:
            text = Path(f"/proc/{pid}/net/xfrm_stat").read_text()
            still = os.stat(f"/proc/{pid}/ns/net")
        except OSError:
            return None
        if (still.st_ino, still.st_dev) == (namespace.st_ino, namespace.st_dev):
            return text
    return None
