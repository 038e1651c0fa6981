"""Synthesis through ``main.py`` in a child process, and the HCL hand-off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from driver.errors import VpnlabError
from driver.lab.loader import load_lab
from driver.lab.model import Lab
from driver.paths import PROJECT, SYNTH_ROOT
from driver.synth.terraform import Terraform


def synth(lab_path: Path, outdir: Path = SYNTH_ROOT, hcl: bool = False) -> Path:
    """Synthesize the lab; return its stack directory (cdk.tf.json or cdk.tf)."""
    lab = load_lab(lab_path)  # a bad lab fails here, before node starts
    outdir.mkdir(parents=True, exist_ok=True)  # cdktf makes only the last level
    command = [sys.executable, str(PROJECT / "main.py"), str(lab_path), "--outdir", str(outdir)] + (
        ["--hcl"] if hcl else []
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise VpnlabError(f"synthesis of {lab_path} failed:\n{proc.stderr.strip()[-4000:]}")
    return stack_dir(lab, outdir)


def stack_dir(lab: Lab, outdir: Path = SYNTH_ROOT) -> Path:
    return outdir / "stacks" / lab.name


def export_hcl(lab_path: Path, target: Path) -> Path:
    """Write formatted HCL plus the templates it references into ``target``.

    cdktf keeps templates under content-hash directories (assets/<id>/<hash>/);
    a team maintaining the HCL by hand wants templates/<name>, referenced from
    the module's own directory.
    """
    with tempfile.TemporaryDirectory(prefix="vpnlab-hcl-") as tmp:
        stack = synth(lab_path, Path(tmp), hcl=True)
        main_tf = (stack / "cdk.tf").read_text()
        if target.exists():
            shutil.rmtree(target)
        (target / "templates").mkdir(parents=True)
        for asset in sorted((stack / "assets").glob("*/*/*")):
            shutil.copy(asset, target / "templates" / asset.name)
            old = f'"{asset.relative_to(stack)}"'
            main_tf = main_tf.replace(old, f'"${{path.module}}/templates/{asset.name}"')
        (target / "main.tf").write_text(main_tf)
    Terraform(target).fmt()
    return target


def copy_stack(stack: Path, workdir: Path) -> None:
    """The synthesized files into the Terraform working directory (state kept)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "assets", ignore_errors=True)
    shutil.copytree(stack / "assets", workdir / "assets")
    shutil.copy(stack / "cdk.tf.json", workdir / "cdk.tf.json")
