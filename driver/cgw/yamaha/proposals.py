"""An RTX's algorithm words in AWS's names and in strongSwan's (Yamaha command
reference §15.22 ipsec ike encryption, §15.25 hash, §15.24 group, §15.48.2 ipsec sa
policy). An RTX sets one IKE cipher, hash and group per security gateway and one
ESP cipher and integrity per SA policy; under IKEv2 without proposal-limitation it
offers all it supports at once.

A record holds each proposal as its words, ``;`` between proposals and ``,``
between the alternatives one proposal offers: ``aes-cbc sha modp1024`` (IKE),
``aes-cbc sha-hmac modp1024`` (ESP, with the PFS group; none without)."""

from __future__ import annotations

# the RTX's word -> (AWS's name or None, strongSwan's)
CIPHERS = {
    "des-cbc": (None, "des"), "3des-cbc": (None, "3des"),
    "aes-cbc": ("AES128", "aes128"), "aes256-cbc": ("AES256", "aes256"),
}  # fmt: skip
HASHES = {
    "md5": (None, "md5"), "sha": ("SHA1", "sha1"), "sha256": ("SHA2-256", "sha256"),
    "sha384": ("SHA2-384", "sha384"), "sha512": ("SHA2-512", "sha512"),
    "md5-hmac": (None, "md5"), "sha-hmac": ("SHA1", "sha1"),
    "sha256-hmac": ("SHA2-256", "sha256"), "sha384-hmac": ("SHA2-384", "sha384"),
    "sha512-hmac": ("SHA2-512", "sha512"),
}  # fmt: skip
GROUPS = {"modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14}


def of_record(text: str, ike: bool | None = None) -> list[dict[str, set]]:
    """A record's proposals in the kinds and names driver/analysis/cgw_proposals.
    acceptable reads. Of a proposal's alternatives, those AWS has no name for are
    kept under ``other`` only when none of their kind has one (AWS then picks
    among those it knows)."""
    out = []
    for proposal in (p.split() for p in text.split(";") if p.strip()):
        parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
        for word in proposal:
            options = word.split(",")
            if options[0] in GROUPS:
                kind, names = "dh", [GROUPS.get(o) for o in options]
            elif options[0] in CIPHERS:
                kind, names = "enc", [CIPHERS.get(o, (None,))[0] for o in options]
            else:
                kind, names = "integ", [HASHES.get(o, (None,))[0] for o in options]
            known = {n for n in names if n}
            if not known:
                parsed["other"].update(options)
            parsed[kind] |= known
            if kind == "integ":
                parsed["prf"] |= known
        out.append(parsed)
    return out
