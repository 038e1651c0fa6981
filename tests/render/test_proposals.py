"""strongSwan proposal strings from AWS's tunnel options (driver/render/proposals.py)."""

import itertools

import pytest

from driver.core.errors import LabError
from driver.lab import aws_rules
from driver.lab.loader import parse_lab
from driver.lab.tunnel_model import Phase, TunnelOptions
from driver.render import proposals
from tests.lab.test_loader import lab_with

STRONGSWAN_KEYWORDS = (
    set(aws_rules.ENCRYPTION.values())
    | set(aws_rules.INTEGRITY.values())
    | set(aws_rules.PRF.values())
    | set(aws_rules.DH_GROUPS.values())
)


def _options(enc, integ, dh1, dh2) -> TunnelOptions:
    return TunnelOptions(
        phase1=Phase(encryption=enc, integrity=integ, dh_groups=dh1),
        phase2=Phase(encryption=enc, integrity=integ, dh_groups=dh2, lifetime=3600),
    )


ALL_COMBINATIONS = list(
    itertools.product(
        [(e,) for e in aws_rules.ENCRYPTION],
        [(i,) for i in aws_rules.INTEGRITY],
        [(g,) for g in sorted(aws_rules.PHASE1_DH_GROUPS)],
    )
)


@pytest.mark.parametrize(
    "enc,integ,dh",
    ALL_COMBINATIONS,
    ids=["-".join(map(str, (*e, *i, *d))) for e, i, d in ALL_COMBINATIONS],
)
def test_each_aws_combination_renders_only_shared_algorithms(enc, integ, dh):
    opts = _options(enc, integ, dh, dh)
    for proposal in proposals.ike_proposal_list(opts) + proposals.esp_proposal_list(opts):
        tokens = proposal.split("-")
        assert set(tokens) <= STRONGSWAN_KEYWORDS, proposal
        assert aws_rules.DH_GROUPS[dh[0]] in tokens  # PFS in phase 2, as AWS does
        aead = enc[0] in aws_rules.AEAD_ENCRYPTION
        assert any(t.startswith("prf") for t in tokens) == (
            aead and proposal in proposals.ike_proposal_list(opts)
        )


def test_mixed_aead_and_classic_ciphers_become_separate_proposals():
    opts = _options(("AES256", "AES256-GCM-16"), ("SHA2-256",), (14, 20), (14,))
    assert proposals.ike_proposals(opts) == (
        "aes256-sha256-modp2048-ecp384,aes256gcm16-prfsha256-modp2048-ecp384"
    )
    assert proposals.esp_proposals(opts) == "aes256-sha256-modp2048,aes256gcm16-modp2048"


@pytest.mark.parametrize(
    "versions,expected",
    [(("ikev1",), (1, "ikev1")), (("ikev2",), (2, "ikev2")), (("ikev1", "ikev2"), (0, "ike"))],
)
def test_ike_version_mapping(versions, expected):
    opts = TunnelOptions(ike_versions=versions)
    assert (proposals.ike_version(opts), proposals.keyexchange(opts)) == expected


def test_a_lab_asking_for_what_aws_does_not_offer_never_reaches_rendering():
    for change in (
        ("vpn.tunnel_options.phase1.encryption", ["3DES"]),
        ("vpn.tunnel_options.phase2.integrity", ["MD5"]),
        ("vpn.tunnel_options.phase1.dh_groups", [5]),
    ):
        with pytest.raises(LabError):
            parse_lab(lab_with(change))


def test_ikev1_initiators_offer_each_combination_as_a_proposal_of_its_own():
    """charon, initiating IKEv1, sends each proposal's first algorithm of each kind
    only: the emulated VGW's IKEv1 proposals are every combination, one each, in the
    options' order (IKE: one DH group each; ESP: every group, quick mode's KE is one)."""
    opts = _options(("AES128", "AES256", "AES128-GCM-16"), ("SHA1", "SHA2-256"), (2, 14), (2, 14))
    ike = proposals.ikev1_proposal_list(opts, ike=True)
    esp = proposals.ikev1_proposal_list(opts, ike=False)
    assert ike[:3] == ["aes128-sha1-modp1024", "aes128-sha1-modp2048", "aes128-sha256-modp1024"]
    assert len(ike) == 2 * 2 * 2 and not any("gcm" in p for p in ike)  # IKEv1 has no AEAD IKE SA
    assert esp == [
        "aes128-sha1-modp1024-modp2048", "aes128-sha256-modp1024-modp2048",
        "aes256-sha1-modp1024-modp2048", "aes256-sha256-modp1024-modp2048",
        "aes128gcm16-modp1024-modp2048",
    ]  # fmt: skip
    # every combination the combined proposals allow, and nothing else
    combined = {
        tuple(sorted(p.split("-"))) for p in proposals.ike_proposal_list(opts)[:1]
    }  # the classic one
    assert all(set(p.split("-")) <= set(next(iter(combined))) for p in ike)
