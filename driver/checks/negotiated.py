"""An independent oracle: what the tunnels really negotiated, judged against the
tunnel options.

Both gateways' proposals are rendered from the same mapping of AWS's names to
strongSwan's (driver/lab/aws_rules.py, driver/render/proposals.py), so a wrong
entry there would make both sides agree on the wrong algorithm and pass. This
module reads the algorithms from the established SAs (vici ``list-sas``: the
names charon and ``ipsec status`` print, IANA's transforms) and maps them back
to AWS's names with its own table, written from IANA's registry and AWS's
Site-to-Site VPN user guide, not from the renderer's.
"""

from __future__ import annotations

from driver.checks.vici_fields import current_child, text
from driver.lab.model import TunnelOptions

# (charon's encryption name, key size) -> AWS's name
ENCRYPTION = {
    ("AES_CBC", "128"): "AES128",
    ("AES_CBC", "256"): "AES256",
    ("AES_GCM_16", "128"): "AES128-GCM-16",
    ("AES_GCM_16", "256"): "AES256-GCM-16",
}
AEAD = {"AES_GCM_16", "AES_GCM_12", "AES_GCM_8"}
INTEGRITY = {
    "HMAC_SHA1_96": "SHA1",
    "HMAC_SHA2_256_128": "SHA2-256",
    "HMAC_SHA2_384_192": "SHA2-384",
    "HMAC_SHA2_512_256": "SHA2-512",
}
PRF = {
    "PRF_HMAC_SHA1": "SHA1",
    "PRF_HMAC_SHA2_256": "SHA2-256",
    "PRF_HMAC_SHA2_384": "SHA2-384",
    "PRF_HMAC_SHA2_512": "SHA2-512",
}
# IANA's IKEv2 Diffie-Hellman group numbers, by charon's names
DH_GROUPS = {
    "MODP_1024": 2,
    "MODP_1536": 5,
    "MODP_2048": 14,
    "MODP_3072": 15,
    "MODP_4096": 16,
    "MODP_6144": 17,
    "MODP_8192": 18,
    "ECP_256": 19,
    "ECP_384": 20,
    "ECP_521": 21,
    "MODP_1024_160": 22,
    "MODP_2048_224": 23,
    "MODP_2048_256": 24,
}


def suite(sa: dict) -> str:
    """The negotiated suite as ``ipsec status`` shows it, IKE then ESP."""
    child = current_child(sa)
    ike = "/".join(
        x
        for x in (
            f"{text(sa.get('encr-alg'))}_{text(sa.get('encr-keysize'))}",
            text(sa.get("integ-alg")),
            text(sa.get("prf-alg")),
            text(sa.get("dh-group")),
        )
        if x and x != "_"
    )
    esp = "/".join(
        x
        for x in (
            f"{text(child.get('encr-alg'))}_{text(child.get('encr-keysize'))}",
            text(child.get("integ-alg")),
            text(child.get("dh-group")),
        )
        if x and x != "_"
    )
    return f"IKEv{text(sa.get('version'))} {ike}, ESP {esp}"


def judge(sa: dict, options: TunnelOptions) -> list[str]:
    """Every negotiated algorithm the tunnel options do not allow (empty: all allowed)."""
    child = current_child(sa)
    wrong = []
    version = f"ikev{text(sa.get('version'))}"
    if version not in options.ike_versions:
        wrong.append(f"{version.upper()} (allowed: {', '.join(options.ike_versions)})")
    for what, values, phase, ike in (
        ("IKE", sa, options.phase1, True),
        ("ESP", child, options.phase2, False),
    ):
        encryption = text(values.get("encr-alg"))
        name = ENCRYPTION.get((encryption, text(values.get("encr-keysize"))))
        if name not in phase.encryption:
            got = f"{encryption}_{text(values.get('encr-keysize'))}"
            wrong.append(f"{what} {got} (allowed: {', '.join(phase.encryption)})")
        checked = [("integ-alg", INTEGRITY)] if encryption not in AEAD else []
        checked += [("prf-alg", PRF)] if ike else []
        for key, table in checked:
            if table.get(text(values.get(key))) not in phase.integrity:
                wrong.append(
                    f"{what} {text(values.get(key))} (allowed: {', '.join(phase.integrity)})"
                )
        group = text(values.get("dh-group"))
        if (group or ike) and DH_GROUPS.get(group) not in phase.dh_groups:
            allowed = ", ".join(map(str, phase.dh_groups))
            wrong.append(f"{what} {group or 'no DH group'} (allowed: DH {allowed})")
    return wrong
