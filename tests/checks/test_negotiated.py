"""The independent oracle (driver/checks/negotiated.py) on SAs as vici lists them."""

from driver.checks.negotiated import judge, suite
from driver.lab.tunnel_model import Phase, TunnelOptions

SA = {
    "version": b"2",
    "state": b"ESTABLISHED",
    "encr-alg": b"AES_CBC",
    "encr-keysize": b"256",
    "integ-alg": b"HMAC_SHA2_256_128",
    "prf-alg": b"PRF_HMAC_SHA2_256",
    "dh-group": b"MODP_2048",
    "child-sas": {
        "Tunnel1-1": {"state": b"DELETED", "encr-alg": b"AES_CBC", "encr-keysize": b"128"},
        "Tunnel1-3": {
            "state": b"INSTALLED",
            "encr-alg": b"AES_CBC",
            "encr-keysize": b"256",
            "integ-alg": b"HMAC_SHA2_256_128",
            "dh-group": b"MODP_2048",
        },
    },
}
SEED = TunnelOptions(
    ike_versions=("ikev2",),
    phase1=Phase(("AES256",), ("SHA2-256",), (14,), 28800),
    phase2=Phase(("AES256",), ("SHA2-256",), (14,), 3600),
)


def test_the_suite_reads_as_ipsec_status_prints_it():
    assert suite(SA) == (
        "IKEv2 AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, "
        "ESP AES_CBC_256/HMAC_SHA2_256_128/MODP_2048"
    )


def test_what_the_options_allow_passes():
    assert judge(SA, SEED) == []


def test_each_algorithm_outside_the_options_is_named():
    weaker = {
        **SA,
        "version": b"1",
        "encr-keysize": b"128",
        "dh-group": b"MODP_1024",
        "child-sas": {"c": {**SA["child-sas"]["Tunnel1-3"], "integ-alg": b"HMAC_SHA1_96"}},
    }
    assert judge(weaker, SEED) == [
        "IKEV1 (allowed: ikev2)",
        "IKE AES_CBC_128 (allowed: AES256)",
        "IKE MODP_1024 (allowed: DH 14)",
        "ESP HMAC_SHA1_96 (allowed: SHA2-256)",
    ]


def test_gcm_needs_no_integrity_but_a_prf_in_ike():
    gcm = {**SA, "encr-alg": b"AES_GCM_16", "integ-alg": b""}
    options = TunnelOptions(
        ike_versions=("ikev2",),
        phase1=Phase(("AES256-GCM-16",), ("SHA2-256",), (14,), 28800),
        phase2=SEED.phase2,
    )
    assert judge(gcm, options) == []
