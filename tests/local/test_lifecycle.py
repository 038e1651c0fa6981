"""The lifecycle's rows count only the SAs their step made (root).

Seen in CI, in the guest: a tunnel that a DPD restart negotiated again during
"AWS rekeys each CHILD_SA" brought a new IKE SA whose IKE_AUTH installed a new
CHILD_SA, and the row passed on it ("no PFS group"): no rekey had happened.
Here the customer's real charon does that on purpose: asked for a rekey, it
deletes the tunnel's IKE SA and negotiates a new one.
"""

import pytest

from driver.checks.vici_fields import text
from driver.lab.loader import parse_lab
from driver.local import lifecycle
from driver.local.check_command import run_check
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

CHILD_REKEY = "lifecycle: AWS rekeys each CHILD_SA, with PFS"


def test_a_tunnel_set_up_anew_during_awss_child_rekey_is_no_rekey(monkeypatch):
    asked = lifecycle._initiate

    def set_up_anew_instead(runner, step, tunnel):
        if (step.node, step.sa) != ("vgw", "child"):
            return asked(runner, step, tunnel)
        address = runner.dp.plan.tunnel_addresses[int(tunnel.removeprefix("Tunnel")) - 1]
        [(name, sa)] = [
            (name, sa)
            for name, sa in runner.sas("server").items()
            if text(sa.get("remote-host")) == address
        ]
        [child] = [text(c["name"]) for c in sa["child-sas"].values()]
        customer = runner.dp.charons["server"]
        customer.swanctl("--terminate", "--ike", name, "--timeout", "10")
        customer.initiate(child)
        return None  # as if AWS's endpoint had asked

    monkeypatch.setattr(lifecycle, "_initiate", set_up_anew_instead)
    report = run_check(parse_lab(lab_with(("name", "anew"))))
    rows = {c.name: c for c in report.checks}
    rekey = rows[CHILD_REKEY]
    assert not rekey.passed and not report.passed
    assert "the tunnel was set up anew, not rekeyed" in rekey.detail
    assert "received DELETE for IKE_SA" in rekey.detail  # the customer deleted it
    # the next steps, asked as usual, pass on the tunnels the customer brought back
    assert rows["lifecycle: AWS rekeys each IKE SA (IKEv1: reauthenticates)"].passed
    assert rows["lifecycle: the customer gateway rekeys each CHILD_SA"].passed
