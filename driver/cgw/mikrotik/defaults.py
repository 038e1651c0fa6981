"""What RouterOS takes for a property an export leaves out (a plain ``/export``
prints only what differs from the default): the verdict depends on it (a peer
without ``exchange-mode`` speaks IKEv1 main mode, also in v7; a policy without
``tunnel=yes`` is transport mode; the default proposal's PFS group is modp1024),
so lint, init and the twin's report say which defaults they used.

Sources: the default items as ``/export verbose`` prints them on RouterOS 6.43.8
(ripleymj/routerlab @ a91d0812, configs/Router-A1.rsc), 6.48.1, 7.19rc1 and 7.24.4,
and the REST dumps of the default objects in terraform-routeros
(terraform-provider-routeros, routeros/resource_ip_ipsec_{profile,proposal,peer,
identity,policy}.go); the policy's defaults from MikroTik's manual
(help.mikrotik.com, IPsec, "Policies": action encrypt, level require, proposal
default; "tunnel (yes | no; Default: no)"). DPD changed within v7: 7.19rc1's
default profile still has 2m and 5 failures, 7.24.4's 8s and 4; vpnlab takes the
newer from 7.24 on and says so.
"""

from __future__ import annotations

RELEASE = "RouterOS 7"

PROFILE = {
    "dh-group": "modp2048,modp1024",
    "enc-algorithm": "aes-128,3des",
    "hash-algorithm": "sha1",
    "lifetime": "1d",
    "dpd-interval": "2m",
    "dpd-maximum-failures": "5",
    "nat-traversal": "yes",
}
PROFILE_FROM_7_24 = PROFILE | {"dpd-interval": "8s", "dpd-maximum-failures": "4"}
PROPOSAL = {
    "auth-algorithms": "sha1",
    "enc-algorithms": "aes-256-cbc,aes-192-cbc,aes-128-cbc",
    "lifetime": "30m",
    "pfs-group": "modp1024",
}
PEER = {"exchange-mode": "main", "profile": "default", "passive": "no"}
POLICY = {"action": "encrypt", "level": "require", "proposal": "default", "tunnel": "no"}


def profile(release: tuple[int, int] | None) -> dict[str, str]:
    return PROFILE_FROM_7_24 if release is not None and release >= (7, 24) else PROFILE


def release_name(release: tuple[int, int] | None, v7_syntax: bool) -> str:
    if release is not None:
        return f"RouterOS {release[0]}.{release[1]}"
    return RELEASE if v7_syntax else "RouterOS 6"
