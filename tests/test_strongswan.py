"""Rendered configurations loaded by real strongSwan (Debian's charon, starter, swanctl).

Each daemon runs in a fresh network namespace with only loopback: the tunnels
try to start but no packet can leave it.
"""

import dataclasses
import os
import secrets
import subprocess
import time

import pytest
import yaml

from driver import aws_rules
from driver.charon import Charon
from driver.netns import Namespace
from driver.render import CharonOptions, fill_secrets, strongswan_files, vpn_server_user_data
from tests.conftest import requires_root
from tests.goldens import EXAMPLE, seed_in_style

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

PSKS = ("first.key_for_tests", "second.key_for_tests")


@pytest.fixture
def isolated_charon(tmp_path):
    """Start charon for a lab in a loopback-only namespace; always stopped."""
    started = []

    def start(lab) -> Charon:
        ns = Namespace(f"t{secrets.token_hex(3)}", "charon").create()
        files = strongswan_files(lab, EXAMPLE, CharonOptions(log_file="/run/charon.log"))
        files = {p: fill_secrets(c, PSKS) for p, c in files.items()}
        charon = Charon(ns, tmp_path / ns.name, files, lab.strongswan.config_style)
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


def test_boot_writes_keys_from_ssm_with_mode_0600_and_never_logs_them(tmp_path):
    """vpnlab-write-secrets as the instance runs it, with a stand-in ``aws`` CLI."""
    lab = seed_in_style("ipsec.conf")
    files = {}
    for f in yaml.safe_load(vpn_server_user_data(lab, EXAMPLE))["write_files"]:
        files[f["path"]] = f["content"]
    (tmp_path / "bin").mkdir()
    (tmp_path / "etc-vpnlab").mkdir()
    (tmp_path / "etc-vpnlab" / "secrets.template").write_text(files["/etc/vpnlab/secrets.template"])
    (tmp_path / "ipsec.secrets").write_text("")
    script = tmp_path / "vpnlab-write-secrets"
    script.write_text(files["/usr/local/sbin/vpnlab-write-secrets"])
    script.chmod(0o755)
    fake_aws = tmp_path / "bin" / "aws"
    fake_aws.write_text(
        "#!/bin/bash\n# answers get-parameter with a key per name\n"
        f'case "$*" in *tunnel1*) echo {PSKS[0]};; *tunnel2*) echo {PSKS[1]};; '
        "esac\n"
    )
    fake_aws.chmod(0o755)
    mounts = (
        f"mount --bind {tmp_path}/etc-vpnlab /etc/vpnlab 2>/dev/null || "
        f"(mkdir -p /etc/vpnlab && mount --bind {tmp_path}/etc-vpnlab /etc/vpnlab); "
        f"mount --bind {tmp_path}/ipsec.secrets /etc/ipsec.secrets; "
    )
    env = {**os.environ, "PATH": f"{tmp_path}/bin:{os.environ['PATH']}"}
    proc = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-ec", mounts + str(script)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    written = (tmp_path / "ipsec.secrets").read_text()
    assert f'203.0.113.10 198.51.100.1 : PSK "{PSKS[0]}"' in written
    assert f'203.0.113.10 198.51.100.2 : PSK "{PSKS[1]}"' in written
    assert "@VPNLAB_" not in written
    assert oct((tmp_path / "ipsec.secrets").stat().st_mode & 0o777) == "0o600"
    assert not any(psk in proc.stdout + proc.stderr for psk in PSKS)
    assert "pre-shared keys written to /etc/ipsec.secrets (mode 0600)" in proc.stdout
