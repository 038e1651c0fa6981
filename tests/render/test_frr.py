"""The VPN server's FRR for BGP labs: FRR's own parser takes it, cloud-init
installs it, the boot script starts it, and the tunnels' updown leaves the
AWS route to BGP."""

import subprocess

import pytest
import yaml

from driver.core.paths import PROJECT
from driver.lab.loader import load_lab
from driver.local.dataplane import vgw_bgp
from driver.render.cloud_init import strongswan_files, vpn_server_user_data
from driver.render.frr import FRR_CONF, FRR_DAEMONS, frr_files
from tests.goldens import AT_BOOT

BGP_LAB = PROJECT / "labs" / "bgp.yml"


@pytest.fixture(scope="module")
def bgp_lab():
    return load_lab(BGP_LAB)


@pytest.mark.parametrize("side", ["VPN server", "emulated VGW"])
def test_frrs_own_parser_accepts_the_rendered_configuration(bgp_lab, tmp_path, side):
    conf = tmp_path / "frr.conf"
    text = frr_files(bgp_lab)[FRR_CONF] if side == "VPN server" else vgw_bgp.frr_conf(bgp_lab)
    conf.write_text(text)
    proc = subprocess.run(["vtysh", "--dryrun", "-f", str(conf)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conf.write_text(conf.read_text().replace("timers connect 2", "timers conect 2"))
    refused = subprocess.run(["vtysh", "--dryrun", "-f", str(conf)], capture_output=True, text=True)
    assert refused.returncode != 0 and "Unknown command" in refused.stdout + refused.stderr


def test_one_session_per_tunnel_to_awss_inside_address_with_awss_timers(bgp_lab):
    lines = [line.strip() for line in frr_files(bgp_lab)[FRR_CONF].splitlines()]
    assert "router bgp 65000" in lines
    for aws_inside in ("169.254.10.1", "169.254.11.1"):
        assert f"neighbor {aws_inside} remote-as 64512" in lines
        assert f"neighbor {aws_inside} timers 10 30" in lines
    assert [line for line in lines if line.startswith("network ")] == ["network 192.168.0.0/16"]
    assert "bgpd=yes" in frr_files(bgp_lab)[FRR_DAEMONS]


def test_a_static_lab_has_no_frr(seed_lab):
    assert frr_files(seed_lab) == {}
    assert not any(p.startswith("/etc/frr/") for p in strongswan_files(seed_lab, AT_BOOT))


def test_user_data_writes_frr_before_installing_it_and_starts_it_after_strongswan(
    bgp_lab, tmp_path
):
    user_data = vpn_server_user_data(bgp_lab, AT_BOOT)
    path = tmp_path / "user-data.yaml"
    path.write_text(user_data)
    proc = subprocess.run(
        ["cloud-init", "schema", "--config-file", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = {f["path"]: f["content"] for f in yaml.safe_load(user_data)["write_files"]}
    assert files[FRR_CONF] == frr_files(bgp_lab)[FRR_CONF]
    setup = files["/usr/local/sbin/vpnlab-setup"]
    assert (
        setup.index("systemctl enable --now strongswan.service")
        < setup.index("dnf install -y -q frr")
        < setup.index("systemctl enable --now frr.service")
    )
    script = tmp_path / "setup.sh"
    script.write_text(setup)
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0


def test_the_updown_routes_the_aws_side_only_when_routing_is_static(bgp_lab):
    route_based = load_lab(PROJECT / "labs" / "route-based.yml")
    static = strongswan_files(route_based, AT_BOOT)["/etc/vpnlab/tunnel-updown.sh"]
    dynamic = strongswan_files(bgp_lab, AT_BOOT)["/etc/vpnlab/tunnel-updown.sh"]
    assert "ip route replace 10.0.0.0/16" in static
    assert "ip route" not in dynamic
