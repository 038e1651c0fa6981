"""The rules every implementation's tunnels answer to (router_rules.py), said and
fixed in pfSense's words (its VPN > IPsec pages, and the config.xml element each
field is saved in): pfsense_rules.py's vocabulary."""

from __future__ import annotations

P1 = "VPN > IPsec > Tunnels, the phase 1"
P2 = "the phase 2"
# The shared rules' words for what pfSense calls otherwise.
WORDS = {
    "(start_action = none)": "(Child SA Start Action: None)",
    "(start_action = trap)": "(Child SA Start Action: on traffic, pfSense's default)",
    "dpdaction is none": "Dead Peer Detection is off",
    "dpdaction is hold": "DPD's action is trap (pfSense's in tunnel mode)",
    "dpdaction is clear": "DPD's action is clear",
    "keyingtries is 1": "pfSense writes no keyingtries (strongSwan's default: one try)",
}
_KEY = f"{P1}: Pre-Shared Key <the VPN connection's key> (<pre-shared-key>)"
# The shared rules' fixes, in pfSense's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: a phase 1 per AWS outside address (Remote "
    "Gateway), each with its own phase 2",
    "conf-no-initiator": f"{P1}: Child SA Start Action Initiate at start (<startaction>start"
    "</startaction>), or a Routed VTI phase 2 (it starts by itself)",
    "conf-dpdaction": f"{P1}: Close Action Restart/Reconnect (<closeaction>start</closeaction>), "
    "with Dead Peer Detection on (Delay 10, Max failures 5)",
    "conf-keyingtries": f"{P2}: Keep Alive (<keepalive>enabled</keepalive>: pfSense starts a "
    "tunnel it finds down again)",
    "conf-right": f"{P1}: Remote Gateway <the tunnel's outside IP> (<remote-gateway>)",
    "conf-selectors": f"{P2}: Mode Routed (VTI) with the tunnel's inside addresses, or Tunnel "
    "IPv4 with the VPN connection's CIDRs as Local and Remote Network",
    "conf-leftid": f"{P1}: My identifier IP address <the customer gateway's public address> "
    "(<myid_type>address</myid_type>)",
    "conf-mtu": "Interfaces > the VTI's interface: MSS 1379 (or System > Advanced > Firewall & "
    "NAT: Enable Maximum MSS for VPN traffic, 1379)",
    "conf-weak-proposal": f"{P1}: Encryption Algorithm AES 256, Hash SHA256, DH group 14; {P2}: "
    "Encryption Algorithms AES 256, Hash Algorithms SHA256",
    "conf-ike-proposal": f"{P1}: Encryption Algorithm AES 128, Hash SHA256, DH group 14 (what "
    "the tunnel options allow)",
    "conf-esp-proposal": f"{P2}: Encryption Algorithms AES 128, Hash Algorithms SHA256 (what "
    "the tunnel options allow)",
    "conf-psk-mismatch": _KEY,
    "conf-secret-missing": _KEY,
    "conf-sa-pairs": "one phase 2 per phase 1 (a Routed VTI, or the VPN connection's CIDRs): "
    "AWS holds one SA pair per tunnel",
}
