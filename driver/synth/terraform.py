"""A small typed wrapper around the Terraform CLI.

Why not python-terraform: its last release (0.10.1, 2019) is broken against
Terraform >= 0.15 (``destroy`` passes the removed ``-force``, ``output(name)``
crashes, ``apply`` fails without ``skip_plan``). Terraform's own machine
interfaces (``-json`` events, ``output -json``, ``show -json``) are stable, so
a thin layer over ``subprocess`` with argument lists is the sturdier tool.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.paths import state_root

PROVIDER_MIRRORS = (Path("/opt/tf-plugins"), Path("/usr/share/terraform/plugins"))


class TerraformError(VpnlabError):
    def __init__(self, command: list[str], output: str, diagnostics: list[str] = ()):
        self.command, self.output, self.diagnostics = command, output, list(diagnostics)
        detail = "\n".join(self.diagnostics) or output.strip()[-4000:]
        super().__init__(f"terraform {command[1]} failed:\n{detail}")


def find_provider_mirror() -> Path | None:
    """A filesystem mirror holding hashicorp/aws, if this machine has one."""
    for root in PROVIDER_MIRRORS:
        if (root / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return root
    return None


def write_cli_config(path: Path | None = None) -> Path:
    """Write the project's own Terraform CLI config (idempotent).

    With a local provider mirror, providers come from it and nothing else
    (these machines have no route to the registry); otherwise the registry.
    A plugin cache keeps repeated ``init`` fast.
    """
    path = path or state_root() / "terraformrc"
    mirror = find_provider_mirror()
    cache = path.parent / "plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)
    lines = [f'plugin_cache_dir = "{cache}"', "disable_checkpoint = true"]
    if mirror:
        lines += [
            "provider_installation {",
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
            '    include = ["registry.terraform.io/*/*"]\n  }',
            '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }',
            "}",
        ]
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def psk_variable_name(n: int, site: str = "") -> str:
    """The sensitive variable that carries tunnel n's key when the lab sets one (a
    Transit Gateway lab's: ``<site>_tunnel<n>_preshared_key``)."""
    return (
        f"{site.replace('-', '_')}_tunnel{n}_preshared_key" if site else f"tunnel{n}_preshared_key"
    )


def key_variables(lab) -> dict[str, str]:
    """The lab's own keys as TF_VAR_ environment: never written to a file."""
    connections = [(s.name, s.vpn) for s in lab.sites] if lab.sites else [("", lab.vpn)]
    return {
        f"TF_VAR_{psk_variable_name(n, site)}": tunnel.preshared_key
        for site, vpn in connections
        for n, tunnel in enumerate(vpn.tunnels, start=1)
        if tunnel.preshared_key
    }


@dataclass
class Terraform:
    """Terraform in one working directory, with the project's CLI config."""

    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    binary: str = "terraform"

    def __post_init__(self):
        if shutil.which(self.binary) is None:
            raise VpnlabError(
                "terraform is not installed (needed: >= 1.5); see the README's set-up section"
            )

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(write_cli_config()),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            **self.env,
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [self.binary, *args]
        proc = subprocess.run(
            command, cwd=self.workdir, env=self._env(), capture_output=True, text=True
        )
        if check and proc.returncode != 0:
            raise TerraformError(command, proc.stdout + proc.stderr, _diagnostics(proc.stdout))
        return proc

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def validate(self) -> dict:
        proc = self.run("validate", "-json", "-no-color", check=False)
        result = json.loads(proc.stdout)
        if not result.get("valid"):
            raise TerraformError(
                ["terraform", "validate"],
                proc.stdout,
                [_format(d) for d in result.get("diagnostics", [])],
            )
        return result

    def plan(self, *extra: str) -> int:
        """Exit code of ``plan -detailed-exitcode``: 0 no changes, 2 changes."""
        proc = self.run(
            "plan", "-input=false", "-no-color", "-detailed-exitcode", *extra, check=False
        )
        if proc.returncode not in (0, 2):
            raise TerraformError(["terraform", "plan"], proc.stdout + proc.stderr)
        return proc.returncode

    def stream(self, *args: str, on_event: Callable[[dict], None] = lambda e: None) -> None:
        """Run a ``-json`` command, handing each event to ``on_event``."""
        verb, *rest = args  # flags before positional arguments (a saved plan comes last)
        command = [self.binary, verb, "-json", "-input=false", *rest]
        diagnostics, lines = [], []
        with subprocess.Popen(
            command,
            cwd=self.workdir,
            env=self._env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        ) as proc:
            try:
                for event in _events(proc.stdout, lines):
                    if (
                        event.get("type") == "diagnostic"
                        and event["diagnostic"].get("severity") == "error"
                    ):
                        diagnostics.append(_format(event["diagnostic"]))
                    on_event(event)
            except BaseException:
                _stop_gracefully(proc)
                raise
        if proc.returncode != 0:
            raise TerraformError(command, "\n".join(lines), diagnostics)

    def outputs(self) -> dict:
        proc = self.run("output", "-json")
        return {name: o["value"] for name, o in json.loads(proc.stdout).items()}

    def fmt(self, *files: str) -> None:
        """Format ``files`` (default: every file) in place; fails on syntax errors."""
        self.run("fmt", "-no-color", *(files or ("-recursive",)))

    def is_formatted(self) -> bool:
        return self.run("fmt", "-recursive", "-check", "-no-color", check=False).returncode == 0


def _stop_gracefully(proc: subprocess.Popen, timeout: float = 60) -> None:
    """Stop Terraform as Ctrl-C in a terminal would: SIGINT, so it finishes the
    call in flight and saves its state; killed if it does not stop in time."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.communicate(timeout=timeout)  # drained, so it never blocks on a full pipe
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def resource_progress(progress: Callable[[str], None], started: float):
    """An ``on_event`` for ``stream``: one line per resource applied or destroyed,
    and on a terminal (driver/core/progress.py) the one in flight with its seconds
    (a VPN connection takes 5-10 minutes on AWS)."""
    waiting = getattr(progress, "waiting", None)

    def on_event(event: dict) -> None:
        kind = event.get("type")
        hook = event.get("hook", {})
        if kind == "apply_start" and waiting is not None:
            action = {"create": "creating", "delete": "destroying", "update": "updating"}
            doing = action.get(hook.get("action"), hook.get("action"))
            waiting(f"  {hook['resource']['addr']}: {doing}")
        if kind in ("apply_complete", "apply_errored"):
            verb = {
                "create": "created",
                "delete": "destroyed",
                "update": "updated",
                "read": "read",
            }.get(hook.get("action"), hook.get("action"))
            status = verb if kind == "apply_complete" else f"FAILED to {hook.get('action')}"
            progress(
                f"  [{time.monotonic() - started:5.1f} s] {hook['resource']['addr']}: "
                f"{status} ({hook.get('elapsed_seconds', 0)} s)"
            )

    return on_event


def _events(stream, lines: list[str]) -> Iterator[dict]:
    for line in stream:
        lines.append(line.rstrip())
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue


def _diagnostics(stdout: str) -> list[str]:
    out = []
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("type") == "diagnostic":
            out.append(_format(event["diagnostic"]))
    return out


def _format(diagnostic: dict) -> str:
    where = diagnostic.get("range", {})
    at = f" ({where['filename']}:{where['start']['line']})" if where else ""
    detail = diagnostic.get("detail", "")
    return f"{diagnostic.get('severity', 'error')}: {diagnostic['summary']}{at}" + (
        f": {detail}" if detail else ""
    )
