"""What VyOS (and EdgeOS) take for a setting the configuration leaves out, by
platform: the verdict depends on them, so lint, init and the check say which they
used.

Which platform a file is for is read from its syntax (conf.py, ``platform``): VyOS 1.4 and
later name a peer and give its ``remote-address``, keep keys in ``vpn ipsec
authentication psk`` and the AS in ``protocols bgp system-as``; VyOS 1.3 keys a
peer by its address and writes ``protocols bgp <ASN>``; EdgeOS (and VyOS ≤ 1.2,
whose Vyatta code EdgeOS descends from) writes the same, and a
``config.gateway.json`` or a ``vyatta-config-version`` footer is EdgeOS's.

Sources, each at the commit read:
- VyOS 1.4/1.5: vyos/vyos-1x sagitta @ c3f68865 (and current @ 3710c587, the same):
  ``interface-definitions/vpn_ipsec.xml.in`` — ike-group lifetime 28800, proposal
  aes128/sha1/dh-group 2, mode main, no key-exchange (``peer.j2``: ``version = 0``,
  IKEv2 first, either accepted), dead-peer-detection action clear, interval 30,
  timeout 120, rendered only when the node is configured (``vpn_ipsec.py``);
  esp-group lifetime 3600, pfs enable (the first IKE proposal's group, else 2:
  ``template.py get_esp_ike_cipher``), mode tunnel; peer connection-type none given
  → ``start_action = start``; remote-id %any. ``peer.j2`` writes the ESP lifetime
  as ``life_time`` with no ``rekey_time``: strongSwan's default, 1 h, rekeys it.
- VyOS 1.3: vyos/vyatta-cfg-vpn 1.3.6 @ dc6d97ce, ``scripts/vpn-config.pl``
  (``keyexchange=ike`` when none is set: IKEv2 first; ``IKELIFETIME_DEFAULT`` 28800,
  ``ESPLIFETIME_DEFAULT`` 3600, ``REKEYMARGIN_DEFAULT`` 540 s; DPD written only with
  its node, action hold; no connection-type → ``auto=start``) and its ``node.def``s.
- EdgeOS and VyOS ≤ 1.2: vyos/vyatta-cfg-vpn crux @ 03e70cd8 (helium @ c687e520
  the same): ``key-exchange`` defaults to ikev1; otherwise as 1.3.
"""

from __future__ import annotations

VYOS_14 = "VyOS 1.4"
VYOS_13 = "VyOS 1.3"
EDGEOS = "EdgeOS (or VyOS ≤ 1.2)"
RELEASE = "VyOS 1.4/1.3, EdgeOS"  # which: by the file's syntax (conf.py)

IKE_LIFETIME = 28800
ESP_LIFETIME = 3600
ENCRYPTION = "aes128"
HASH = "sha1"
DH_GROUP = "2"
PFS = "enable"
DPD = {"interval": "30", "timeout": "120"}  # only with a dead-peer-detection node
REKEY_MARGIN = 540  # 1.3 and EdgeOS: ipsec.conf rekeymargin (fuzz 100%)
CHILD_REKEY = 3600  # 1.4: strongSwan's default rekey_time, as peer.j2 writes none

# platform -> (key-exchange left out: swanctl version, DPD action left out)
PLATFORM = {
    VYOS_14: ("0", "clear"),
    VYOS_13: ("0", "hold"),
    EDGEOS: ("1", "hold"),
}
BGP_HOLD = 180  # FRR's (VyOS) and ZebOS's (EdgeOS) hold time; keepalive 60
