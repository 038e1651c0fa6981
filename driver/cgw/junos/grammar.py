"""The part of Junos's configuration schema a ``set`` command needs to be read right
(driver/cgw/schema.py: containers, entries, values, flags), for ``security ike``,
``security ipsec``, ``interfaces``, ``routing-options`` and ``protocols bgp``.

Source: Juniper's YANG for SRX (Juniper/yang @ 2a696d62, 24.4/24.4R1/native/
conf-and-rpcs/junos-es/conf/models/junos-es-conf-security@2024-01-01.yang:
``grouping ike-proposal``, ``ike-policy``, ``ike-gateway``, ``ipsec-proposal``,
``ipsec-policy``, ``ipsec-vpn``; junos-es-conf-interfaces, -routing-options and
-protocols for the rest): a ``list`` is an entry (its key follows its keyword), a
``leaf-list`` a list, a ``presence`` container or an ``empty`` leaf a flag. What is
not here is read generically.
"""

from __future__ import annotations

from driver.cgw.schema import FLAG, GENERIC, LEAF, LIST, Entries

_IDENTITY = {
    "inet": LEAF, "hostname": LEAF, "user-at-hostname": LEAF, "key-id": LEAF,
    "distinguished-name": GENERIC,
}  # fmt: skip
IKE = {
    "proposal": Entries(
        {
            "authentication-method": LEAF,
            "dh-group": LEAF,
            "authentication-algorithm": LEAF,
            "encryption-algorithm": LEAF,
            "lifetime-seconds": LEAF,
            "description": LEAF,
        }
    ),
    "policy": Entries(
        {
            "mode": LEAF,
            "proposals": LIST,
            "proposal-set": LEAF,
            "pre-shared-key": {"ascii-text": LEAF, "hexadecimal": LEAF},
            "reauth-frequency": LEAF,
            "description": LEAF,
        }
    ),
    "gateway": Entries(
        {
            "ike-policy": LEAF,
            "address": LIST,
            "dead-peer-detection": {
                "optimized": FLAG,
                "probe-idle-tunnel": FLAG,
                "always-send": FLAG,
                "interval": LEAF,
                "threshold": LEAF,
            },
            "no-nat-traversal": FLAG,
            "nat-keepalive": LEAF,
            "external-interface": LEAF,
            "local-address": LEAF,
            "version": LEAF,
            "local-identity": _IDENTITY,
            "remote-identity": _IDENTITY,
            "general-ikeid": FLAG,
            "dynamic": GENERIC,
        }
    ),
    "traceoptions": GENERIC,
}
IPSEC = {
    "proposal": Entries(
        {
            "protocol": LEAF,
            "authentication-algorithm": LEAF,
            "encryption-algorithm": LEAF,
            "lifetime-seconds": LEAF,
            "lifetime-kilobytes": LEAF,
            "description": LEAF,
        }
    ),
    "policy": Entries(
        {"perfect-forward-secrecy": {"keys": LEAF}, "proposals": LIST, "proposal-set": LEAF}
    ),
    "vpn": Entries(
        {
            "bind-interface": LEAF,
            "df-bit": LEAF,
            "establish-tunnels": LEAF,
            "vpn-monitor": {"optimized": FLAG, "source-interface": LEAF, "destination-ip": LEAF},
            "ike": {
                "gateway": LEAF,
                "ipsec-policy": LEAF,
                "proxy-identity": {"local": LEAF, "remote": LEAF, "service": LEAF},
                "idle-time": LEAF,
                "no-anti-replay": FLAG,
                "install-interval": LEAF,
            },
            "traffic-selector": Entries({"local-ip": LEAF, "remote-ip": LEAF}),
        }
    ),
}
_NEIGHBOR = {
    "peer-as": LEAF,
    "local-as": LEAF,
    "hold-time": LEAF,
    "export": LIST,
    "import": LIST,
    "local-address": LEAF,
    "description": LEAF,
    "multihop": GENERIC,
}
ROOT = {
    "security": {"ike": IKE, "ipsec": IPSEC},
    "interfaces": Entries(
        {"unit": Entries({"family": {"inet": {"address": Entries({}), "mtu": LEAF}}})}
    ),
    "routing-options": {
        "static": {
            "route": Entries(
                {
                    "next-hop": LIST,
                    "qualified-next-hop": Entries({"preference": LEAF, "metric": LEAF}),
                    "metric": LEAF,
                    "preference": LEAF,
                    "discard": FLAG,
                }
            )
        },
        "autonomous-system": LEAF,
        "router-id": LEAF,
    },
    "protocols": {
        "bgp": {"group": Entries({"type": LEAF, **_NEIGHBOR, "neighbor": Entries(_NEIGHBOR)})}
    },
}
