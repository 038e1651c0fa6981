"""Libreswan's secrets read as pluto itself loads them (root): pluto, from the
Libreswan `make setup` unpacks, runs in a throwaway network and mount namespace
with the fixture's files at /etc, and ``whack --listpsks`` names the identities of
each pre-shared key it loaded; vpnlab's reader must find the same ones."""

import secrets
import shlex
import subprocess

import pytest

from driver.cgw.libreswan import files
from driver.cgw.libreswan.install import LIBEXEC, tool
from tests.cgw.libreswan.test_reading import OPENSWAN_SAMPLE
from tests.conftest import requires_root
from tests.fixtures import cgw_fixture

pytestmark = [pytest.mark.root, requires_root()]


def pluto_psks(etc, work) -> list[list[str]]:
    """The identities of each PSK pluto loaded from ``etc`` (its /etc), in its order."""
    run, nss = work / "run", work / "nss"
    run.mkdir()
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    q = shlex.quote
    whack = f"{q(str(tool('whack')))} --ctlsocket {q(str(run))}/pluto.ctl"
    binds = [("ipsec.conf", "/etc/ipsec.conf"), ("ipsec.secrets", "/etc/ipsec.secrets")]
    binds += [("ipsec.d", "/etc/ipsec.d")] if (etc / "ipsec.d").is_dir() else []
    script = "\n".join(
        [
            "set -e",
            # pluto runs its helpers from their compiled-in place
            "mount -t tmpfs vpnlab-test /usr/libexec",
            "mkdir /usr/libexec/ipsec",
            f"mount --bind {q(str(LIBEXEC))} /usr/libexec/ipsec",
            *(f"mount --bind {q(str(etc / name))} {path}" for name, path in binds),
            f"{q(str(tool('pluto')))} --nofork --rundir {q(str(run))} --nssdir {q(str(nss))}"
            f" --logfile {q(str(run))}/pluto.log &",
            f"for i in $(seq 100); do [ -S {q(str(run))}/pluto.ctl ] && break; sleep 0.05; done",
            # pluto loads its secrets after its socket is up: under load a --listpsks
            # came first and listed none. A reread is served in order, before the list.
            f"{whack} --rereadsecrets",
            f"{whack} --listpsks",
            f"{whack} --shutdown >/dev/null",
            "wait",
        ]
    )
    namespace = f"vpnlab-pluto-{secrets.token_hex(3)}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    try:
        out = subprocess.run(
            ["ip", "netns", "exec", namespace, "unshare", "-m", "--propagation", "private"]
            + ["sh", "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    finally:
        subprocess.run(["ip", "netns", "delete", namespace], check=False)
    return [line.split(": PSK ", 1)[1].split() for line in out.splitlines() if ": PSK " in line]


@pytest.mark.parametrize(
    "etc", [cgw_fixture("libreswan"), OPENSWAN_SAMPLE], ids=["alma", "openswan"]
)
def test_the_keys_read_are_those_pluto_loads(etc, tmp_path):
    loaded = pluto_psks(etc, tmp_path)
    ours = [s.ids for s in files.load(etc).secrets if s.kind == "PSK"]
    # pluto lists the last loaded first, each key's identities in reverse
    assert [list(reversed(ids)) for ids in reversed(ours)] == loaded
    assert loaded  # the fixture has keys, and pluto found them
