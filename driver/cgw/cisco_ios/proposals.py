"""Cisco IOS's proposal words in AWS's names and in strongSwan's.

IKEv1: each ``crypto isakmp policy`` is one proposal (``encryption aes 256``,
``hash sha256``, ``group 14``); IKEv2: each ``crypto ikev2 proposal`` offers every
combination of its ``encryption``, ``integrity`` and ``group`` lists; ESP: a
``crypto ipsec transform-set`` (``esp-aes 256 esp-sha256-hmac``, ``esp-gcm 256``)
with the profile's ``set pfs groupN`` (Cisco IOS Security Command Reference).
A record holds each as its words, ``;`` between proposals (``encryption aes 256
hash sha256 group 14; …``; ``esp-aes 256 esp-sha-hmac pfs group14``)."""

from __future__ import annotations

# (AWS's name, strongSwan's) by IOS's word
IKEV1_CIPHERS = {
    "aes": ("AES128", "aes128"), "aes 128": ("AES128", "aes128"),
    "aes 192": (None, "aes192"), "aes 256": ("AES256", "aes256"),
    "3des": (None, "3des"), "des": (None, "des"),
}  # fmt: skip
IKEV2_CIPHERS = {
    "aes-cbc-128": ("AES128", "aes128"), "aes-cbc-192": (None, "aes192"),
    "aes-cbc-256": ("AES256", "aes256"), "aes-gcm-128": ("AES128-GCM-16", "aes128gcm16"),
    "aes-gcm-256": ("AES256-GCM-16", "aes256gcm16"), "3des": (None, "3des"),
}  # fmt: skip
HASHES = {
    "sha": ("SHA1", "sha1"), "sha1": ("SHA1", "sha1"), "sha256": ("SHA2-256", "sha256"),
    "sha384": ("SHA2-384", "sha384"), "sha512": ("SHA2-512", "sha512"), "md5": (None, "md5"),
}  # fmt: skip
ESP_CIPHERS = {
    "esp-aes": ("AES128", "aes128"), "esp-aes 128": ("AES128", "aes128"),
    "esp-aes 192": (None, "aes192"), "esp-aes 256": ("AES256", "aes256"),
    "esp-gcm": ("AES128-GCM-16", "aes128gcm16"), "esp-gcm 128": ("AES128-GCM-16", "aes128gcm16"),
    "esp-gcm 256": ("AES256-GCM-16", "aes256gcm16"),
    "esp-3des": (None, "3des"), "esp-des": (None, "des"),
}  # fmt: skip
ESP_HASHES = {
    "esp-sha-hmac": ("SHA1", "sha1"), "esp-sha256-hmac": ("SHA2-256", "sha256"),
    "esp-sha384-hmac": ("SHA2-384", "sha384"), "esp-sha512-hmac": ("SHA2-512", "sha512"),
    "esp-md5-hmac": (None, "md5"),
}  # fmt: skip


def pairs(words: list[str], table: dict) -> list[str]:
    """IOS's words with a key size joined to their cipher (``aes 256``, ``esp-gcm 256``)."""
    out: list[str] = []
    for word in words:
        if word.isdecimal() and out and f"{out[-1]} {word}" in table:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def parts(proposal: str) -> dict[str, list[str]]:
    """``encryption aes 256 hash sha group 14`` -> {encryption: [aes 256], …}; an
    ESP proposal's transforms are under ``transforms``, its PFS group under ``pfs``."""
    words = proposal.split()
    out: dict[str, list[str]] = {}
    key = "transforms"
    for word in words:
        if word in ("encryption", "hash", "integrity", "prf", "group", "pfs"):
            key = word
            out.setdefault(key, [])
        else:
            out.setdefault(key, []).append(word)
    return out


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
        # IKEv2's proposals have integrity, or only a PRF with GCM; IKEv1's a hash
        ciphers = IKEV2_CIPHERS if "integrity" in found or "prf" in found else IKEV1_CIPHERS
        for word in pairs(found.get("encryption", []), ciphers):
            add("enc", word, ciphers)
        for word in found.get("hash", []) + found.get("integrity", []):
            add("integ", word, HASHES)
            add("prf", word, HASHES)
        for word in found.get("prf", []):
            add("prf", word, HASHES)
        groups = found.get("group", [])
    else:
        for word in pairs(found.get("transforms", []), ESP_CIPHERS | ESP_HASHES):
            if word in ESP_HASHES:
                add("integ", word, ESP_HASHES)
            else:
                add("enc", word, ESP_CIPHERS)
        groups = [g.removeprefix("group") for g in found.get("pfs", [])]
    out["dh"] = {int(g) for g in groups if g.isdecimal()}
    out["other"] |= {f"group {g}" for g in groups if not g.isdecimal()}
    return out
