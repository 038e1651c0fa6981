"""One source of the AWS side (driver/local/shared/tunnel_record.py): a lab's tunnel goes
through the record AWS would store, and comes back as it was written."""

import dataclasses

import pytest

from driver.core.paths import PROJECT
from driver.lab import aws_rules
from driver.lab.loader import load_lab
from driver.lab.tunnel_model import Phase, TunnelOptions
from driver.local.shared import tunnel_record

LABS = sorted(p for p in (PROJECT / "labs").glob("*.yml") if p.name != "broken.yml")


@pytest.mark.parametrize("path", LABS, ids=[p.stem for p in LABS])
def test_every_shipped_labs_tunnels_round_trip_through_awss_record(path):
    for tunnel in load_lab(path).tunnels:
        stored = tunnel_record.record(
            tunnel_record.request_of(tunnel), "198.51.100.1", str(tunnel.inside_cidr), "k" * 32
        )
        assert tunnel_record.tunnel_of(stored) == dataclasses.replace(
            tunnel, preshared_key="k" * 32
        )


def test_what_a_request_leaves_out_is_awss_default():
    stored = tunnel_record.record({}, "198.51.100.1", "169.254.10.0/30", "k" * 32)
    options = tunnel_record.tunnel_of(stored).options
    assert options == TunnelOptions(
        ike_versions=("ikev1", "ikev2"),
        phase1=Phase(
            tuple(aws_rules.ENCRYPTION),
            tuple(aws_rules.INTEGRITY),
            tuple(sorted(aws_rules.PHASE1_DH_GROUPS)),
            28800,
        ),
        phase2=Phase(
            tuple(aws_rules.ENCRYPTION),
            tuple(aws_rules.INTEGRITY),
            tuple(sorted(aws_rules.PHASE2_DH_GROUPS)),
            3600,
        ),
    )
    assert options == TunnelOptions()  # and the lab's defaults are AWS's


def test_a_zero_in_the_record_is_zero_not_awss_default():
    """RekeyFuzzPercentage 0 (rekey exactly at the margin) is a value AWS holds, not an
    absent one; a record without PreSharedKey (the key in Secrets Manager) has none."""
    option = {"TunnelInsideCidr": "169.254.10.0/30", "RekeyFuzzPercentage": 0}
    tunnel = tunnel_record.tunnel_of(option)
    assert tunnel.options.rekey_fuzz == 0 and tunnel.options.rekey_margin == 270
    assert tunnel.preshared_key is None
