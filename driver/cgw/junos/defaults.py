"""What Junos takes for a statement a configuration leaves out: the verdict depends
on it (a gateway that never says ``version`` speaks IKEv1 only; a VPN that never
says ``establish-tunnels`` waits for traffic), so lint and init say which they used.

Sources: Juniper's YANG for SRX (Juniper/yang @ 2a696d62, 24.4R1 junos-es-conf-security:
gateway ``version`` default ``v1-only`` (the same in 17.4 and 18.2), ike policy
``mode`` default ``main``, ``dead-peer-detection`` a presence container whose
``interval`` defaults to 10 and ``threshold`` to 5, ``nat-keepalive`` 20, vpn
``establish-tunnels`` default ``on-traffic``, ``perfect-forward-secrecy keys`` with no
default (no PFS unless configured)); Juniper's statement pages (dead-peer-detection:
"optimized … the default DPD mode"; hold-time (Protocols BGP): "Default: 90 seconds",
keepalive a third of it). Lifetimes, where the YANG gives only a range: 28,800 s for an
IKE proposal (Batfish's Juniper model, IkeProposal.java, citing Juniper's
lifetime-seconds page) and 3,600 s for an IPsec proposal (Google's Juniper SRX interop
guide: "The default on a Juniper SRX is 3600 seconds"): secondary sources, said as such.
A proposal's algorithms have no default (the YANG gives none): left out, lint says so
and the twin refuses rather than guess.
"""

from __future__ import annotations

RELEASE = "Junos 24.4"

GATEWAY = {
    ("version",): "v1-only",
    ("dead-peer-detection", "interval"): "10",
    ("dead-peer-detection", "threshold"): "5",
}
IKE_POLICY = {("mode",): "main"}
VPN = {("establish-tunnels",): "on-traffic"}
IKE_LIFETIME = 28800  # secondary source (Batfish)
IPSEC_LIFETIME = 3600  # secondary source (Google's SRX guide)
BGP_HOLD = 90
