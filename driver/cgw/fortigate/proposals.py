"""FortiOS's proposal words in AWS's names. A FortiOS proposal is
``<encryption>-<hash>`` (``aes128-sha1``, ``aes256-sha256``; with GCM in phase 1
``aes128gcm-prfsha256``, in phase 2 just ``aes128gcm``), and the DH groups are a
separate list (``set dhgrp 14 5``), offered with every proposal (FortiOS CLI
Reference, ``proposal`` and ``dhgrp`` of phase1-interface and phase2-interface)."""

from __future__ import annotations

ENCRYPTION = {
    "aes128": "AES128",
    "aes256": "AES256",
    "aes128gcm": "AES128-GCM-16",
    "aes256gcm": "AES256-GCM-16",
}
HASHES = {"sha1": "SHA1", "sha256": "SHA2-256", "sha384": "SHA2-384", "sha512": "SHA2-512"}


def in_aws_names(proposal: str, dhgrp: str, pfs: bool = True) -> list[dict[str, set]]:
    """Each FortiOS proposal word, with the DH groups, in the kinds and names
    driver/analysis/cgw_proposals.acceptable reads; a word AWS has no name for is
    kept under ``other``."""
    groups = {int(g) for g in dhgrp.split() if g.isdecimal()} if pfs else set()
    out = []
    for word in proposal.split():
        cipher, _, hashed = word.partition("-")
        parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        parsed["dh"] = set(groups)
        if cipher in ENCRYPTION:
            parsed["enc"].add(ENCRYPTION[cipher])
        else:
            parsed["other"].add(cipher)
        if hashed.startswith("prf"):  # GCM in phase 1: the PRF only
            prf = HASHES.get(hashed.removeprefix("prf"))
            parsed["prf" if prf else "other"].add(prf or hashed)
        elif hashed:
            integrity = HASHES.get(hashed)
            parsed["integ" if integrity else "other"].add(integrity or hashed)
            if integrity:
                parsed["prf"].add(integrity)
        out.append(parsed)
    return out


def of_record(text: str) -> list[dict[str, set]]:
    """A record's proposals (tunnels.proposal_text) in AWS's names."""
    proposal, _, groups = text.partition(" dhgrp ")
    return in_aws_names(proposal, groups)
