"""Junos's proposal words in AWS's names and in strongSwan's. Each ``proposal`` is one
combination (``encryption-algorithm``, ``authentication-algorithm``, ``dh-group``);
a policy offers its ``proposals`` in order; an IPsec policy's PFS group is its
``perfect-forward-secrecy keys`` (Juniper's YANG for SRX, 24.4R1: the enums of
ike-proposal, ipsec-proposal and ipsec-policy). With GCM, IKE has no
authentication-algorithm (its PRF is SHA-256 for aes-128-gcm and SHA-384 for
aes-256-gcm: Juniper, "Understanding IKE" PRF table) and IPsec none.

A record holds each proposal as its words, ``;`` between proposals:
``aes-256-cbc sha-256 group14; …`` (IKE), ``aes-256-cbc hmac-sha-256-128 group14``
(ESP, with the policy's PFS group; none without)."""

from __future__ import annotations

# Junos's word -> (AWS's name or None, strongSwan's)
CIPHERS = {
    "des-cbc": (None, "des"), "3des-cbc": (None, "3des"),
    "aes-128-cbc": ("AES128", "aes128"), "aes-192-cbc": (None, "aes192"),
    "aes-256-cbc": ("AES256", "aes256"),
    "aes-128-gcm": ("AES128-GCM-16", "aes128gcm16"), "aes-192-gcm": (None, "aes192gcm16"),
    "aes-256-gcm": ("AES256-GCM-16", "aes256gcm16"),
}  # fmt: skip
HASHES = {
    "md5": (None, "md5"), "sha1": ("SHA1", "sha1"), "sha-256": ("SHA2-256", "sha256"),
    "sha-384": ("SHA2-384", "sha384"), "sha-512": ("SHA2-512", "sha512"),
    "hmac-md5-96": (None, "md5"), "hmac-sha1-96": ("SHA1", "sha1"),
    "hmac-sha-256-128": ("SHA2-256", "sha256"), "hmac-sha-256-96": (None, "sha256_96"),
    "hmac-sha-384": ("SHA2-384", "sha384"), "hmac-sha-512": ("SHA2-512", "sha512"),
}  # fmt: skip
GCM_PRF = {"aes-128-gcm": "sha-256", "aes-192-gcm": "sha-384", "aes-256-gcm": "sha-384"}


def group_number(word: str | None) -> int | None:
    digits = (word or "").removeprefix("group")
    return int(digits) if (word or "").startswith("group") and digits.isdecimal() else None


def of_record(text: str, ike: bool | None = None) -> list[dict[str, set]]:
    """A record's proposals in the kinds and names driver/analysis/cgw_proposals.
    acceptable reads (a word AWS has no name for is kept under ``other``)."""
    out = []
    for proposal in (p.split() for p in text.split(";") if p.strip()):
        parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        cipher, hashed, groups = proposal[0], None, proposal[1:]
        if groups and not groups[0].startswith("group"):
            hashed, groups = groups[0], groups[1:]
        aws = CIPHERS.get(cipher, (None, None))[0]
        parsed["enc" if aws else "other"].add(aws or cipher)
        name = HASHES.get(hashed or GCM_PRF.get(cipher, ""), (None, None))[0]
        if hashed and name is None:
            parsed["other"].add(hashed)
        elif name and cipher in GCM_PRF:
            parsed["prf"].add(name)
        elif name:
            parsed["integ"].add(name)
            parsed["prf"].add(name)
        for word in groups:
            number = group_number(word)
            parsed["dh" if number else "other"].add(number or word)
        out.append(parsed)
    return out
