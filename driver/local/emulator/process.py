"""The embedded AWS API emulator: moto in server mode on 127.0.0.1, extended.

The server process runs driver/local/emulator/server.py: pinned moto plus vpnlab's
extensions (what moto lacks for a VPN lab).

The synthesized Terraform is never edited for the local target: a Terraform
override file (driver/synth/provider_override.py) points the AWS provider at
the emulator.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from driver.core.code import code_version
from driver.core.errors import VpnlabError
from driver.core.paths import PROJECT
from driver.core.processes import ProcessIdentity, process_alive
from driver.local.emulator import auth
from driver.synth.provider_override import endpoint_provider, write_override

OVERRIDE_FILE = "vpnlab_local_override.tf.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_MODULE = "driver.local.emulator.server"


@dataclass
class Emulator:
    port: int
    pid: int
    identity: ProcessIdentity | None = None  # None: a record from before identities
    credentials: dict[str, str] = field(default_factory=dict, repr=False)  # auth.py
    code: str = ""  # driver/core/code.py's, when it started ("": recorded before that)

    @classmethod
    def from_record(cls, record: dict) -> Emulator:
        return cls(
            record["port"],
            record["pid"],
            ProcessIdentity.from_record(record),
            record.get("credentials", {}),
            record.get("code", ""),
        )

    def record(self) -> dict:
        """For the lab's state (0600: it holds the emulator's key)."""
        identity = self.identity.record() if self.identity else {}
        return {"port": self.port, **identity, "credentials": self.credentials, "code": self.code}

    def outdated(self) -> bool:
        """Does it run vpnlab code other than this checkout's (updated since it started)?
        It holds the lab's resources in memory: only a destroy and an apply replace it."""
        return self.code != code_version()

    def environment(self) -> dict[str, str]:
        """What Terraform and boto3 need to talk to this emulator, and nothing else."""
        return {**self.credentials, "AWS_EC2_METADATA_DISABLED": "true"}

    def session(self, region: str) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=self.credentials.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=self.credentials.get("AWS_SECRET_ACCESS_KEY"),
            region_name=region,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, log: Path, timeout: float = 30.0) -> Emulator:
        port = free_port()
        credentials = auth.new_credentials()
        env = {
            **os.environ,
            auth.ACCESS_KEY_ENV: credentials["AWS_ACCESS_KEY_ID"],
            auth.SECRET_KEY_ENV: credentials["AWS_SECRET_ACCESS_KEY"],
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
            "PYTHONPATH": str(PROJECT),
        }
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    SERVER_MODULE,
                    "-H",
                    "127.0.0.1",
                    "-p",
                    str(port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        emulator = cls(
            port, proc.pid, ProcessIdentity.of(proc.pid, SERVER_MODULE), credentials,
            code_version(),
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise VpnlabError(f"the AWS emulator exited at start; see {log}")
            if emulator.answers():
                return emulator
            time.sleep(0.1)
        emulator.stop()
        raise VpnlabError(f"the AWS emulator did not answer within {timeout:.0f} s; see {log}")

    def alive(self) -> bool:
        return process_alive(self.pid)

    def ours(self) -> bool:
        """Is the recorded PID still the emulator vpnlab started (not a reused PID)?"""
        return self.identity is not None and self.identity.running()

    def answers(self) -> bool:
        if not self.ours():
            return False
        try:
            urllib.request.urlopen(f"{self.url}{auth.HEALTH_PATH}", timeout=2).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """Stop the emulator's process group; never signal a PID that is not it."""
        if not self.ours():
            return
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            # our own child stays a zombie, and signalable, until reaped
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, os.WNOHANG)
            try:
                os.killpg(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.killpg(self.pid, signal.SIGKILL)


def write_provider_override(workdir: Path, emulator: Emulator) -> Path:
    """The local target's override: the provider at the emulator, with its key."""
    keys = (
        emulator.credentials["AWS_ACCESS_KEY_ID"],
        emulator.credentials["AWS_SECRET_ACCESS_KEY"],
    )
    return write_override(workdir / OVERRIDE_FILE, endpoint_provider(emulator.url, keys))
