"""VyOS's proposals in AWS's names. A record holds them as VyOS writes them for
strongSwan (``aes128-sha256-modp2048``, ``,`` between proposals: tunnels.py), so
this reads strongSwan's keywords — those vyos-1x accepts (its
``vpn-ipsec-encryption.xml.i`` and ``-hash.xml.i``; dh-group 1-32) — into the kinds
and names driver/analysis/cgw_proposals.acceptable reads. A word AWS has no name
for is kept under ``other``."""

from __future__ import annotations

from driver.cgw.twin_swanctl import GROUPS

# VyOS's encryption and hash words -> AWS's names
CIPHERS = {
    "aes128": "AES128", "aes256": "AES256",
    "aes128gcm128": "AES128-GCM-16", "aes256gcm128": "AES256-GCM-16",
}  # fmt: skip
HASHES = {"sha1": "SHA1", "sha256": "SHA2-256", "sha384": "SHA2-384", "sha512": "SHA2-512"}
PRFS = {"prf" + word: name for word, name in HASHES.items()}
NUMBERS = {name: number for number, name in GROUPS.items()}


def of_record(text: str) -> list[dict[str, set]]:
    out = []
    for proposal in (p for p in text.split(",") if p.strip()):
        parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        for word in proposal.strip().split("-"):
            if word in CIPHERS:
                parsed["enc"].add(CIPHERS[word])
            elif word in HASHES:
                parsed["integ"].add(HASHES[word])
            elif word in PRFS:
                parsed["prf"].add(PRFS[word])
            elif word in NUMBERS:
                parsed["dh"].add(NUMBERS[word])
            else:
                parsed["other"].add(word)
        out.append(parsed)
    return out
