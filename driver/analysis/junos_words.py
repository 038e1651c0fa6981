"""The rules every implementation's tunnels answer to (router_rules.py) and the BGP
rules (cgw_bgp_rules.py), said and fixed in Junos's words: junos_rules.py's
vocabulary."""

from __future__ import annotations

# The shared rules' words for what Junos calls otherwise.
WORDS = {
    "(start_action = none)": "(establish-tunnels responder-only)",
    "dpdaction is trap": "Junos starts it again only on traffic (establish-tunnels on-traffic)",
    "dpdaction is hold": "responder-only: Junos never starts it again",
}
IMMEDIATELY = "set security ipsec vpn <vpn> establish-tunnels immediately"
# The shared rules' fixes, in Junos's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an ike gateway (address <the tunnel's "
    "outside IP>) and an ipsec vpn naming it, bound to its own st0 unit, for each",
    "conf-no-initiator": IMMEDIATELY,
    "conf-dpdaction": f"{IMMEDIATELY}, and set security ike gateway <gateway> "
    "dead-peer-detection interval 10 threshold 3",
    "conf-right": "delete security ike gateway <gateway> address; set security ike gateway "
    "<gateway> address <the tunnel's outside IP>",
    "conf-selectors": "delete the vpn's traffic-selector and proxy-identity (route-based: "
    "0.0.0.0/0), or set them to the VPN connection's CIDRs",
    "conf-leftid": "set security ike gateway <gateway> local-identity inet <the customer "
    "gateway's public address>",
    "conf-mtu": "set interfaces st0.N family inet mtu 1436 and set security flow tcp-mss "
    "ipsec-vpn mss 1387, as AWS's sample does",
    "conf-weak-proposal": "encryption-algorithm aes-256-cbc, authentication-algorithm sha-256, "
    "dh-group group14 in the ike proposal; hmac-sha-256-128 and perfect-forward-secrecy keys "
    "group14 on the ipsec side",
    "conf-psk-mismatch": "set security ike policy <policy> pre-shared-key ascii-text <the VPN "
    "connection's key>",
    "conf-secret-missing": "set security ike policy <policy> pre-shared-key ascii-text <the "
    "VPN connection's key>",
    "conf-sa-pairs": "one traffic-selector per vpn (covering the VPN connection's CIDRs), or "
    "none (0.0.0.0/0, route-based)",
}
_BGP = "set protocols bgp group <group> neighbor <AWS's inside address>"
BGP_HINTS = {
    "bgp-remote-as": f"{_BGP} peer-as <the VGW's ASN>",
    "bgp-local-as": "set routing-options autonomous-system <the customer gateway's ASN>",
    "bgp-neighbors": f"{_BGP} peer-as <the VGW's ASN> (the .1 of each tunnel's /30)",
    "bgp-timers": f"{_BGP} hold-time 30",
    "bgp-config-missing": "set protocols bgp group <group> type external, a neighbor per "
    "tunnel, and set routing-options autonomous-system <ASN>",
    "bgp-shutdown": "activate protocols bgp group <group> neighbor <address>",
}
