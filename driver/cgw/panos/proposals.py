"""PAN-OS's proposal words in AWS's names and in strongSwan's.

An IKE crypto profile lists its ``encryption``, ``hash`` and ``dh-group`` values
and offers every combination of them; an IPsec crypto profile lists ``esp
encryption`` and ``esp authentication`` and names one ``dh-group`` for PFS
(``no-pfs``: none). With GCM, IKEv2's hash is the PRF and ESP's authentication is
``none`` (PaloAltoNetworks/pan-os-codegen, specs/objects/profiles/
ike-crypto-profile.yaml and ipsec-crypto-profile.yaml: the values each list takes).

A record holds a profile as its words: ``encryption aes-256-cbc aes-128-cbc hash
sha256 dh-group group14`` (IKE), ``encryption aes-256-gcm authentication none
dh-group group14`` (ESP); ``of_record`` reads it back.
"""

from __future__ import annotations

from itertools import product

# PAN-OS's word -> (AWS's name or None, strongSwan's)
CIPHERS = {
    "des": (None, "des"), "3des": (None, "3des"),
    "aes-128-cbc": ("AES128", "aes128"), "aes-192-cbc": (None, "aes192"),
    "aes-256-cbc": ("AES256", "aes256"),
    "aes-128-ccm": (None, "aes128ccm16"),
    "aes-128-gcm": ("AES128-GCM-16", "aes128gcm16"),
    "aes-256-gcm": ("AES256-GCM-16", "aes256gcm16"),
}  # fmt: skip
# PAN-OS before 7.0 called AES-CBC by its key size alone (AWS's sample for PAN-OS
# 4.1.2 writes ``aes128``); PaloAltoNetworks/pan-os-python, panos/network.py: "The
# various 'aes' options changed in version 7.0 onward"
OLD_NAMES = {"aes128": "aes-128-cbc", "aes192": "aes-192-cbc", "aes256": "aes-256-cbc"}
AEAD = frozenset({"aes-128-ccm", "aes-128-gcm", "aes-256-gcm"})
HASHES = {
    "md5": (None, "md5"), "sha1": ("SHA1", "sha1"), "sha256": ("SHA2-256", "sha256"),
    "sha384": ("SHA2-384", "sha384"), "sha512": ("SHA2-512", "sha512"),
}  # fmt: skip
NO_HASH = frozenset({"non-auth", "none"})  # GCM's: IKE's (PAN-OS 10) and ESP's
NO_PFS = "no-pfs"
_KEYS = ("encryption", "hash", "authentication", "dh-group")


def canonical(word: str) -> str:
    return OLD_NAMES.get(word, word)


def group_number(word: str) -> int | None:
    """``group14`` -> 14; None for what is no group (``no-pfs``)."""
    digits = word.removeprefix("group")
    return int(digits) if word.startswith("group") and digits.isdecimal() else None


def record_text(encryption: list[str], hashes: list[str], groups: list[str], ike: bool) -> str:
    """A profile as the record keeps it (PAN-OS's words, its keys between them)."""
    words = ["encryption", *encryption, "hash" if ike else "authentication", *hashes]
    groups = [g for g in groups if g != NO_PFS]
    return " ".join(words + (["dh-group", *groups] if groups else []))


def parts(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {key: [] for key in _KEYS}
    key = "encryption"
    for word in text.split():
        if word in _KEYS:
            key = word
        else:
            out[key].append(word)
    return out


def of_record(text: str, ike: bool | None = None) -> list[dict[str, set]]:
    """A record's profile, each combination it offers in the kinds and names
    driver/analysis/cgw_proposals.acceptable reads (a word AWS has no name for is
    kept under ``other``, so that combination is none AWS takes)."""
    found = parts(text)
    ike = bool(found["hash"]) if ike is None else ike
    hashes = found["hash"] + found["authentication"] or ["none"]
    groups = {g for w in found["dh-group"] if (g := group_number(w)) is not None}
    out = []
    for cipher, hashed in product(map(canonical, found["encryption"]), hashes):
        proposal: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        proposal["dh"] = set(groups)
        proposal["other"] |= {w for w in found["dh-group"] if group_number(w) is None}
        aws = CIPHERS.get(cipher, (None, None))[0]
        proposal["enc" if aws else "other"].add(aws or cipher)
        if hashed in NO_HASH:
            if cipher not in AEAD:
                proposal["other"].add(hashed)
        else:
            name = HASHES.get(hashed, (None, None))[0]
            if name is None:
                proposal["other"].add(hashed)
            elif cipher in AEAD:  # GCM: the hash is IKE's PRF only; ESP's has none
                if ike:
                    proposal["prf"].add(name)
            else:
                proposal["integ"].add(name)
                proposal["prf"].add(name)
        out.append(proposal)
    return out
