"""What AWS writes in its Site-to-Site VPN tunnel logs (CloudWatch) for each cause
vpnlab diagnoses, so a reason reads as the user will later see it on AWS.

The messages are AWS's published catalogue, verbatim ("Site-to-Site VPN logs",
docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html: the IKEv1, IKEv2 and
IKEv2-negotiation tables; ``xxxx`` is the customer gateway's address there; and
the BGP status table, ``{ip: xxx}`` the neighbour's address).
Where AWS publishes no message for a cause, the entry says so and why: a
diagnosis never invents a log line. Every diagnosis names an entry here
(tests/checks/test_diagnosis.py fails on one that does not).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    ikev1: str | None  # the message AWS logs for an IKEv1 tunnel, if any
    ikev2: str | None
    silent: str = ""  # for a version without a message: why AWS logs nothing

    def message(self, version: str | None, cgw: str) -> str | None:
        """The message for this IKE version (either, when it is not known)."""
        by_version = {"IKEv1": [self.ikev1], "IKEv2": [self.ikev2]}
        found = [m for m in by_version.get(version, [self.ikev1, self.ikev2]) if m]
        return " / ".join(dict.fromkeys(m.replace("xxxx", cgw) for m in found)) or None


NOTHING_ARRIVES = "AWS logs what its endpoint receives, and nothing reached it"
CATALOGUE = {
    "psk": Entry(
        "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
        "AWS tunnel detected a pre-shared key mismatch with cgw: xxxx",
    ),
    "phase1-proposal": Entry("No Proposal Match Found by AWS", "No Proposal Match Found by AWS"),
    "phase2-proposal": Entry(
        'No Proposal Match Found. Notifying with "No proposal chosen"',
        'No Proposal Match Found. Notifying with "No proposal chosen"',
    ),
    "selectors": Entry(
        None,
        "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
        "AWS publishes no IKEv1 message for traffic selectors",
    ),
    "identity": Entry(
        None,
        "AWS tunnel is sending AUTHENTICATION_FAILED as the response",
        "AWS publishes no message for an identity in IKEv1",
    ),
    "no-answer": Entry(None, None, NOTHING_ARRIVES),
    "nat-t": Entry(
        None,
        "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: xxxx",
        "AWS publishes no IKEv1 message for a negotiation that stops half-way",
    ),
    # AWS answered the first exchange and never saw the next: the SA it set up times out
    "answers-lost": Entry(
        None,
        "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: xxxx",
        "AWS publishes no IKEv1 message for a negotiation that stops half-way",
    ),
    "ike-version": Entry(
        None, None, "AWS publishes no message for an IKE version the tunnel does not accept"
    ),
    "aggressive-mode": Entry(
        None,
        None,
        "AWS publishes no message for aggressive mode; its guide says "
        '"We support Main mode only with IKEv1." (cgw-requirements)',
    ),
    "never-initiated": Entry(None, None, NOTHING_ARRIVES),
    "dpd": Entry(
        "Peer is not responsive - Declaring peer dead",
        "AWS tunnel DPD timed out after {retry_count} retransmits",
    ),
    # The customer gateway's own files: what its charon refuses never leaves it.
    "customer-side": Entry(None, None, "the cause is on the customer gateway; AWS sees no change"),
}


def quoted(key: str, version: str | None, cgw: str) -> str:
    """``AWS's tunnel log: "…"``, or what AWS's log shows instead (nothing, and why)."""
    entry = CATALOGUE[key]
    message = entry.message(version, cgw)
    if message:
        return f'AWS\'s tunnel log: "{message}"'
    return f"AWS's tunnel log: nothing ({entry.silent})"


# The BGP log's messages (#sample-bgp-status-messages), as the VGW side logs them.
BGP = {
    "bgp-prefix-limit": "AWS-side peer sent a notification 6/1 (Cease/Maximum Number of "
    "Prefixes Reached) to neighbor {ip}",
    "bgp-stuck-connect": "AWS-side peer BGP session state has changed from Connect to Active "
    "with neighbor {ip}",
    "bgp-hold-timer": "AWS-side peer sent a Hold Timer Expired notification to neighbor {ip}",
    "bgp-down": "AWS-side peer BGP session state has changed from Established to Idle with "
    "neighbor {ip}",
}


def bgp_quoted(key: str, ip: str) -> str:
    """``AWS's BGP log: "…"`` for the VGW's side of a session with ``ip``."""
    return f'AWS\'s BGP log: "{BGP[key].format(ip=ip)}"'
