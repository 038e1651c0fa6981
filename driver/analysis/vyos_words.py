"""The rules every implementation's tunnels answer to (router_rules.py) and the BGP
rules (cgw_bgp_rules.py), said and fixed in VyOS's words: vyos_rules.py's
vocabulary. The fixes are set commands, which every form VyOS is handed in takes."""

from __future__ import annotations

_IKE = "set vpn ipsec ike-group <group>"
_PEER = "set vpn ipsec site-to-site peer <peer>"
_ESP = "set vpn ipsec esp-group <group>"
_KEY = (
    "1.4: set vpn ipsec authentication psk <name> id <the tunnel's outside IP>; set vpn ipsec "
    "authentication psk <name> secret <the VPN connection's key>. 1.3, EdgeOS: "
    f"{_PEER} authentication pre-shared-secret <the VPN connection's key>"
)
# The shared rules' words for what VyOS calls otherwise.
WORDS = {
    "(start_action = none)": "(connection-type none)",
    "(start_action = trap)": "(connection-type respond)",
    "dpdaction is none": "no dead-peer-detection",
    "dpdaction is hold": "dead-peer-detection action hold",
    "dpdaction is clear": "dead-peer-detection action clear",
    "keyingtries is 1": "connection-type respond tries once",
}
# The shared rules' fixes, in VyOS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: a site-to-site peer per tunnel outside "
    "address, each with its ike-group, its key and vti bind vtiN (vti esp-group <group>)",
    "conf-no-initiator": f"{_PEER} connection-type initiate",
    "conf-dpdaction": f"{_IKE} dead-peer-detection action restart, interval 15 and timeout 30, "
    "as AWS's sample does",
    "conf-keyingtries": f"{_PEER} connection-type initiate",
    "conf-right": f"{_PEER} remote-address <the tunnel's outside IP> (1.3: the peer's name is "
    "the address)",
    "conf-selectors": f"{_PEER} vti bind vtiN (selectors 0.0.0.0/0), or tunnel N local prefix "
    "and remote prefix with the VPN connection's CIDRs",
    "conf-leftid": f"{_PEER} authentication local-id <the customer gateway's public address> "
    "(1.3: authentication id)",
    "conf-mtu": "set interfaces vti vtiN mtu 1436; set interfaces vti vtiN ip adjust-mss 1379",
    "conf-weak-proposal": f"{_IKE} proposal 1 encryption aes256; {_IKE} proposal 1 hash sha256; "
    f"{_IKE} proposal 1 dh-group 14; {_ESP} proposal 1 encryption aes256; {_ESP} proposal 1 "
    "hash sha256",
    "conf-ike-proposal": f"{_IKE} proposal 1 encryption aes128; {_IKE} proposal 1 hash sha256; "
    f"{_IKE} proposal 1 dh-group 14 (what the tunnel options allow)",
    "conf-esp-proposal": f"{_ESP} proposal 1 encryption aes128; {_ESP} proposal 1 hash sha256 "
    "(what the tunnel options allow)",
    "conf-psk-mismatch": _KEY,
    "conf-secret-missing": _KEY,
    "conf-sa-pairs": "one site-to-site peer per AWS tunnel with vti bind, or one tunnel N with "
    "the VPN connection's CIDRs",
}
_BGP = "set protocols bgp neighbor <AWS's inside address> remote-as <the VGW's ASN>"
BGP_HINTS = {
    "bgp-remote-as": _BGP,
    "bgp-local-as": "set protocols bgp system-as <the customer gateway's ASN> (1.3: protocols "
    "bgp <ASN>)",
    "bgp-neighbors": f"{_BGP}, one per tunnel (AWS's is the .1 of each tunnel's /30, VyOS's the "
    ".2)",
    "bgp-timers": "set protocols bgp neighbor <AWS's inside address> timers holdtime 30; set "
    "protocols bgp neighbor <AWS's inside address> timers keepalive 10 (1.3, EdgeOS: protocols "
    "bgp <ASN> neighbor …)",
    "bgp-config-missing": "set protocols bgp system-as <ASN>, a neighbor per tunnel, and "
    "address-family ipv4-unicast network <your network>",
}
