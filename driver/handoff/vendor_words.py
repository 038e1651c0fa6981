"""AWS's names for the tunnel options, in the words each device's configuration
uses: what the parameter sheet's "as your device names it" table prints.

One ``Vocabulary`` per device; ``None`` marks an option AWS offers that the device
cannot set (the sheet says so instead of inventing a word). strongSwan's words are
the ones the lab renders (driver/lab/aws_rules.py); IOS's, FortiOS's and PAN-OS's
are the readers' tables read backwards (driver/cgw/cisco_ios/proposals.py,
driver/cgw/fortigate/proposals.py, driver/cgw/panos/proposals.py), so the sheet
and lint speak one language. Junos's and Yamaha RTX's are cited where they are
written; the tests
hold each against its device's reader, Libreswan's ``algparse`` or AWS's own
sample configuration for that device (tests/handoff/)."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.cisco_ios import proposals as ios
from driver.cgw.fortigate import proposals as fortios
from driver.cgw.panos import proposals as panos
from driver.lab import aws_rules

GROUPS = tuple(sorted(aws_rules.PHASE2_DH_GROUPS))


@dataclass(frozen=True)
class Vocabulary:
    title: str
    source: str
    ike_encryption: dict[str, str | None]
    ike_integrity: dict[str, str | None]
    esp_encryption: dict[str, str | None]
    esp_integrity: dict[str, str | None]
    ike_groups: dict[int, str | None]
    pfs_groups: dict[int, str | None]
    versions: dict[str, str]  # "ikev1", "ikev2", "both" -> the setting
    ike_lifetime: str  # a format with {seconds}
    esp_lifetime: str
    # IKEv1's words where they differ from IKEv2's (Cisco IOS: isakmp policy)
    ikev1_encryption: dict[str, str | None] = field(default_factory=dict)
    ikev1_integrity: dict[str, str | None] = field(default_factory=dict)
    ikev1_lifetime: str = ""
    # the PRF's words when phase 1 is GCM only (no integrity), where they differ
    ike_prf: dict[str, str | None] = field(default_factory=dict)


def _inverse(table: dict, names: dict) -> dict[str, str | None]:
    """A reader's {device word: AWS name} as {AWS name: the device's first word}."""
    out: dict[str, str | None] = dict.fromkeys(names)
    for word, aws in table.items():
        aws = aws[0] if isinstance(aws, tuple) else aws
        if aws in out and out[aws] is None:
            out[aws] = word
    return out


def _ciphers(*words: str | None) -> dict[str, str | None]:
    """AES128, AES256, AES128-GCM-16, AES256-GCM-16 in the device's words."""
    return dict(zip(aws_rules.ENCRYPTION, words, strict=True))


def _hashes(*words: str | None) -> dict[str, str | None]:
    """SHA1, SHA2-256, SHA2-384, SHA2-512 in the device's words."""
    return dict(zip(aws_rules.INTEGRITY, words, strict=True))


def _numbered(fmt: str, groups=GROUPS, missing: frozenset = frozenset()) -> dict[int, str | None]:
    return {g: None if g in missing else fmt.format(g) for g in groups}


STRONGSWAN = Vocabulary(
    title="strongSwan",
    source="strongSwan IKEv2 cipher suites (docs.strongswan.org, "
    "'IKEv2 Cipher Suites'); swanctl.conf",
    ike_encryption=dict(aws_rules.ENCRYPTION),
    ike_integrity=dict(aws_rules.INTEGRITY),
    esp_encryption=dict(aws_rules.ENCRYPTION),
    esp_integrity=dict(aws_rules.INTEGRITY),
    ike_groups=dict(aws_rules.DH_GROUPS),
    pfs_groups=dict(aws_rules.DH_GROUPS),
    versions={"ikev1": "version = 1", "ikev2": "version = 2", "both": "version = 0"},
    ike_lifetime="rekey_time = {seconds}s",
    esp_lifetime="children: rekey_time = {seconds}s",
    ike_prf=dict(aws_rules.PRF),
)

# Libreswan's algparse (its own proposal parser; the 4.10 vpnlab runs, driver/cgw/
# libreswan/install.py) is the reference: it has no RFC 5114 groups (22-24) and
# refuses MODP1024 (group 2) for IKE and for ESP's PFS.
LIBRESWAN = Vocabulary(
    title="Libreswan",
    source="Libreswan ipsec.conf(5), ike= and esp=; checked with Libreswan 4.10's algparse",
    ike_encryption=_ciphers("aes128", "aes256", "aes_gcm128", "aes_gcm256"),
    ike_integrity=_hashes("sha1", "sha2_256", "sha2_384", "sha2_512"),
    esp_encryption=_ciphers("aes128", "aes256", "aes_gcm128", "aes_gcm256"),
    esp_integrity=_hashes("sha1", "sha2_256", "sha2_384", "sha2_512"),
    ike_groups={
        **{g: aws_rules.DH_GROUPS[g] for g in (5, 14, 15, 16, 17, 18)},
        2: None, 19: "dh19", 20: "dh20", 21: "dh21", 22: None, 23: None, 24: None,
    },
    pfs_groups={
        **{g: aws_rules.DH_GROUPS[g] for g in (5, 14, 15, 16, 17, 18)},
        2: None, 19: "dh19", 20: "dh20", 21: "dh21", 22: None, 23: None, 24: None,
    },
    versions={"ikev1": "ikev2=no", "ikev2": "ikev2=yes", "both": "ikev2=yes"},
    ike_lifetime="ikelifetime={seconds}s",
    esp_lifetime="salifetime={seconds}s",
)  # fmt: skip


def _prefixed(prefix: str, table: dict, names: dict, leave_out=()) -> dict[str, str | None]:
    """IOS's words for AWS's names, after their command word (``encryption aes 256``);
    ``leave_out``: a reader's aliases the sheet should not print (``aes`` for ``aes 128``)."""
    kept = {word: aws for word, aws in table.items() if word not in leave_out}
    return {k: f"{prefix}{v}" if v else None for k, v in _inverse(kept, names).items()}


CISCO_IOS = Vocabulary(
    title="Cisco IOS",
    source="Cisco IOS Security Command Reference: crypto ikev2 proposal, crypto isakmp "
    "policy, crypto ipsec transform-set, set pfs; the DH groups from Cisco's IOS XE YANG "
    "model (YangModels/yang, vendor/cisco/xe/17181/Cisco-IOS-XE-crypto.yang)",
    ike_encryption=_prefixed("encryption ", ios.IKEV2_CIPHERS, aws_rules.ENCRYPTION),
    ike_integrity=_prefixed("integrity ", ios.HASHES, aws_rules.INTEGRITY, ("sha",)),
    esp_encryption=_prefixed("", ios.ESP_CIPHERS, aws_rules.ENCRYPTION, ("esp-aes", "esp-gcm")),
    esp_integrity=_prefixed("", ios.ESP_HASHES, aws_rules.INTEGRITY),
    ike_groups=_numbered("group {}", missing=frozenset({17, 18, 22, 23})),
    pfs_groups=_numbered("set pfs group{}", missing=frozenset({17, 18, 22, 23})),
    versions={"ikev1": "crypto isakmp", "ikev2": "crypto ikev2", "both": "crypto ikev2"},
    ike_lifetime="lifetime {seconds}",
    esp_lifetime="set security-association lifetime seconds {seconds}",
    ikev1_encryption=_prefixed("encryption ", ios.IKEV1_CIPHERS, aws_rules.ENCRYPTION, ("aes",)),
    ikev1_integrity=_prefixed("hash ", ios.HASHES, aws_rules.INTEGRITY),
    ikev1_lifetime="lifetime {seconds}",
    ike_prf=_prefixed("prf ", ios.HASHES, aws_rules.INTEGRITY, ("sha",)),
)

FORTIOS = Vocabulary(
    title="FortiOS",
    source="FortiOS CLI Reference: vpn ipsec phase1-interface / phase2-interface, "
    "proposal, dhgrp, keylife; the DH groups from Fortinet's Terraform provider "
    "(fortinetdev/terraform-provider-fortios, fortios_vpnipsec_phase1interface)",
    ike_encryption=_inverse(fortios.ENCRYPTION, aws_rules.ENCRYPTION),
    ike_integrity=_inverse(fortios.HASHES, aws_rules.INTEGRITY),
    esp_encryption=_inverse(fortios.ENCRYPTION, aws_rules.ENCRYPTION),
    esp_integrity=_inverse(fortios.HASHES, aws_rules.INTEGRITY),
    ike_groups=_numbered("{}", missing=frozenset({22, 23, 24})),
    pfs_groups=_numbered("{}", missing=frozenset({22, 23, 24})),
    versions={
        "ikev1": "set ike-version 1",
        "ikev2": "set ike-version 2",
        "both": "set ike-version 2",
    },
    ike_lifetime="set keylife {seconds}",
    esp_lifetime="set keylifeseconds {seconds}",
    ike_prf={k: f"prf{v}" for k, v in _inverse(fortios.HASHES, aws_rules.INTEGRITY).items()},
)

PAN_OS_SOURCE = (
    "PAN-OS's schema (PaloAltoNetworks/pan-os-codegen, specs/objects/profiles/"
    "ike-crypto-profile.yaml, ipsec-crypto-profile.yaml, specs/network/ike-gateway.yaml)"
)
PAN_OS = Vocabulary(
    title="PAN-OS",
    source=PAN_OS_SOURCE,
    ike_encryption=_inverse(panos.CIPHERS, aws_rules.ENCRYPTION),
    ike_integrity=_inverse(panos.HASHES, aws_rules.INTEGRITY),
    esp_encryption=_inverse(panos.CIPHERS, aws_rules.ENCRYPTION),
    esp_integrity=_inverse(panos.HASHES, aws_rules.INTEGRITY),
    ike_groups=_numbered("group{}", missing=frozenset({17, 18, 22, 23, 24})),
    pfs_groups=_numbered("group{}", missing=frozenset({17, 18, 22, 23, 24})),
    versions={
        "ikev1": "protocol version ikev1",
        "ikev2": "protocol version ikev2",
        "both": "protocol version ikev2-preferred",
    },
    ike_lifetime="lifetime seconds {seconds}",
    esp_lifetime="lifetime seconds {seconds}",
)  # fmt: skip

# A word ending in '?' is spelled by analogy: not found in a reference or a
# published configuration (the sheet says so); '?' alone: not known whether the
# device can set it at all.
JUNOS = Vocabulary(
    title="Junos",
    source="Junos CLI reference (security ike / security ipsec hierarchies, 12.x); AWS's "
    "Juniper SRX sample; Cloudflare's and Oracle's published SRX configurations",
    ike_encryption=_ciphers("aes-128-cbc", "aes-256-cbc", "aes-128-gcm?", "aes-256-gcm"),
    ike_integrity=_hashes("sha1", "sha-256", "sha-384", "sha-512?"),
    esp_encryption=_ciphers("aes-128-cbc", "aes-256-cbc", "aes-128-gcm?", "aes-256-gcm"),
    esp_integrity=_hashes(
        "hmac-sha1-96", "hmac-sha-256-128", "hmac-sha-384?", "hmac-sha-512?"
    ),
    ike_groups={
        2: "group2", 5: "group5", 14: "group14", 15: "group15?", 16: "group16?", 17: None,
        18: None, 19: "group19", 20: "group20", 21: "group21?", 22: None, 23: None, 24: "group24?",
    },
    pfs_groups={
        2: "keys group2", 5: "keys group5", 14: "keys group14", 15: "keys group15?",
        16: "keys group16?", 17: None, 18: None, 19: "keys group19", 20: "keys group20",
        21: "keys group21?", 22: None, 23: None, 24: "keys group24?",
    },
    versions={"ikev1": "version v1-only", "ikev2": "version v2-only", "both": "version v2-only"},
    ike_lifetime="lifetime-seconds {seconds}",
    esp_lifetime="lifetime-seconds {seconds}",
)  # fmt: skip

# Yamaha RTX has no PFS command of its own: `ipsec ike pfs <gw> on` uses a group of
# `ipsec ike group <gw>`: its second in IKEv1 (the first is phase 1's; one group
# serves both), its first in IKEv2 (Yamaha command reference §15.24), hence
# "on + <group>".
_YAMAHA_GROUPS = {2: "modp1024", 5: "modp1536", 14: "modp2048"}
YAMAHA_RTX = Vocabulary(
    title="Yamaha RTX",
    source="Yamaha RT command reference (ipsec ike encryption / hash / group, ipsec sa "
    "policy, ipsec ike duration); AWS's Yamaha sample; Oracle's and Cloudflare's RTX "
    "configurations",
    ike_encryption=_ciphers("aes-cbc", "aes256-cbc", "?", "?"),
    ike_integrity=_hashes("sha", "sha256", "sha384?", "sha512?"),
    esp_encryption=_ciphers("aes-cbc", "aes256-cbc", "?", "?"),
    esp_integrity=_hashes("sha-hmac", "sha256-hmac", "?", "?"),
    ike_groups={g: _YAMAHA_GROUPS.get(g, "?") for g in GROUPS},
    pfs_groups={g: f"ipsec ike pfs <gw> on + {w}" if w != "?" else w
                for g, w in ((g, _YAMAHA_GROUPS.get(g, "?")) for g in GROUPS)},
    versions={"ikev1": "ipsec ike version <gw> 1", "ikev2": "ipsec ike version <gw> 2",
              "both": "ipsec ike version <gw> 2"},
    ike_lifetime="ipsec ike duration isakmp-sa <gw> {seconds}",
    esp_lifetime="ipsec ike duration ipsec-sa <gw> {seconds}",
)  # fmt: skip

# VyOS writes strongSwan's keywords itself (vyos-1x template.py get_esp_ike_cipher), so
# its words are strongSwan's, checked against vyos-1x's own constraints
# (interface-definitions/include/vpn-ipsec-encryption.xml.i, -hash.xml.i; dh-group
# 1-32): one proposal per group entry, `pfs dh-groupN` for PFS, no key-exchange for both.
_IKE = "set vpn ipsec ike-group <group>"
VYOS = Vocabulary(
    title="VyOS",
    source="VyOS documentation, IPsec site-to-site; vyos-1x vpn_ipsec.xml.in and "
    "template.py (sagitta @ c3f68865); AWS's Vyatta sample",
    ike_encryption=_ciphers("aes128", "aes256", "aes128gcm128", "aes256gcm128"),
    ike_integrity=_hashes("sha1", "sha256", "sha384", "sha512"),
    esp_encryption=_ciphers("aes128", "aes256", "aes128gcm128", "aes256gcm128"),
    esp_integrity=_hashes("sha1", "sha256", "sha384", "sha512"),
    ike_groups=_numbered("dh-group {}"),
    pfs_groups=_numbered("pfs dh-group{}"),
    versions={"ikev1": f"{_IKE} key-exchange ikev1", "ikev2": f"{_IKE} key-exchange ikev2",
              "both": f"no key-exchange under {_IKE} (IKEv2 first)"},
    ike_lifetime=_IKE + " lifetime {seconds}",
    esp_lifetime="set vpn ipsec esp-group <group> lifetime {seconds}",
    ike_prf=dict(aws_rules.PRF),
)  # fmt: skip

VOCABULARIES = (STRONGSWAN, LIBRESWAN, CISCO_IOS, FORTIOS, PAN_OS, JUNOS, YAMAHA_RTX, VYOS)
