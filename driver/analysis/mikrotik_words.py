"""The rules every implementation's tunnels answer to (router_rules.py), said and
fixed in RouterOS's words (its /ip ipsec menus and their properties, as an export
writes them): mikrotik_rules.py's vocabulary."""

from __future__ import annotations

# The shared rules' words for what RouterOS calls otherwise.
WORDS = {
    "(start_action = trap)": "(RouterOS negotiates when a policy needs an SA)",
    "dpdaction is hold; when AWS clears the tunnel it stays down": "after DPD, RouterOS "
    "keeps its policy and negotiates again only when traffic needs it: when AWS clears the "
    "tunnel, it stays down until the router sends something across it",
    "dpdaction is none": "the profile's DPD is off (dpd-interval=disable-dpd)",
    "a Linux kernel keeps one policy for them, bound to one tunnel, and drops what AWS "
    "sends over the other (XfrmInTmplMismatch)": "RouterOS sends by the first matching "
    "policy: the other tunnel carries nothing from the router, and what AWS sends over it "
    "is not the policy's",
}
_POLICY = "/ip ipsec policy"
# The shared rules' fixes, in RouterOS's words.
HINTS = {
    "conf-tunnel-count": "configure both tunnels: an /ip ipsec peer per AWS outside address, "
    "each with its identity and a tunnel-mode policy (peer=<it>)",
    "conf-no-initiator": "traffic across the tunnel (a /tool netwatch or /ping script) brings "
    "it up; RouterOS has no tunnel interface that starts by itself",
    "conf-dpdaction": "/ip ipsec profile: dpd-interval=10s dpd-maximum-failures=3",
    "conf-trap": "traffic across the tunnel brings it up (RouterOS negotiates on demand)",
    "conf-right": "/ip ipsec peer: address=<the tunnel's outside IP>/32",
    "conf-selectors": f"{_POLICY}: src-address=<on-prem network> dst-address=<VPC network> "
    "tunnel=yes",
    "conf-leftid": "/ip ipsec identity: my-id=address:<the customer gateway's public address>",
    "conf-mtu": "/ip firewall mangle add chain=forward action=change-mss new-mss=1379 "
    "protocol=tcp tcp-flags=syn ipsec-policy=out,ipsec (AWS's MSS with AES-CBC and NAT-T)",
    "conf-weak-proposal": "/ip ipsec profile: enc-algorithm=aes-256 hash-algorithm=sha256 "
    "dh-group=modp2048; /ip ipsec proposal: enc-algorithms=aes-256-cbc "
    "auth-algorithms=sha256 pfs-group=modp2048",
    "conf-ike-proposal": "/ip ipsec profile with what the VPN allows (enc-algorithm, "
    "hash-algorithm, dh-group)",
    "conf-esp-proposal": "/ip ipsec proposal with what the VPN allows (enc-algorithms, "
    "auth-algorithms, pfs-group)",
    "conf-psk-mismatch": "/ip ipsec identity: secret=<the VPN connection's key> for the "
    "tunnel's peer",
    "conf-secret-missing": "/ip ipsec identity add peer=<the tunnel's peer> "
    "secret=<the VPN connection's key>",
    "conf-identical-selectors": "one policy for the VPC's network, on one tunnel, and the "
    "other tunnel's as a backup (disabled=yes, enabled when the first fails): RouterOS has "
    "no route-based tunnels",
    "conf-sa-pairs": f"one {_POLICY} per peer, its networks covering the VPN connection's "
    "CIDRs (src-address=0.0.0.0/0 as AWS's own tunnel is)",
    "conf-ike-version": "/ip ipsec peer: exchange-mode=ike2 (IKEv2) or main (IKEv1), as the "
    "tunnel allows",
    "conf-keyingtries": "RouterOS retries for ever by itself",
}
