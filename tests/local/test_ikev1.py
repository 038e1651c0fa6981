"""IKEv1 end to end: most customer gateways in the field, and most vendors' AWS
samples, speak IKEv1. A check follows AWS's reauthentication (IKEv1 keeps the old
IKE SA for seconds after its CHILD_SAs moved to the new one) to its end (root).
Customers' IKEv1 files: tests/scenarios/ikev1-aws-sample, ikev1-swanctl-confd."""

import pytest

from driver.lab.loader import parse_lab
from driver.local.check_command import run_check
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

LIFECYCLE = (
    "lifecycle: AWS rekeys each CHILD_SA, with PFS",
    "lifecycle: AWS rekeys each IKE SA (IKEv1: reauthenticates)",
    "lifecycle: the customer gateway rekeys each CHILD_SA",
)


def ikev1_lab(name: str, style: str = "ipsec.conf", **changes):
    return parse_lab(
        lab_with(
            ("name", name),
            ("strongswan.config_style", style),
            ("vpn.tunnel_options.ike_versions", ["ikev1"]),
            *changes.items(),
        )
    )


def assert_lifecycle_passed(report):
    rows = {c.name: c for c in report.checks}
    for name in LIFECYCLE:
        assert rows[name].passed, (name, rows[name].detail)
    assert "new IKE SA" in rows[LIFECYCLE[1]].detail
    assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]


@pytest.mark.parametrize("style", ["ipsec.conf", "swanctl"])
def test_an_ikev1_lab_as_vpnlab_renders_it_passes_with_awss_reauthentication(style):
    report = run_check(ikev1_lab(f"ikev1-{style.replace('.', '-')}", style))
    assert_lifecycle_passed(report)
