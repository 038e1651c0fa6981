"""strongSwan's proposal keywords (``aes256gcm16-prfsha256-ecp256``, ``,`` between
proposals) in AWS's names, for the routers that keep their proposals in
strongSwan's own words (OPNsense's Connections): the kinds and names
driver/analysis/cgw_proposals.acceptable reads, a word AWS has no name for kept
under ``other``. Aliases as strongSwan's proposal keywords list them (its
``proposal_keywords_static.txt``: ``sha2_256`` for ``sha256``, ``curve25519`` for
``x25519``)."""

from __future__ import annotations

from driver.cgw.twin_swanctl import GROUPS

CIPHERS = {
    "aes128": "AES128", "aes256": "AES256",
    "aes128gcm16": "AES128-GCM-16", "aes128gcm128": "AES128-GCM-16",
    "aes256gcm16": "AES256-GCM-16", "aes256gcm128": "AES256-GCM-16",
}  # fmt: skip
HASHES = {
    "sha1": "SHA1", "sha": "SHA1", "sha256": "SHA2-256", "sha2_256": "SHA2-256",
    "sha384": "SHA2-384", "sha2_384": "SHA2-384", "sha512": "SHA2-512", "sha2_512": "SHA2-512",
}  # fmt: skip
DH = {name: number for number, name in GROUPS.items()} | {"x25519": 31, "x448": 32}


def in_aws_names(text: str) -> list[dict[str, set]]:
    out = []
    for proposal in (p for p in text.strip().rstrip("!").split(",") if p.strip()):
        parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        words = proposal.strip().split("-")
        aead = any("gcm" in w or "poly1305" in w for w in words)
        for word in words:
            if word in CIPHERS:
                parsed["enc"].add(CIPHERS[word])
            elif word in HASHES:
                # with an AEAD cipher an integrity keyword is the PRF (strongSwan's rule)
                parsed["prf"].add(HASHES[word])
                if not aead:
                    parsed["integ"].add(HASHES[word])
            elif word.startswith("prf") and word[3:] in HASHES:
                parsed["prf"].add(HASHES[word[3:]])
            elif word in DH:
                parsed["dh"].add(DH[word])
            elif word != "none":
                parsed["other"].add(word)
        out.append(parsed)
    return out
