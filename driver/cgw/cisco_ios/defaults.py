"""What Cisco IOS / IOS XE takes for a command a configuration leaves out: the verdict
depends on it (an ISAKMP policy that never says ``group`` offers DH group 1, which
AWS refuses; one that never says ``authentication pre-share`` is for certificates
and is not offered with a key), so lint, init and the twin's report say which
defaults they used.

Sources, by value (where Cisco's current IOS XE page was not at hand, the older
Cisco document that states it):
- ISAKMP policy: encryption 56-bit DES, hash SHA-1, authentication RSA signatures,
  lifetime 86,400 s: Cisco IOS XR System Security Configuration Guide,
  "Implementing IKE Security Protocol", table of default ISAKMP policy values;
  DH group 1 (768-bit): Cisco Secure PIX Firewall Advanced (CSPFA), "IKE Phase One
  Policy Parameters"; ``encryption aes`` is 128-bit (same table: aes / aes 192 /
  aes 256). "If a value for a parameter is not specified, the default value is
  assigned" and defaults are not shown by ``show running-config`` (Cisco
  Networking Academy, Fundamentals of Network Security 2).
- ``set pfs``: "By default, PFS is not requested"; ``set pfs`` without a group is
  group 1 ("The default (group1) is sent if the set pfs statement does not specify
  a group"): Cisco Community, "How to configure PFS with IPsec VPN".
- IPsec SA lifetime: "The default lifetimes are 3600 seconds (one hour) and
  4,608,000 kilobytes": Cisco 7100 Series VPN Configuration Guide, "Setting Global
  Lifetimes for IPSec SAs".
- DPD: off until ``crypto isakmp keepalive`` (or a profile's ``keepalive``);
  on-demand unless ``periodic`` is given: Cisco IOS XE 16, "IPsec Dead Peer
  Detection Periodic Message Option" ("the default approach (on-demand dead peer
  detection)").
- IKEv2: a profile's lifetime 86,400 s, DPD off (``show crypto ikev2 profile``).
  The default IKEv2 proposal changed between releases (IOS 15: AES-CBC-256/192/128
  with DH groups 5 and 2; IOS XE 17 on Catalyst 8000V: AES-CBC-256 with groups 19,
  14, 21 and 5, ``show crypto ikev2 proposal default``): vpnlab does not guess it;
  lint asks for a ``crypto ikev2 proposal`` and the twin refuses without one.
"""

from __future__ import annotations

RELEASE = "IOS XE 17"

ISAKMP_POLICY = {
    "encryption": "des",
    "hash": "sha",
    "authentication": "rsa-sig",
    "group": "1",
    "lifetime": "86400",
}
IPSEC_SA_LIFETIME = "3600"  # seconds, crypto ipsec security-association lifetime
IKEV2_LIFETIME = "86400"
