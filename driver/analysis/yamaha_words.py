"""The rules every implementation's tunnels answer to (router_rules.py) and the BGP
rules (cgw_bgp_rules.py), said and fixed in a Yamaha RTX's words: yamaha_rules.py's
vocabulary."""

from __future__ import annotations

# The shared rules' words for what the RTX calls otherwise.
WORDS = {
    "(start_action = none)": "(no ipsec auto refresh on)",
    "dpdaction is hold": "without ipsec auto refresh on the RTX never starts it again",
}
REFRESH = "ipsec auto refresh on (and no ipsec auto refresh <gw> off)"
# The shared rules' fixes, in the RTX's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: a tunnel select N with ipsec tunnel <policy>, "
    "its ipsec sa policy <policy> <gw> esp …, and ipsec ike remote address <gw> <the tunnel's "
    "outside IP>, for each",
    "conf-no-initiator": REFRESH,
    "conf-dpdaction": f"{REFRESH}, and ipsec ike keepalive use <gw> on dpd 10 3",
    "conf-right": "ipsec ike remote address <gw> <the tunnel's outside IP>",
    "conf-selectors": "ipsec ike local id <gw> 0.0.0.0/0 and ipsec ike remote id <gw> "
    "0.0.0.0/0 (route-based), or the VPN connection's CIDRs",
    "conf-leftid": "ipsec ike local address <gw> <the customer gateway's public address>, and "
    "no ipsec ike local name <gw>",
    "conf-mtu": "ip tunnel tcp mss limit 1387, as AWS's sample does",
    "conf-weak-proposal": "ipsec ike encryption <gw> aes256-cbc, ipsec ike hash <gw> sha256, "
    "ipsec ike group <gw> modp2048, and ipsec sa policy <policy> <gw> esp aes256-cbc "
    "sha256-hmac",
    "conf-ike-proposal": "ipsec ike encryption <gw> aes-cbc, ipsec ike hash <gw> sha256 and "
    "ipsec ike group <gw> modp2048 (what the tunnel options allow)",
    "conf-esp-proposal": "ipsec sa policy <policy> <gw> esp aes-cbc sha256-hmac (what the "
    "tunnel options allow)",
    "conf-psk-mismatch": "ipsec ike pre-shared-key <gw> text <the VPN connection's key>",
    "conf-secret-missing": "ipsec ike pre-shared-key <gw> text <the VPN connection's key>",
    "conf-sa-pairs": "one tunnel select per AWS tunnel, each with its own security gateway",
}
_BGP = "bgp neighbor <id> <the VGW's ASN> <AWS's inside address>"
BGP_HINTS = {
    "bgp-remote-as": _BGP,
    "bgp-local-as": "bgp autonomous-system <the customer gateway's ASN>",
    "bgp-neighbors": f"{_BGP} hold-time=30 local-address=<the RTX's inside address> per tunnel "
    "(AWS's is the .1 of each tunnel's /30, the RTX's the .2)",
    "bgp-timers": f"{_BGP} hold-time=30",
    "bgp-config-missing": "bgp use on, bgp autonomous-system <ASN>, a bgp neighbor per tunnel, "
    "and bgp import <the VGW's ASN> static filter 1 with bgp import filter 1 equal <your "
    "network>",
}
