"""The part of PAN-OS's configuration schema a ``set`` command needs to be read
right (driver/cgw/schema.py: containers, entries, values, flags).

Source: PaloAltoNetworks/pan-os-codegen, specs/network/ike-gateway.yaml,
specs/objects/profiles/ike-crypto-profile.yaml, ipsec-crypto-profile.yaml,
specs/network/tunnel/ipsec.yaml, specs/network/interface/tunnel.yaml,
specs/network/virtual-router.yaml and specs/network/virtual-router/
static-route-ipv4.yaml (each param's ``xpath`` and its type: ``object``,
``list`` of ``entry`` or of ``member``, or a value). What is not here is read
generically: its words a path, the last one its value.
"""

from __future__ import annotations

from driver.cgw.schema import FLAG, GENERIC, LEAF, LIST, Entries

# containers that hold one of their keys (a choice): setting one drops the others
CHOICES = frozenset({"lifetime", "lifesize", "peer-address", "protocol"})

_TIMES = {"seconds": LEAF, "minutes": LEAF, "hours": LEAF, "days": LEAF}
_DPD = {"enable": LEAF, "interval": LEAF, "retry": LEAF}
_ID = {"id": LEAF, "type": LEAF, "matching": LEAF}
_PORTS = {"local-port": LEAF, "remote-port": LEAF}
_PROTOCOL = {"any": FLAG, "number": LEAF, "tcp": _PORTS, "udp": _PORTS}

GATEWAY = {
    "authentication": {"pre-shared-key": {"key": LEAF}, "certificate": GENERIC},
    "protocol": {
        "version": LEAF,
        "ikev1": {"ike-crypto-profile": LEAF, "exchange-mode": LEAF, "dpd": _DPD},
        "ikev2": {"ike-crypto-profile": LEAF, "require-cookie": LEAF, "dpd": _DPD},
    },
    "protocol-common": {
        "nat-traversal": {"enable": LEAF, "keep-alive-interval": LEAF, "udp-checksum-enable": LEAF},
        "passive-mode": LEAF,
        "fragmentation": {"enable": LEAF},
    },
    "local-address": {"interface": LEAF, "ip": LEAF, "floating-ip": LEAF},
    "peer-address": {"ip": LEAF, "fqdn": LEAF, "dynamic": GENERIC},
    "local-id": _ID,
    "peer-id": _ID,
    "disabled": LEAF,
    "comment": LEAF,
    "ipv6": LEAF,
}
IKE_PROFILE = {
    "encryption": LIST,
    "hash": LIST,
    "dh-group": LIST,
    "lifetime": _TIMES,
    "authentication-multiple": LEAF,
}
IPSEC_PROFILE = {
    "esp": {"encryption": LIST, "authentication": LIST},
    "ah": {"authentication": LIST},
    "dh-group": LEAF,
    "lifetime": _TIMES,
    "lifesize": {"kb": LEAF, "mb": LEAF, "gb": LEAF, "tb": LEAF},
}
TUNNEL = {
    "auto-key": {
        "ike-gateway": Entries({}),
        "ipsec-crypto-profile": LEAF,
        "proxy-id": Entries({"local": LEAF, "remote": LEAF, "protocol": _PROTOCOL}),
        "proxy-id-v6": Entries({"local": LEAF, "remote": LEAF, "protocol": _PROTOCOL}),
    },
    "tunnel-interface": LEAF,
    "anti-replay": LEAF,
    "copy-tos": LEAF,
    "disabled": LEAF,
    "comment": LEAF,
    "tunnel-monitor": {
        "enable": LEAF,
        "destination-ip": LEAF,
        "source-ip": LEAF,
        "tunnel-monitor-profile": LEAF,
        "proxy-id": LEAF,
    },
}
_UNIT = {"ip": LIST, "mtu": LEAF, "comment": LEAF, "interface-management-profile": LEAF}
_PEER = {
    "enable": LEAF,
    "peer-as": LEAF,
    "local-address": {"interface": LEAF, "ip": LEAF},
    "peer-address": {"ip": LEAF, "fqdn": LEAF},
    "connection-options": {
        "keep-alive-interval": LEAF,
        "hold-time": LEAF,
        "idle-hold-time": LEAF,
        "min-route-adv-interval": LEAF,
        "multihop": LEAF,
        "open-delay-time": LEAF,
        "authentication": LEAF,
    },
    "max-prefixes": LEAF,
    "peering-type": LEAF,
    "address-family-identifier": LEAF,
    "enable-mp-bgp": LEAF,
    "reflector-client": LEAF,
}
BGP = {
    "enable": LEAF,
    "router-id": LEAF,
    "local-as": LEAF,
    "install-route": LEAF,
    "reject-default-route": LEAF,
    "allow-redist-default-route": LEAF,
    "peer-group": Entries({"enable": LEAF, "type": GENERIC, "peer": Entries(_PEER)}),
    "redist-rules": Entries(
        {"enable": LEAF, "set-origin": LEAF, "address-family-identifier": LEAF, "metric": LEAF}
    ),
}
STATIC_ROUTE = {
    "destination": LEAF,
    "interface": LEAF,
    "nexthop": {"ip-address": LEAF, "next-vr": LEAF},
    "metric": LEAF,
    "admin-dist": LEAF,
}
VIRTUAL_ROUTER = {
    "interface": LIST,
    "routing-table": {"ip": {"static-route": Entries(STATIC_ROUTE)}},
    "protocol": {"bgp": BGP},
}
NETWORK = {
    "ike": {
        "gateway": Entries(GATEWAY),
        "crypto-profiles": {
            "ike-crypto-profiles": Entries(IKE_PROFILE),
            "ipsec-crypto-profiles": Entries(IPSEC_PROFILE),
        },
    },
    "tunnel": {"ipsec": Entries(TUNNEL)},
    "interface": {"tunnel": {"units": Entries(_UNIT), "ip": LIST, "mtu": LEAF}},
    "virtual-router": Entries(VIRTUAL_ROUTER),
    "logical-router": GENERIC,
}
ROOT = {"network": NETWORK}  # what a set command's words start from
