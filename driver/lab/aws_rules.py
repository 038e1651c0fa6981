"""What AWS Site-to-Site VPN accepts, as data (docs/architecture.md, "AWS").

The lab model validates against these tables and the renderer maps the same
names to strongSwan's, so the VGW side and the customer gateway can never be
generated from two different lists.
"""

import ipaddress
import secrets
import string

IKE_VERSIONS = ("ikev1", "ikev2")

# AWS name -> strongSwan keyword. GCM modes are AEAD: no separate integrity.
ENCRYPTION = {
    "AES128": "aes128",
    "AES256": "aes256",
    "AES128-GCM-16": "aes128gcm16",
    "AES256-GCM-16": "aes256gcm16",
}
AEAD_ENCRYPTION = frozenset({"AES128-GCM-16", "AES256-GCM-16"})

# AWS name -> strongSwan integrity keyword (and, for IKE with AEAD, the PRF).
INTEGRITY = {
    "SHA1": "sha1",
    "SHA2-256": "sha256",
    "SHA2-384": "sha384",
    "SHA2-512": "sha512",
}
PRF = {name: "prf" + kw for name, kw in INTEGRITY.items()}

# DH group number -> strongSwan keyword (RFC 3526 / 5114 / 5903 groups).
DH_GROUPS = {
    2: "modp1024",
    5: "modp1536",
    14: "modp2048",
    15: "modp3072",
    16: "modp4096",
    17: "modp6144",
    18: "modp8192",
    19: "ecp256",
    20: "ecp384",
    21: "ecp521",
    22: "modp1024s160",
    23: "modp2048s224",
    24: "modp2048s256",
}
PHASE1_DH_GROUPS = frozenset({2, *range(14, 25)})
PHASE2_DH_GROUPS = frozenset({2, 5, *range(14, 25)})
WEAK_DH_GROUPS = frozenset({2, 5, 22})
WEAK_INTEGRITY = frozenset({"SHA1"})

PHASE1_LIFETIME = (900, 28800)
PHASE2_LIFETIME = (900, 3600)
REKEY_MARGIN_MIN = 60
REKEY_FUZZ = (0, 100)
REPLAY_WINDOW = (64, 2048)
DPD_TIMEOUT_MIN = 30
DPD_ACTIONS = ("clear", "none", "restart")
STARTUP_ACTIONS = ("add", "start")

INSIDE_CIDR_RANGE = ipaddress.ip_network("169.254.0.0/16")
RESERVED_INSIDE_CIDRS = tuple(
    ipaddress.ip_network(c)
    for c in (
        "169.254.0.0/30",
        "169.254.1.0/30",
        "169.254.2.0/30",
        "169.254.3.0/30",
        "169.254.4.0/30",
        "169.254.5.0/30",
        "169.254.169.252/30",
    )
)

PSK_LENGTH = (8, 64)
PSK_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")

# Site-to-Site VPN user guide, "Customer gateway options" (BgpAsn: above
# 2147483647 AWS takes BgpAsnExtended, which this lab does not synthesize) and
# the reserved public ASNs it lists.
BGP_ASN = (1, 2147483647)
RESERVED_CUSTOMER_ASNS = {
    7224: None,
    9059: "eu-west-1",
    10124: "ap-northeast-1",
    17943: "ap-southeast-1",
}
# CreateVpnGateway, AmazonSideAsn: a private ASN, 16-bit or 32-bit; default 64512.
AMAZON_SIDE_ASN = ((64512, 65534), (4200000000, 4294967294))
AMAZON_SIDE_ASN_DEFAULT = 64512
# Quotas for Site-to-Site VPN: "Dynamic routes advertised from a customer gateway
# device to a Site-to-Site VPN connection on a virtual private gateway": 100.
MAX_ADVERTISED_PREFIXES = 100
# The same page: "... to a Site-to-Site VPN connection on a transit gateway": 1,000.
MAX_ADVERTISED_PREFIXES_TRANSIT_GATEWAY = 1000
# BGP timers AWS runs on its side of each tunnel (routing options page): 10 s / 30 s.
BGP_KEEPALIVE, BGP_HOLD_TIME = 10, 30

# No path MTU discovery over AWS VPN; these are AWS's documented ceilings.
MAX_MTU = 1446
MAX_MSS = 1406


# Addresses that exist only behind NAT: a customer gateway's public address is none
# of them (ipaddress's is_private would also take the documentation ranges the lab
# uses as public addresses).
BEHIND_NAT = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")
)


def behind_nat(address: ipaddress.IPv4Address) -> bool:
    return any(address in net for net in BEHIND_NAT)


def text_behind_nat(text: str) -> bool:
    """``text`` is an IPv4 address that exists only behind NAT (not ipaddress's
    is_private, which also covers the documentation ranges the lab uses as public)."""
    try:
        return behind_nat(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        return False


def generate_psk() -> str:
    """A key as AWS generates one: 32 of letters, digits, '.' and '_', starting
    with a letter (so never with '0')."""
    alphabet = string.ascii_letters + string.digits + "._"
    return secrets.choice(string.ascii_letters) + "".join(
        secrets.choice(alphabet) for _ in range(31)
    )


def psk_problems(psk: str) -> list[str]:
    """Every reason AWS would refuse ``psk`` (empty when it is acceptable)."""
    problems = []
    low, high = PSK_LENGTH
    if not low <= len(psk) <= high:
        problems.append(f"is {len(psk)} characters long; AWS needs {low} to {high}")
    bad = sorted(set(psk) - PSK_ALPHABET)
    if bad:
        problems.append(
            "contains "
            + ", ".join(repr(c) for c in bad)
            + "; AWS allows only letters, digits, '.' and '_'"
        )
    if psk.startswith("0"):
        problems.append("starts with '0', which AWS refuses")
    return problems


def inside_cidr_problem(cidr: ipaddress.IPv4Network) -> str | None:
    """Why AWS would refuse ``cidr`` as a tunnel inside CIDR, or None."""
    if cidr.prefixlen != 30 or not cidr.subnet_of(INSIDE_CIDR_RANGE):
        return f"{cidr} is not a /30 inside 169.254.0.0/16"
    for reserved in RESERVED_INSIDE_CIDRS:
        if cidr == reserved:
            return f"{cidr} is reserved by AWS"
    return None
