"""Lint rules for a customer's IKE and ESP proposals: would the VPN connection's
tunnel options accept them, are they strict, do they offer PFS, are they weak."""

from __future__ import annotations

from driver.analysis.findings import Finding
from driver.cgw.record import ConfiguredTunnel
from driver.lab import aws_rules
from driver.lab.model import Lab, TunnelOptions

# strongSwan keyword -> (kind, AWS name). Kinds: enc, integ, prf, dh.
_KEYWORDS = {
    **{kw: ("enc", aws) for aws, kw in aws_rules.ENCRYPTION.items()},
    "aes128gcm128": ("enc", "AES128-GCM-16"),
    "aes256gcm128": ("enc", "AES256-GCM-16"),
    **{kw: ("integ", aws) for aws, kw in aws_rules.INTEGRITY.items()},
    "sha2_256": ("integ", "SHA2-256"),
    "sha2_384": ("integ", "SHA2-384"),
    "sha2_512": ("integ", "SHA2-512"),
    **{kw: ("prf", aws) for aws, kw in aws_rules.PRF.items()},
    **{kw: ("dh", group) for group, kw in aws_rules.DH_GROUPS.items()},
}


def parsed_proposals(text: str) -> tuple[list[dict[str, set]], bool]:
    """Parsed proposals ({kind: {AWS names}}, unknown keywords under 'other'), strict?"""
    strict = text.strip().endswith("!")
    out = []
    for proposal in text.strip().rstrip("!").split(","):
        parsed: dict[str, set] = {
            "enc": set(),
            "integ": set(),
            "prf": set(),
            "dh": set(),
            "other": set(),
        }
        for token in proposal.strip().split("-"):
            kind, name = _KEYWORDS.get(token, ("other", token))
            parsed[kind].add(name)
        out.append(parsed)
    return out, strict


def acceptable(proposal: dict[str, set], phase, ike: bool) -> bool:
    """Would AWS (these tunnel options) accept some combination in this proposal?"""
    enc = proposal["enc"] & set(phase.encryption)
    if not enc or proposal["other"]:
        return False
    aead = all(e in aws_rules.AEAD_ENCRYPTION for e in enc)
    integrity = proposal["prf"] if (aead and ike) else proposal["integ"]
    if not aead and not (integrity & set(phase.integrity)):
        return False
    if aead and ike and proposal["prf"] and not (proposal["prf"] & set(phase.integrity)):
        return False
    return not proposal["dh"] or bool(proposal["dh"] & set(phase.dh_groups)) or not ike


def no_common(
    kind: str,
    where: str,
    offered: str,
    phase,
    hint: str = "offer what the VPN connection allows (or widen its options)",
) -> Finding:
    """None of what a tunnel offers (``offered``: who offers what) is accepted."""
    return Finding(
        "conf-no-common-ike" if kind == "IKE" else "conf-no-common-esp",
        "error",
        where,
        f"{offered} is accepted: the tunnel options allow {'/'.join(phase.encryption)}, "
        f"{'/'.join(phase.integrity)}, DH {'/'.join(map(str, phase.dh_groups))}",
        hint,
    )


def proposal_findings(
    t: ConfiguredTunnel, lab: Lab, i: int, options: TunnelOptions
) -> list[Finding]:
    out = []
    where = t.where
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    if t.settings is not None and t.esp is None:
        out.append(
            Finding(
                "conf-no-pfs",
                "warning",
                where,
                f"{t.name}: no esp= line: strongSwan's default ESP proposals name no DH "
                "group; the first CHILD_SA comes up, but AWS requires PFS when it rekeys",
                "add esp=, e.g. esp=aes256-sha256-modp2048!",
            )
        )
    if t.settings is None and t.esp == "default":
        out.append(
            Finding(
                "conf-no-pfs",
                "warning",
                where,
                f"{t.name}: no esp_proposals: strongSwan's default ESP proposals name no DH "
                "group; the first CHILD_SA comes up, but AWS requires PFS when it rekeys",
                "add esp_proposals to the child, e.g. esp_proposals = aes256-sha256-modp2048",
            )
        )
    for kind, text, phase, ike in (
        ("IKE", t.ike, options.phase1, True),
        ("ESP", t.esp, options.phase2, False),
    ):
        if not text or text == "default":
            continue
        proposals, strict = parsed_proposals(text)
        swanctl = t.settings is None
        if swanctl:  # swanctl.conf takes the proposals as written; 'default' adds its own
            strict = "default" not in [p.strip() for p in text.split(",")]
            proposals = [p for p in proposals if p["other"] != {"default"}] or proposals
        accepted = [p for p in proposals if acceptable(p, phase, ike)]
        if not accepted and strict:
            out.append(no_common(kind, where, f"{t.name}: no {kind} proposal in '{text}'", phase))
        elif not strict:
            out.append(
                Finding(
                    "conf-defaults-appended",
                    "info",
                    where,
                    f"{t.name}: '{text}' "
                    + (
                        "names 'default': strongSwan adds its default proposals"
                        if swanctl
                        else "has no trailing '!': strongSwan appends its default proposals"
                    )  # fmt: skip
                    + ", so what is negotiated may not be what is written"
                    + (
                        ""
                        if accepted
                        else f" (none of the written {kind} proposals is "
                        "accepted; only the defaults would match)"
                    ),
                    "drop 'default' once the others match the tunnel options"
                    if swanctl
                    else "end it with '!' once it matches the tunnel options",
                )
            )
        out += weak_findings(t.name, kind, proposals, where)
        if not ike and not any(p["dh"] for p in proposals):
            out.append(
                Finding(
                    "conf-no-pfs",
                    "warning",
                    where,
                    f"{t.name}: ESP '{text}' names no DH group: the first CHILD_SA "
                    "comes up, but AWS requires PFS when it rekeys (phase 2 "
                    "lifetime)",
                    "add the PFS group, e.g. esp=aes256-sha256-modp2048!",
                )
            )
    return out


def proposals_of(text: str, ike: bool) -> dict[str, list]:
    """The tunnel options (AWS's names) that accept what these proposals offer:
    what ``vpnlab init --from-cgw-config`` writes. Empty where nothing fits."""
    return options_accepting(parsed_proposals(text)[0], ike)


def options_accepting(proposals: list[dict[str, set]], ike: bool) -> dict[str, list]:
    """The tunnel options that accept these proposals, each in AWS's names
    (``enc``, ``integ``, ``prf``, ``dh``), whichever implementation read them."""
    offered = set(aws_rules.ENCRYPTION) | aws_rules.AEAD_ENCRYPTION
    groups = aws_rules.PHASE1_DH_GROUPS if ike else aws_rules.PHASE2_DH_GROUPS
    encryption = sorted({e for p in proposals for e in p["enc"] if e in offered})
    integrity = sorted(
        {i for p in proposals for i in (p["integ"] | p["prf"]) if i in aws_rules.INTEGRITY}
    )
    dh = sorted({g for p in proposals for g in p["dh"] if g in groups})
    chosen: dict[str, list] = {}
    if encryption:
        chosen["encryption"] = encryption
    if integrity:
        chosen["integrity"] = integrity
    if dh:
        chosen["dh_groups"] = dh
    return chosen


def weak_findings(name: str, kind: str, proposals: list[dict[str, set]], where: str):
    """The weak algorithms a tunnel's proposals offer (in AWS's names)."""
    weak = {f"DH {g}" for p in proposals for g in p["dh"] & aws_rules.WEAK_DH_GROUPS}
    weak |= {"SHA1" for p in proposals if p["integ"] & aws_rules.WEAK_INTEGRITY}
    if not weak:
        return []
    return [
        Finding(
            "conf-weak-proposal",
            "warning",
            where,
            f"{name}: {kind} proposal offers {', '.join(sorted(weak))}",
            "use DH 14+ (modp2048, ecp256 …) and SHA2",
        )
    ]
