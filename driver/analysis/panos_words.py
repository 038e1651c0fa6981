"""The rules every implementation's tunnels answer to (router_rules.py) and the BGP
rules (cgw_bgp_rules.py), said and fixed in PAN-OS's words: panos_rules.py's
vocabulary."""

from __future__ import annotations

# The shared rules' words for what PAN-OS calls otherwise.
WORDS = {
    "(start_action = none)": "(passive-mode yes: responder only)",
    "dpdaction is trap": "without tunnel monitoring PAN-OS starts it again only on traffic",
    "dpdaction is hold": "passive mode: PAN-OS never starts it again",
}
MONITOR = (
    "set network tunnel ipsec <tunnel> tunnel-monitor enable yes, destination-ip <AWS's "
    "inside address of the tunnel>"
)
# The shared rules' fixes, in PAN-OS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an IKE gateway (peer-address ip <the "
    "tunnel's outside IP>) and a network tunnel ipsec naming it, for each",
    "conf-no-initiator": "set network ike gateway <gateway> protocol-common passive-mode no, "
    f"and {MONITOR}",
    "conf-dpdaction": MONITOR,
    "conf-right": "set network ike gateway <gateway> peer-address ip <the tunnel's outside IP>",
    "conf-selectors": "remove the tunnel's proxy-id (PAN-OS proposes 0.0.0.0/0, as AWS's "
    "route-based tunnels do), or set its local and remote to the VPN connection's CIDRs",
    "conf-leftid": "set network ike gateway <gateway> local-id type ipaddr id <the customer "
    "gateway's public address>, or leave local-id out",
    "conf-mtu": "set network interface tunnel units <tunnel.N> mtu 1427, and TCP MSS "
    "adjustment on the outside interface (adjust-tcp-mss enable yes)",
    "conf-weak-proposal": "encryption aes-256-cbc, hash sha256, dh-group group14 in the IKE "
    "crypto profile; esp encryption aes-256-cbc, authentication sha256, dh-group group14 in "
    "the IPsec crypto profile",
    "conf-psk-mismatch": "set network ike gateway <gateway> authentication pre-shared-key key "
    "<the VPN connection's key>",
    "conf-secret-missing": "set network ike gateway <gateway> authentication pre-shared-key "
    "key <the VPN connection's key>",
    "conf-sa-pairs": "one proxy-id per tunnel (its local and remote covering the VPN "
    "connection's CIDRs), or none (0.0.0.0/0, route-based)",
}
# The BGP rules' fixes (cgw_bgp_rules.py), in PAN-OS's words.
_BGP = "set network virtual-router <VR> protocol bgp"
BGP_HINTS = {
    "bgp-remote-as": f"{_BGP} peer-group <group> peer <peer> peer-as <the VGW's ASN>",
    "bgp-local-as": f"{_BGP} local-as <the customer gateway's ASN>",
    "bgp-neighbors": f"{_BGP} peer-group <group> peer <peer> peer-address ip <AWS's inside "
    "address, the .1 of each tunnel's /30>, local-address interface <tunnel.N>",
    "bgp-timers": f"{_BGP} peer-group <group> peer <peer> connection-options "
    "keep-alive-interval 10 hold-time 30",
    "bgp-config-missing": f"{_BGP} enable yes, local-as <ASN> and a peer per tunnel",
    "bgp-shutdown": f"{_BGP} peer-group <group> peer <peer> enable yes",
}
