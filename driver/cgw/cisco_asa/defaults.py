"""What a Cisco ASA takes for a command its configuration leaves out: the verdict
depends on it (a crypto map without ``set security-association lifetime`` keeps
its SAs eight hours, past AWS's one-hour limit; without ``set pfs`` phase 2 has
no PFS, which AWS requires), so lint, init and the twin's report say which
defaults they used.

Sources, by value:
- IKEv1 policy: lifetime 86,400 s; encryption 3DES (168-bit), hash SHA-1, DH
  group 2 (1024-bit), pre-shared keys: "If an IKE policy does not specify a
  parameter …, the ASA will use the default value" (Cisco ASA 5500 Series
  Configuration Guide using the CLI 8.4, ch. 64 "Configuring ISAKMP", table of
  IKEv1 policy parameters; the same values as an ASA 8.4 certification question,
  exampost.net, "PSK-based authentication, 168-bit DES, 1024-bit DH group").
- IKEv2 policy: PRF "sha (default)", lifetime 86,400 s, "not negotiated but
  managed locally" (same guide, p. 64-11). "New ASA configurations do not have a
  default IKEv1 or IKEv2 policy" (Cisco ASA Series CLI Configuration Guide 9.x,
  "Configuring ISAKMP"): no policy, nothing offered.
- IPsec SA lifetime: "The default lifetimes are 28,800 seconds (eight hours) and
  4,608,000 kilobytes" (same guide, "Changing IPsec SA Lifetimes"); a crypto map
  or profile without its own takes the global ``crypto ipsec security-association
  lifetime``.
- PFS: off unless ``set pfs`` (same guide, "Defining Crypto Maps"); ``set pfs``
  without a group: group 2 (IOS's rule; ASA's guide does not say otherwise, and
  vpnlab marks the value as a default it relied on). Not confirmed for ASA 9.13 and
  later, which dropped DH group 2: there the bare command's group is unknown.
- DPD: on for a site-to-site tunnel group, ``isakmp keepalive threshold 10 retry 2``
  (the DefaultL2LGroup's ipsec-attributes, ``show running-config all``); the ASA
  sends one when it has received nothing for the threshold (Cisco ASA Command
  Reference, isakmp keepalive).
- NAT-T: on since 8.x ("This feature is enabled by default", Cisco ASA 9.14 ASDM
  VPN guide, "IKE Parameters for Site-to-Site VPN").
"""

from __future__ import annotations

RELEASE = "ASA 9.x"

IKEV1_POLICY = {
    "authentication": "pre-share",
    "encryption": "3des",
    "hash": "sha",
    "group": "2",
    "lifetime": "86400",
}
IKEV2_PRF = "sha"
IKEV2_LIFETIME = "86400"
IPSEC_SA_LIFETIME = "28800"
PFS_GROUP = "group2"  # set pfs with no group
DPD = (10, 2)  # isakmp keepalive threshold, retry
