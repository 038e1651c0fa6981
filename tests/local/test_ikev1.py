"""IKEv1 end to end: most customer gateways in the field, and most vendors' AWS
samples, speak IKEv1. A check follows AWS's reauthentication (IKEv1 keeps the old
IKE SA for seconds after its CHILD_SAs moved to the new one) to its end (root)."""

import shutil

import pytest

from driver.lab.loader import parse_lab
from driver.local.check_command import run_check
from driver.paths import PROJECT
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
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


def test_a_customers_ikev1_ipsec_conf_with_awss_sample_proposals_passes(tmp_path):
    """The seed's own files, as IKEv1 with the proposals of AWS's strongSwan sample
    (aes128-sha1 with a DH group AWS allows, PFS in phase 2)."""
    etc = tmp_path / "etc"
    shutil.copytree(VENDOR, etc)
    conf = (etc / "ipsec.conf").read_text()
    conf = conf.replace("keyexchange=ike\n", "keyexchange=ikev1\n")
    conf = conf.replace("ike=aes256-sha256-modp1024\n", "ike=aes128-sha1-modp2048!\n")
    conf = conf.replace("    keylife=1h\n", "    keylife=1h\n    esp=aes128-sha1-modp2048!\n")
    conf = conf.replace("leftsubnet=192.168.1.0/16", "leftsubnet=192.168.0.0/16")
    (etc / "ipsec.conf").write_text(conf)
    suite = {"encryption": ["AES128"], "integrity": ["SHA1"], "dh_groups": [14]}
    lab = ikev1_lab(
        "ikev1-customer",
        **{"vpn.tunnel_options.phase1": suite, "vpn.tunnel_options.phase2": suite},
    )
    report = run_check(lab, cgw_config=etc)
    assert_lifecycle_passed(report)
    negotiated = {c.name: c.detail for c in report.checks if c.name.endswith("negotiated")}
    assert all(d.startswith("IKEv1 AES_CBC_128/HMAC_SHA1_96") for d in negotiated.values())
