"""Synthesis through ``main.py`` in a child process, and the HCL hand-off."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.paths import PROJECT, SYNTH_ROOT, shareable
from driver.lab import declared_features
from driver.lab.loader import load_lab
from driver.lab.model import Lab
from driver.synth.terraform import Terraform


def synth(lab_path: Path, outdir: Path = SYNTH_ROOT, hcl: bool = False) -> Path:
    """Synthesize the lab; return its stack directory (cdk.tf.json or cdk.tf)."""
    lab = load_lab(lab_path)  # a bad lab fails here, before node starts
    if lab.onprem.vpc_cidr.prefixlen < 16:
        raise VpnlabError(
            f"{lab_path}: onprem.vpc_cidr {lab.onprem.vpc_cidr} is wider than /16, so AWS "
            "cannot create it as the VPC that plays on-premises (VPCs are /16 to /28): "
            "`vpnlab check` runs this lab locally; synth and apply need a /16 to /28"
        )
    refused = declared_features.synthesis_refusals(lab)
    if refused:
        raise VpnlabError(
            f"{lab_path}: synthesis cannot write what this lab declares:\n  "
            + "\n  ".join(refused)
            + "\n`vpnlab lint` lists each declared feature and what a local PASS means with it"
        )
    _refuse_without_cdktf()
    outdir = outdir.absolute()  # main.py runs in vpnlab's own folder
    outdir.mkdir(parents=True, exist_ok=True)  # cdktf makes only the last level
    command = [sys.executable, str(PROJECT / "main.py"), str(lab_path.absolute())]
    command += ["--outdir", str(outdir)] + (["--hcl"] if hcl else [])
    # jsii unpacks its runtime into TMPDIR and removes it only at a clean exit: a
    # synthesis interrupted or killed leaves nothing in /tmp when the folder is ours.
    with tempfile.TemporaryDirectory(prefix="vpnlab-synth-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(PROJECT), "TMPDIR": tmp}
        proc = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    if proc.returncode < 0:
        try:
            killer = signal.Signals(-proc.returncode).name
        except ValueError:  # a real-time signal: no name
            killer = f"signal {-proc.returncode}"
        raise VpnlabError(f"synthesis of {lab_path} was killed ({killer})")
    if proc.returncode != 0:
        raise VpnlabError(f"synthesis of {lab_path} failed:\n{proc.stderr.strip()[-4000:]}")
    return stack_dir(lab, outdir)


def _refuse_without_cdktf() -> None:
    """Synthesis needs CDK for Terraform (an extra: check and lint do not) and the
    Node.js its jsii runtime runs on; said before anything runs."""
    missing = []
    if importlib.util.find_spec("cdktf") is None:
        missing.append(
            "CDK for Terraform (vpnlab's `terraform` extra: pip install 'vpnlab[terraform]')"
        )
    if shutil.which("node") is None:
        missing.append("Node.js (`node`, Debian's nodejs), which cdktf's jsii runtime runs on")
    if missing:
        raise VpnlabError(
            "synthesis (synth, hcl, apply) needs "
            + " and ".join(missing)
            + "; `make setup` installs both. check, lint and init need neither"
        )


def stack_dir(lab: Lab, outdir: Path = SYNTH_ROOT) -> Path:
    return outdir / "stacks" / lab.name


# Marks a directory as vpnlab's HCL output and lists what vpnlab wrote there,
# so a later export replaces exactly those files and nothing of the user's.
OUTPUT_MARKER = ".vpnlab-hcl-output"


def claim_output_dir(target: Path) -> list[Path]:
    """The files a new export may replace in ``target`` (which may not exist yet);
    refuse a directory that holds anything vpnlab did not write there."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise VpnlabError(
            f"{target} is not a directory: choose an absent or empty directory for -o"
        )
    if not target.exists() or not any(target.iterdir()):
        return []
    marker = target / OUTPUT_MARKER
    if not marker.is_file():
        raise VpnlabError(
            f"{target} is not empty and is not vpnlab's HCL output (no {OUTPUT_MARKER}): "
            "nothing was written. Choose an absent or empty directory for -o, or remove "
            "this one yourself if you mean to replace it"
        )
    return [target / line for line in marker.read_text().splitlines() if line.strip()]


def export_hcl(lab_path: Path, target: Path) -> Path:
    """Write formatted HCL plus the templates it references into ``target``.

    cdktf keeps templates under content-hash directories (assets/<id>/<hash>/);
    a team maintaining the HCL by hand wants templates/<name>, referenced from
    the module's own directory. ``target`` must be absent, empty or an earlier
    export (``claim_output_dir``): only vpnlab's own files are replaced.
    """
    previous = claim_output_dir(target)
    with tempfile.TemporaryDirectory(prefix="vpnlab-hcl-") as tmp:
        stack = synth(lab_path, Path(tmp), hcl=True)
        main_tf = (stack / "cdk.tf").read_text()
        for old in previous:
            if old.resolve().is_relative_to(target.resolve()) and old.is_file():
                old.unlink()
        (target / "templates").mkdir(parents=True, exist_ok=True)
        written = ["main.tf"]
        for asset in sorted((stack / "assets").glob("*/*/*")):
            shutil.copy(asset, target / "templates" / asset.name)
            written.append(f"templates/{asset.name}")
            old = f'"{asset.relative_to(stack)}"'
            main_tf = main_tf.replace(old, f'"${{path.module}}/templates/{asset.name}"')
        (target / "main.tf").write_text(main_tf)
        (target / OUTPUT_MARKER).write_text("\n".join(written) + "\n")
    Terraform(target).fmt("main.tf")  # the user's own .tf files stay as they are
    for name in written:  # a hand-off: readable by the team, unlike vpnlab's own state
        shareable(target / name)
    shareable(target / "templates")
    if not previous:
        target.chmod(0o755)
    return target


def copy_stack(stack: Path, workdir: Path) -> None:
    """The synthesized files into the Terraform working directory (state kept)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "assets", ignore_errors=True)
    shutil.copytree(stack / "assets", workdir / "assets")
    shutil.copy(stack / "cdk.tf.json", workdir / "cdk.tf.json")
