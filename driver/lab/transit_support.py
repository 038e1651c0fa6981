"""What vpnlab does with a Transit Gateway lab today, said before a command runs.

A Transit Gateway lab loads, is validated by AWS's Transit Gateway rules, is
linted (its route tables resolved from the lab), checked in a local data plane,
synthesized (JSON or HCL), handed off (a parameter sheet per site), drawn, and
applied, verified, shown and destroyed on the local target
(driver/local/transit_target.py). The AWS target's verify would judge only its first
site against a virtual private gateway, a verdict AWS would not give: the AWS
target refuses it, naming what works (issue 34 builds the rest).
"""

from __future__ import annotations

from pathlib import Path

from driver.core.errors import VpnlabError

READY = frozenset({"lint", "synth", "hcl", "sheet", "diagram", "check"})
LOCAL_ONLY = frozenset({"apply", "verify", "status", "destroy"})  # the local target's


def refuse_unless_ready(command: str, lab_path: Path, target: str = "local") -> None:
    """Refuse ``command`` for a Transit Gateway lab it cannot run yet (a lab that does
    not load is left to the command, which reports its problems)."""
    from driver.core.errors import LabError
    from driver.lab.loader import load_lab

    if command in READY or (command in LOCAL_ONLY and target == "local"):
        return
    try:
        lab = load_lab(lab_path)
    except LabError:
        return
    if lab.transit_gateway is not None:
        raise VpnlabError(
            f"{lab_path} is a Transit Gateway lab ({len(lab.sites)} sites, {len(lab.vpcs)} "
            f"VPCs): vpnlab {command} --target {target} runs labs with a virtual private "
            "gateway only, for now. For a Transit Gateway lab: lint, check, synth, hcl, "
            "sheet --site NAME, diagram, and apply, verify, status and destroy on the local "
            "target (--target local)"
        )
