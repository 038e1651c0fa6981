"""RouterOS's proposal words in AWS's names and in strongSwan's.

Phase 1 is a profile (``enc-algorithm=aes-128,3des hash-algorithm=sha1
dh-group=modp2048,modp1024``), phase 2 a proposal (``enc-algorithms=aes-256-cbc
auth-algorithms=sha1 pfs-group=modp1024``), each a comma list (MikroTik's manual,
IPsec: profiles, proposals). A record holds them in RouterOS's own words, as the
export writes them. IKEv2 offers the lists as one proposal; IKEv1 (main mode) one
proposal per combination, which the twin spells out (strongSwan, initiating IKEv1,
would send only the first algorithm of each kind of a combined proposal).
"""

from __future__ import annotations

import itertools

from driver.cgw.twin_swanctl import GROUPS

# (AWS's name, strongSwan's) by RouterOS's word
IKE_CIPHERS = {
    "aes-128": ("AES128", "aes128"), "aes-192": (None, "aes192"), "aes-256": ("AES256", "aes256"),
    "3des": (None, "3des"), "des": (None, "des"), "blowfish": (None, "blowfish"),
    "camellia-128": (None, "camellia128"), "camellia-192": (None, "camellia192"),
    "camellia-256": (None, "camellia256"),
}  # fmt: skip
HASHES = {
    "sha1": ("SHA1", "sha1"), "sha256": ("SHA2-256", "sha256"), "sha384": ("SHA2-384", "sha384"),
    "sha512": ("SHA2-512", "sha512"), "md5": (None, "md5"),
}  # fmt: skip
ESP_CIPHERS = {
    "aes-128-cbc": ("AES128", "aes128"), "aes-192-cbc": (None, "aes192"),
    "aes-256-cbc": ("AES256", "aes256"), "aes-128-ctr": (None, "aes128ctr"),
    "aes-192-ctr": (None, "aes192ctr"), "aes-256-ctr": (None, "aes256ctr"),
    "aes-128-gcm": ("AES128-GCM-16", "aes128gcm16"), "aes-192-gcm": (None, "aes192gcm16"),
    "aes-256-gcm": ("AES256-GCM-16", "aes256gcm16"), "3des": (None, "3des"), "des": (None, "des"),
}  # fmt: skip
# RouterOS's DH names (MikroTik's manual, IPsec: "Diffie-Hellman Groups") by group number
GROUP_NUMBERS = {
    "modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14, "modp3072": 15, "modp4096": 16,
    "modp6144": 17, "modp8192": 18, "ecp256": 19, "ecp384": 20, "ecp521": 21,
}  # fmt: skip
KEYS = {  # a record's words: which key says what
    "enc-algorithm": "enc", "enc-algorithms": "enc", "hash-algorithm": "integ",
    "auth-algorithms": "integ", "dh-group": "dh", "pfs-group": "dh", "prf-algorithm": "prf",
}  # fmt: skip


def words(values: dict[str, str], keys: tuple[str, ...]) -> str:
    """``key=value`` for ``keys``, as the record holds a profile or proposal."""
    return " ".join(f"{k}={values[k]}" for k in keys if values.get(k) is not None)


def _lists(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for word in text.split():
        key, _, value = word.partition("=")
        if key in KEYS:
            out[KEYS[key]] = [v for v in value.split(",") if v]
    return out


def in_aws_names(text: str) -> list[dict[str, set]]:
    """A profile's or proposal's words in the kinds and names
    driver/analysis/cgw_proposals.acceptable reads (one proposal with every list)."""
    found = _lists(text)
    ike = "hash-algorithm=" in text or "enc-algorithm=" in text
    ciphers = IKE_CIPHERS if ike else ESP_CIPHERS
    out: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}

    def add(kind: str, word: str, table: dict) -> None:
        aws = table.get(word, (None, None))[0]
        out[kind if aws else "other"].add(aws or word)

    for word in found.get("enc", []):
        add("enc", word, ciphers)
    for word in found.get("integ", []):
        if word != "null":
            add("integ", word, HASHES)
            if ike:
                add("prf", word, HASHES)
    for word in found.get("dh", []):
        if word in GROUP_NUMBERS:
            out["dh"].add(GROUP_NUMBERS[word])
        elif word != "none":
            out["other"].add(word)
    return [out]


def strongswan(text: str, ike: bool, combined: bool) -> str:
    """A profile or proposal in strongSwan's words: one proposal with every list
    (IKEv2), or one per combination (IKEv1), AEAD ciphers apart. Raises KeyError
    naming a word strongSwan lacks."""
    found = _lists(text)
    ciphers = [(IKE_CIPHERS if ike else ESP_CIPHERS)[w][1] for w in found.get("enc", [])]
    hashes = [HASHES[w][1] for w in found.get("integ", []) if w != "null"]
    groups = [GROUPS[GROUP_NUMBERS[w]] for w in found.get("dh", []) if w != "none"]
    classic = [c for c in ciphers if "gcm" not in c]
    aead = [c for c in ciphers if "gcm" in c]
    kinds = [(classic, hashes), (aead, ["prf" + h for h in hashes] if ike else [])]
    out = []
    for names, integrity in kinds:
        if not names:
            continue
        if combined:
            out.append("-".join(names + integrity + groups))
            continue
        for combination in itertools.product(names, integrity or [""], groups or [""]):
            out.append("-".join(w for w in combination if w))
    return ", ".join(out)
