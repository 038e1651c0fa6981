"""Keys and values only Libreswan (or Openswan before it) has: what gives a file
away as Libreswan's (libreswan.org/man/ipsec.conf.5.html, Libreswan 4.x)."""

_LIBRESWAN = (
    "ikev2 narrowing phase2 phase2alg salifetime sareftrack ikepad nat-ikev1-method "
    "encapsulation vti-interface vti-routing vti-shared leftvti rightvti mark-in mark-out "
    "ipsec-interface protostack nhelpers logfile logappend logtime "
    "virtual-private listen retransmit-timeout "
    "retransmit-interval leftsubnets rightsubnets remote-peer-type sha2-truncbug "
    "ms-dh-downgrade nic-offload overlapip leftmodecfgclient rightmodecfgclient "
    "modecfgpull ike-frag ikev1-policy dpdaction=restart_by_peer auto=ondemand"
)
LIBRESWAN_KEYS = frozenset(_LIBRESWAN.split())
