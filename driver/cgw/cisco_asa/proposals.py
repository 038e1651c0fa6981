"""Cisco ASA's proposal words in AWS's names and in strongSwan's.

IKEv1: each ``crypto ikev1 policy`` is one proposal (``encryption aes-256``,
``hash sha``, ``group 14``); IKEv2: each ``crypto ikev2 policy`` offers every
combination of its ``encryption``, ``integrity``, ``prf`` and ``group`` lists; ESP:
an IKEv1 ``transform-set`` (``esp-aes-256 esp-sha-hmac``) or an IKEv2
``ipsec-proposal`` (``protocol esp encryption aes-256 aes``, ``protocol esp
integrity sha-256 sha-1``, every combination), with the entry's ``set pfs``
(Cisco ASA Series Command Reference: crypto ikev1 policy, crypto ikev2 policy,
crypto ipsec ikev1 transform-set, crypto ipsec ikev2 ipsec-proposal). A record
holds each as its words, ``;`` between proposals (``encryption aes-256 hash sha
group 14``; ``esp-aes-256 esp-sha-hmac pfs group14``; ``encryption aes-256
integrity sha-256 pfs group14``)."""

from __future__ import annotations

from driver.cgw.cisco_ios.proposals import parts
from driver.cgw.twin_swanctl import GROUPS

# (AWS's name, strongSwan's) by the ASA's word
IKE_CIPHERS = {
    "aes": ("AES128", "aes128"), "aes-192": (None, "aes192"), "aes-256": ("AES256", "aes256"),
    "aes-gcm": ("AES128-GCM-16", "aes128gcm16"), "aes-gcm-192": (None, "aes192gcm16"),
    "aes-gcm-256": ("AES256-GCM-16", "aes256gcm16"), "3des": (None, "3des"), "des": (None, "des"),
}  # fmt: skip
IKE_HASHES = {
    "sha": ("SHA1", "sha1"), "sha256": ("SHA2-256", "sha256"), "sha384": ("SHA2-384", "sha384"),
    "sha512": ("SHA2-512", "sha512"), "md5": (None, "md5"),
}  # fmt: skip
# IKEv1 transform sets
TRANSFORMS = {
    "esp-aes": ("AES128", "aes128"), "esp-aes-192": (None, "aes192"),
    "esp-aes-256": ("AES256", "aes256"), "esp-3des": (None, "3des"), "esp-des": (None, "des"),
    "esp-null": (None, "null"),
}  # fmt: skip
TRANSFORM_HASHES = {
    "esp-sha-hmac": ("SHA1", "sha1"), "esp-sha256-hmac": ("SHA2-256", "sha256"),
    "esp-sha384-hmac": ("SHA2-384", "sha384"), "esp-sha512-hmac": ("SHA2-512", "sha512"),
    "esp-md5-hmac": (None, "md5"),
}  # fmt: skip
# IKEv2 ipsec-proposals
ESP_CIPHERS = {
    "aes": ("AES128", "aes128"), "aes-192": (None, "aes192"), "aes-256": ("AES256", "aes256"),
    "aes-gcm": ("AES128-GCM-16", "aes128gcm16"), "aes-gcm-192": (None, "aes192gcm16"),
    "aes-gcm-256": ("AES256-GCM-16", "aes256gcm16"), "3des": (None, "3des"), "des": (None, "des"),
}  # fmt: skip
ESP_HASHES = {
    "sha-1": ("SHA1", "sha1"), "sha-256": ("SHA2-256", "sha256"),
    "sha-384": ("SHA2-384", "sha384"), "sha-512": ("SHA2-512", "sha512"), "md5": (None, "md5"),
}  # fmt: skip
NULL = "null"  # an integrity of "null": none, as AES-GCM needs


def in_aws_names(text: str, ike: bool) -> list[dict[str, set]]:
    """Each proposal of a record (``;`` between them), in the kinds and names
    driver/analysis/cgw_proposals.acceptable reads; a word AWS has no name for is
    kept under ``other``."""
    return [_aws(p, ike) for p in text.split(";") if p.strip()]


def _aws(proposal: str, ike: bool) -> dict[str, set]:
    found = parts(proposal)
    out: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}

    def add(kind: str, word: str, table: dict) -> None:
        aws = table.get(word, (None, None))[0]
        out[kind if aws else "other"].add(aws or word)

    if ike:
        for word in found.get("encryption", []):
            add("enc", word, IKE_CIPHERS)
        for word in found.get("hash", []) + found.get("integrity", []):
            if word != NULL:
                add("integ", word, IKE_HASHES)
        for word in found.get("prf", []) or found.get("hash", []):
            add("prf", word, IKE_HASHES)
        groups = found.get("group", [])
    else:
        for word in found.get("transforms", []):
            if word in TRANSFORM_HASHES:
                add("integ", word, TRANSFORM_HASHES)
            else:
                add("enc", word, TRANSFORMS)
        for word in found.get("encryption", []):
            add("enc", word, ESP_CIPHERS)
        for word in found.get("integrity", []):
            if word != NULL:
                add("integ", word, ESP_HASHES)
        groups = [g.removeprefix("group") for g in found.get("pfs", [])]
    out["dh"] = {int(g) for g in groups if g.isdecimal()}
    out["other"] |= {f"group {g}" for g in groups if not g.isdecimal()}
    return out


def strongswan(proposal: str, ike: bool) -> str:
    """One ASA proposal in strongSwan's words (``aes256-sha256-modp2048``): AEAD
    ciphers (GCM) apart from the others, as strongSwan keeps them (an AEAD proposal
    has a PRF and no integrity). Raises KeyError naming a word strongSwan lacks."""
    found = parts(proposal)
    if ike:
        ciphers = [IKE_CIPHERS[w][1] for w in found.get("encryption", [])]
        hashes = [IKE_HASHES[w][1] for w in found.get("hash", []) + found.get("integrity", [])
                  if w != NULL]  # fmt: skip
        prfs = ["prf" + IKE_HASHES[w][1] for w in found.get("prf", [])]
        groups = found.get("group", [])
    else:
        table = TRANSFORMS | TRANSFORM_HASHES
        words = found.get("transforms", [])
        ciphers = [table[w][1] for w in words if w in TRANSFORMS]
        ciphers += [ESP_CIPHERS[w][1] for w in found.get("encryption", [])]
        hashes = [table[w][1] for w in words if w in TRANSFORM_HASHES]
        hashes += [ESP_HASHES[w][1] for w in found.get("integrity", []) if w != NULL]
        unknown = [w for w in words if w not in table]
        if unknown:
            raise KeyError(unknown[0])
        prfs = []
        groups = [g.removeprefix("group") for g in found.get("pfs", [])]
    dh = []
    for g in groups:
        if not g.isdecimal() or int(g) not in GROUPS:
            raise KeyError(f"group {g}")
        dh.append(GROUPS[int(g)])
    classic = [c for c in ciphers if "gcm" not in c]
    aead = [c for c in ciphers if "gcm" in c]
    out = []
    if classic:
        out.append("-".join(classic + hashes + prfs + dh))
    if aead:
        prf = prfs or (["prf" + h for h in hashes] if ike else [])
        out.append("-".join(aead + prf + dh))
    return ", ".join(out)
