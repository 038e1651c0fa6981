"""What an RTX takes for a command its configuration leaves out: ``show config``
prints no command at its initial value, so most of what decides the verdict is
here (an RTX that never says ``ipsec ike version`` speaks IKEv1; one that never
says ``ipsec auto refresh on`` never starts a key exchange), and lint and init say
which they used.

Source: Yamaha's command reference (Japanese edition for vRX, RTX5000, RTX3510,
RTX3500, RTX1300, RTX1220, RTX1210, RTX840, RTX830), chapter 15 "IPsec の設定",
each command's [初期値]: ipsec ike version 1 (§15.2); ipsec auto refresh off for the
router, on per security gateway (§15.10); ipsec ike encryption 3des-cbc (§15.22),
hash sha (§15.25), group modp1024 (§15.24), pfs off (§15.30), keepalive use auto with
interval 10 and count 6 (§15.20), nat-traversal off (§15.48.5), proposal-limitation
off (§15.44), duration isakmp-sa and ipsec-sa 28800 s (§15.48.1); ipsec sa policy's
ESP cipher aes-cbc and no integrity algorithm (§15.48.2). Chapter 29 "BGP": bgp
neighbor hold-time 180 (§29.12), nothing announced without bgp import (§29.9).
"""

from __future__ import annotations

RELEASE = "RTX1210 Rev.14.01"

GATEWAY = {
    ("version",): "1",
    ("encryption",): "3des-cbc",
    ("hash",): "sha",
    ("group",): "modp1024",
    ("pfs",): "off",
    ("duration", "isakmp-sa"): "28800",
    ("duration", "ipsec-sa"): "28800",
    ("keepalive", "use"): "auto",
    ("nat-traversal",): "off",
    ("proposal-limitation",): "off",
}
KEEPALIVE = (10, 6)  # interval (s), count
ESP_CIPHER = "aes-cbc"  # ipsec sa policy P G esp, with no algorithm
BGP_HOLD = 180
# IKEv2 without proposal-limitation on: every algorithm the RTX supports, proposed
# at once, whatever encryption, hash and ipsec sa policy say (§15.44, §15.48.2), in
# the order it prefers them as a responder (AES192 has no keyword, and SHA-384/512
# exist on RTX1300 and RTX3510 only: left out, as on an RTX1210).
IKEV2_CIPHERS = ("aes256-cbc", "aes-cbc", "3des-cbc", "des-cbc")
IKEV2_HASHES = ("sha256", "sha", "md5")
IKEV2_ESP_HASHES = ("sha256-hmac", "sha-hmac", "md5-hmac")
IKEV2_GROUPS = ("modp2048", "modp1536", "modp1024", "modp768")
