"""Rendered configurations loaded by real strongSwan (Debian's charon, starter, swanctl).

Each daemon runs in a fresh network namespace with only loopback: the tunnels
try to start but no packet can leave it.
"""

import dataclasses
import os
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from driver.lab import aws_rules
from driver.local.dataplane import cgw
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace
from driver.render.cloud_init import (
    CharonOptions,
    fill_secrets,
    strongswan_files,
    vpn_server_user_data,
)
from tests.conftest import requires_root
from tests.goldens import AT_BOOT, EXAMPLE, seed_in_style

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

PSKS = ("first.key_for_tests", "second.key_for_tests")


@pytest.fixture
def isolated_charon(tmp_path):
    """Start charon for a lab in a loopback-only namespace; always stopped."""
    started = []

    def start(lab, starter_conns: tuple[str, ...] = ()) -> Charon:
        ns = Namespace(f"t{secrets.token_hex(3)}", "charon").create()
        files = strongswan_files(lab, EXAMPLE, CharonOptions(log_file="/run/charon.log"))
        files = {p: fill_secrets(c, PSKS) for p, c in files.items()}
        style = lab.strongswan.config_style
        charon = Charon(ns, tmp_path / ns.name, files, style, starter_conns=starter_conns)
        started.append(charon)
        charon.start()
        return charon

    yield start
    for charon in started:
        charon.stop()
        charon.ns.delete()


def conns_when_loaded(charon: Charon, count: int, timeout: float = 10) -> dict:
    """list_conns, once ``count`` connections are there (the starter loads asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        with charon.session() as session:
            conns = {}
            for item in session.list_conns():
                conns.update(item)
        if len(conns) >= count or time.monotonic() > deadline:
            return conns
        time.sleep(0.05)


def text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@pytest.mark.parametrize("style", ["swanctl", "ipsec.conf"])
def test_real_strongswan_loads_both_tunnels_as_rendered(style, isolated_charon):
    lab = seed_in_style(style)
    conns = conns_when_loaded(isolated_charon(lab), 2)
    assert sorted(conns) == ["Tunnel1", "Tunnel2"]
    for n, name in enumerate(("Tunnel1", "Tunnel2")):
        conn = conns[name]
        assert [text(a) for a in conn["remote_addrs"]] == [EXAMPLE.tunnel_addresses[n]]
        assert text(conn["version"]) == "IKEv2"
        child = conn["children"][name]
        assert [text(t) for t in child["local-ts"]] == ["192.168.0.0/16"]
        assert [text(t) for t in child["remote-ts"]] == ["10.0.0.0/16"]
        assert text(child["mode"]) == "TUNNEL"
        assert text(conn["local-1"]["id"]) == EXAMPLE.public_ip
        assert text(conn["remote-1"]["id"]) == EXAMPLE.tunnel_addresses[n]


def test_a_started_charon_holds_the_conns_starter_adds(isolated_charon):
    """starter adds ipsec.conf's conns over stroke after charon answers: a started
    charon holds them all, so the first packet of a peer that initiates then (AWS's
    endpoints with startup action start) finds them, not NO_PROPOSAL_CHOSEN."""
    lab = seed_in_style("ipsec.conf")
    files = strongswan_files(lab, EXAMPLE, CharonOptions())
    names = cgw.starter_conns(files)
    assert names == ("Tunnel1", "Tunnel2")
    with isolated_charon(lab, names).session() as session:  # read once, at once
        assert sorted(name for item in session.list_conns() for name in item) == list(names)


@pytest.mark.parametrize("style", ["swanctl", "ipsec.conf"])
def test_real_strongswan_holds_both_shared_keys(style, isolated_charon):
    charon = isolated_charon(seed_in_style(style))
    conns_when_loaded(charon, 2)
    with charon.session() as session:
        if style == "swanctl":
            keys = session.get_shared()["keys"]
            assert sorted(text(k) for k in keys) == ["ike-Tunnel1", "ike-Tunnel2"]
    # ipsec.secrets goes to the stroke backend, not vici: its load shows in the log.
    log = charon.log()
    assert "loaded IKE secret" in log or style == "swanctl", log[-2000:]
    assert not any(psk in log for psk in PSKS), "a pre-shared key reached charon's log"


def test_a_rekey_charon_refuses_is_its_answer_not_a_crash(isolated_charon):
    """vici raises charon's "no" (a CHILD_SA being replaced, say): the lifecycle
    reads it as the step's outcome, never as a traceback."""
    charon = isolated_charon(seed_in_style("swanctl"))
    conns_when_loaded(charon, 2)
    answer = charon.rekey({"child": "Tunnel1"})  # no SA: nothing can leave the namespace
    assert answer == {"success": "no", "errmsg": "no matching SAs to rekey found"}


def test_every_algorithm_aws_offers_is_accepted_by_strongswan(isolated_charon):
    lab = seed_in_style("swanctl")
    every = dataclasses.replace(
        lab.vpn.tunnel_options,
        phase1=dataclasses.replace(
            lab.vpn.tunnel_options.phase1,
            encryption=tuple(aws_rules.ENCRYPTION),
            integrity=tuple(aws_rules.INTEGRITY),
            dh_groups=tuple(sorted(aws_rules.PHASE1_DH_GROUPS)),
        ),
        phase2=dataclasses.replace(
            lab.vpn.tunnel_options.phase2,
            encryption=tuple(aws_rules.ENCRYPTION),
            integrity=tuple(aws_rules.INTEGRITY),
            dh_groups=tuple(sorted(aws_rules.PHASE2_DH_GROUPS)),
        ),
    )
    tunnels = tuple(dataclasses.replace(t, options=every) for t in lab.tunnels)
    lab = dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))
    charon = isolated_charon(lab)  # swanctl --load-all fails on any unknown algorithm
    conns = conns_when_loaded(charon, 2)
    assert sorted(conns) == ["Tunnel1", "Tunnel2"]
    assert "invalid" not in charon.log().lower()


def test_boot_fills_the_configuration_from_ssm_and_never_logs_keys(tmp_path):
    """vpnlab-fill-config as the instance runs it, with a stand-in ``aws`` CLI that
    answers the tunnel addresses and keys the VPN connection put into SSM."""
    lab = seed_in_style("ipsec.conf")
    files = {
        f["path"]: f["content"]
        for f in yaml.safe_load(vpn_server_user_data(lab, AT_BOOT))["write_files"]
    }
    templates = tmp_path / "etc-vpnlab" / "templates"
    for path, content in files.items():
        if path.startswith("/etc/vpnlab/templates/"):
            target = templates / path.removeprefix("/etc/vpnlab/templates/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
    for name in ("ipsec.conf", "ipsec.secrets"):
        (tmp_path / name).write_text("")
    script = tmp_path / "vpnlab-fill-config"
    script.write_text(files["/usr/local/sbin/vpnlab-fill-config"])
    script.chmod(0o755)
    (tmp_path / "bin").mkdir()
    fake_aws = tmp_path / "bin" / "aws"
    fake_aws.write_text(
        "#!/bin/bash\n# get-parameter: tunnel addresses and keys, as SSM would answer\n"
        'case "$*" in\n'
        "  *tunnel1/address*) echo 198.51.100.1;; *tunnel2/address*) echo 198.51.100.2;;\n"
        f"  *tunnel1/psk*) echo {PSKS[0]};; *tunnel2/psk*) echo {PSKS[1]};;\n"
        "  *) exit 255;;\nesac\n"
    )
    fake_aws.chmod(0o755)
    mounts = "; ".join(
        [
            f"mkdir -p /etc/vpnlab && mount --bind {tmp_path}/etc-vpnlab /etc/vpnlab",
            f"mount --bind {tmp_path}/ipsec.conf /etc/ipsec.conf",
            f"mount --bind {tmp_path}/ipsec.secrets /etc/ipsec.secrets",
            str(script),
        ]
    )
    env = {**os.environ, "PATH": f"{tmp_path}/bin:{os.environ['PATH']}"}
    mount_point = Path("/etc/vpnlab")  # mounts are private, but mkdir is the host's
    existed = mount_point.exists()
    try:
        proc = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-ec", mounts],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        if not existed:
            mount_point.rmdir()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conf = (tmp_path / "ipsec.conf").read_text()
    assert "right = 198.51.100.1" in conf and "rightid = 198.51.100.2" in conf
    written = (tmp_path / "ipsec.secrets").read_text()
    assert f'203.0.113.10 198.51.100.1 : PSK "{PSKS[0]}"' in written
    assert f'203.0.113.10 198.51.100.2 : PSK "{PSKS[1]}"' in written
    assert "@VPNLAB_" not in conf + written
    assert oct((tmp_path / "ipsec.secrets").stat().st_mode & 0o777) == "0o600"
    assert not any(psk in proc.stdout + proc.stderr for psk in PSKS)
    assert "wrote /etc/ipsec.secrets" in proc.stdout
    assert "tunnel addresses: 198.51.100.1, 198.51.100.2" in proc.stdout


def test_a_node_writes_only_to_its_own_run_and_var(isolated_charon, tmp_path):
    """A customer's updown script runs as charon does (its mount namespace and its root:
    nsenter --root): the host's file system is read-only there, the node's /run and
    /var are its own."""
    charon = isolated_charon(seed_in_style("swanctl"))

    def inside(*command):
        return subprocess.run(
            ["nsenter", f"--target={charon.pid}", "--mount", "--root", *command],
            capture_output=True,
            text=True,
            timeout=10,
        )

    outside = tmp_path / "written-by-the-node"
    assert inside("touch", str(outside)).returncode != 0
    assert not outside.exists()
    assert inside("touch", "/etc/vpnlab-probe").returncode != 0  # the overlay has no upper
    assert inside("touch", "/var/lib/vpnlab-probe").returncode == 0
    assert (charon.var_dir / "lib" / "vpnlab-probe").exists()
