"""strongSwan proposal strings from AWS tunnel options.

Both sides are generated from the same ``TunnelOptions``: the VPN server's
``ike=``/``esp=`` (or swanctl ``proposals``) here, the VPN connection's
``tunnel<n>_phase*`` arguments in modules/vpn.py, and the emulated VGW's
responder in the local lab. So they cannot disagree unless a lab says so.
"""

from driver.lab import aws_rules
from driver.lab.tunnel_model import Phase, TunnelOptions


def _split(phase: Phase) -> tuple[list[str], list[str]]:
    aead = [e for e in phase.encryption if e in aws_rules.AEAD_ENCRYPTION]
    classic = [e for e in phase.encryption if e not in aws_rules.AEAD_ENCRYPTION]
    return classic, aead


def _groups(phase: Phase) -> list[str]:
    return [aws_rules.DH_GROUPS[g] for g in phase.dh_groups]


def ike_proposal_list(options: TunnelOptions) -> list[str]:
    """IKE proposals: classic ciphers with integrity, AEAD ciphers with a PRF."""
    phase = options.phase1
    classic, aead = _split(phase)
    groups = _groups(phase)
    out = []
    if classic:
        out.append(
            "-".join(
                [
                    *(aws_rules.ENCRYPTION[e] for e in classic),
                    *(aws_rules.INTEGRITY[i] for i in phase.integrity),
                    *groups,
                ]
            )
        )
    if aead:
        out.append(
            "-".join(
                [
                    *(aws_rules.ENCRYPTION[e] for e in aead),
                    *(aws_rules.PRF[i] for i in phase.integrity),
                    *groups,
                ]
            )
        )
    return out


def esp_proposal_list(options: TunnelOptions) -> list[str]:
    """ESP proposals with the phase 2 DH groups as PFS groups (AWS uses PFS)."""
    phase = options.phase2
    classic, aead = _split(phase)
    groups = _groups(phase)
    out = []
    if classic:
        out.append(
            "-".join(
                [
                    *(aws_rules.ENCRYPTION[e] for e in classic),
                    *(aws_rules.INTEGRITY[i] for i in phase.integrity),
                    *groups,
                ]
            )
        )
    if aead:
        out.append("-".join([*(aws_rules.ENCRYPTION[e] for e in aead), *groups]))
    return out


def ikev1_proposal_list(options: TunnelOptions, ike: bool) -> list[str]:
    """Every combination the options allow, one proposal each, in their order: what
    an IKEv1 initiator must send to offer them all. IKEv1 carries one algorithm of
    each kind per transform, and charon, initiating IKEv1, sends only the first of
    each kind of each proposal (and, for PFS, the IKE SA's group): a combined
    proposal would offer AES128 with SHA1 alone. IKE's combinations take one DH group
    each (main mode's transform carries it); ESP's keep every group (quick mode's KE
    is one group, chosen by charon)."""
    phase = options.phase1 if ike else options.phase2
    classic, aead = _split(phase)
    groups = _groups(phase)
    combos = [
        [aws_rules.ENCRYPTION[e], aws_rules.INTEGRITY[i]] for e in classic for i in phase.integrity
    ]
    if not ike:  # IKEv1 has no AEAD for its IKE SA
        combos += [[aws_rules.ENCRYPTION[e]] for e in aead]
        return ["-".join([*combo, *groups]) for combo in combos]
    return ["-".join([*combo, group]) for combo in combos for group in groups]


def ike_proposals(options: TunnelOptions) -> str:
    return ",".join(ike_proposal_list(options))


def esp_proposals(options: TunnelOptions) -> str:
    return ",".join(esp_proposal_list(options))


def ike_version(options: TunnelOptions) -> int:
    """swanctl ``version``: 1 or 2, or 0 (either; initiates with IKEv2)."""
    versions = set(options.ike_versions)
    if versions == {"ikev1"}:
        return 1
    if versions == {"ikev2"}:
        return 2
    return 0


def keyexchange(options: TunnelOptions) -> str:
    """ipsec.conf ``keyexchange``."""
    return {0: "ike", 1: "ikev1", 2: "ikev2"}[ike_version(options)]
