"""AWS rekeys inside the rekey margin before an SA expires, at a time drawn over the
fuzz's share of that margin (EC2 API: RekeyMarginTimeSeconds, RekeyFuzzPercentage):
the emulated VGW's charon schedules its rekeys there, as its SAs say (root)."""

import pytest

from driver.checks.vici_fields import text
from driver.lab.loader import parse_lab
from driver.lab.nodes import VGW_ENDPOINTS
from driver.local.check_command import run_check, workdir
from driver.local.dataplane import vgw
from driver.local.dataplane.ownership import cleanup
from driver.local.shared.node_access import ViciSession, vici_socket
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

# vici gives whole seconds since the SA's start and until its rekey, each cut
# down: their sum can fall a second short of the rekey's time (CI: 449 for 450).
ROUNDING = 1


@pytest.mark.parametrize(
    "lifetime,margin,fuzz,expected",
    [(900, 450, 100, (899, 449)), (3600, 270, 100, (3599, 269)), (3600, 540, 50, (3330, 270))],
)
def test_the_window_is_the_margin_before_expiry(lifetime, margin, fuzz, expected):
    rekey, rand = vgw.rekey_window(lifetime, margin, fuzz)
    assert (rekey, rand) == expected
    assert lifetime - margin == rekey - rand  # the earliest rekey opens the margin


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_the_vgws_sas_are_scheduled_to_rekey_inside_the_margin():
    lab = parse_lab(
        lab_with(
            ("name", "rekeywindow"),
            ("vpn.tunnel_options.phase2.lifetime", 900),
            ("vpn.tunnel_options.rekey_margin", 450),
            ("vpn.tunnel_options.rekey_fuzz", 100),
        )
    )
    try:
        assert run_check(lab, keep=True, lifecycle=False).passed
        sas = []
        for endpoint in VGW_ENDPOINTS:  # AWS's two endpoints, a tunnel each
            with ViciSession(vici_socket(workdir(lab), endpoint), timeout=5) as session:
                sas += [sa for item in session.list_sas() for sa in item.values()]
    finally:
        cleanup(lab.name)
    assert len(sas) == 2
    phase1 = lab.tunnels[0].options.phase1.lifetime
    for sa in sas:  # each rekey, counted from the SA's own start: within the window
        ike_rekey = int(text(sa["established"])) + int(text(sa["rekey-time"]))
        assert phase1 - 450 - ROUNDING <= ike_rekey <= phase1 - 1 + ROUNDING
        children = list(sa["child-sas"].values())
        assert children
        for child in children:
            child_rekey = int(text(child["install-time"])) + int(text(child["rekey-time"]))
            assert 450 - ROUNDING <= child_rekey <= 899 + ROUNDING, child
            assert int(text(child["install-time"])) + int(text(child["life-time"])) <= 900 + 1
