"""The renderer: goldens, cloud-init's schema, shell syntax, secrets."""

import dataclasses
import subprocess

import pytest
import yaml

from driver.lab.loader import parse_lab
from driver.render import cloud_init as render
from driver.render.cloud_init import (
    Deferred,
    ServerValues,
    fill_secrets,
    psk_placeholder,
    terraform_template,
    vpn_server_user_data,
)
from tests.goldens import AT_BOOT, renders, seed_in_style
from tests.lab.test_loader import lab_with

STYLES = ("swanctl", "ipsec.conf")


def test_renders_match_the_reviewed_goldens():
    """Regenerate with scripts/update-goldens.py and review the diff."""
    for path, content in renders().items():
        assert path.exists(), f"missing golden {path}: run scripts/update-goldens.py"
        assert path.read_text() == content, f"{path} differs: run scripts/update-goldens.py"


def _write_files(user_data: str) -> dict[str, str]:
    config = yaml.safe_load(user_data)
    return {f["path"]: f["content"] for f in config["write_files"]}


@pytest.mark.parametrize("style", STYLES)
def test_vpn_server_user_data_passes_cloud_init_schema(style, tmp_path):
    user_data = tmp_path / "user-data.yaml"
    user_data.write_text(vpn_server_user_data(seed_in_style(style), AT_BOOT))
    proc = subprocess.run(
        ["cloud-init", "schema", "--config-file", str(user_data)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Valid cloud-config" in proc.stdout


def test_test_host_user_data_passes_cloud_init_schema(seed_lab, tmp_path):
    user_data = tmp_path / "user-data.yaml"
    user_data.write_text(render.test_host_user_data(seed_lab))
    proc = subprocess.run(
        ["cloud-init", "schema", "--config-file", str(user_data)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "amazon-ssm-agent" in user_data.read_text()


@pytest.mark.parametrize("style", STYLES)
def test_boot_scripts_are_valid_bash(style, tmp_path):
    files = _write_files(vpn_server_user_data(seed_in_style(style), AT_BOOT))
    for path in ("/usr/local/sbin/vpnlab-setup", "/usr/local/sbin/vpnlab-fill-config"):
        script = tmp_path / "script.sh"
        script.write_text(files[path])
        proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{path}: {proc.stderr}"


@pytest.mark.parametrize("style", STYLES)
def test_user_data_carries_the_strongswan_files_and_checks_the_tarball(style):
    lab = seed_in_style(style)
    files = _write_files(vpn_server_user_data(lab, AT_BOOT))
    config = "/etc/swanctl/swanctl.conf" if style == "swanctl" else "/etc/ipsec.conf"
    # Files naming the tunnels are templates, filled at boot; the rest are written as is.
    assert f"/etc/vpnlab/templates{config}" in files and config not in files
    assert "/etc/sysctl.d/90-vpnlab.conf" in files and "/etc/strongswan.conf" in files
    fill = files["/usr/local/sbin/vpnlab-fill-config"]
    assert "until address1=" in fill and "/vpnlab/seed/tunnel1/address" in fill
    assert "net.ipv4.ip_forward = 1" in files["/etc/sysctl.d/90-vpnlab.conf"]
    setup = files["/usr/local/sbin/vpnlab-setup"]
    assert f'sha256="{lab.strongswan.sha256}"' in setup
    assert "sha256sum -c" in setup and "does not match SHA-256" in setup
    assert "date -u +%FT%TZ > /var/lib/vpnlab/ready" in setup
    unit = files["/etc/systemd/system/strongswan.service"]
    expected = "charon-systemd" if style == "swanctl" else "ipsec start --nofork"
    assert expected in unit


def test_package_install_uses_the_distribution_package():
    lab = seed_in_style("swanctl")
    lab = dataclasses.replace(
        lab, strongswan=dataclasses.replace(lab.strongswan, install="package")
    )
    setup = _write_files(vpn_server_user_data(lab, AT_BOOT))["/usr/local/sbin/vpnlab-setup"]
    assert "dnf install -y -q strongswan" in setup and "sha256sum" not in setup


def test_selectors_are_the_networks_aws_was_given():
    files = {p.name: c for p, c in renders().items()}
    assert "leftsubnet = 192.168.0.0/16" in files["ipsec.conf"]
    assert "rightsubnet = 10.0.0.0/16" in files["ipsec.conf"]
    assert "local_ts = 192.168.0.0/16" in files["swanctl.conf"]
    assert "192.168.1.0/16" not in "".join(files.values())


def test_every_key_appears_once_per_conn():
    """The seed wrote auto=start twice; a generated conn never repeats a key."""
    text = seed_in_style("ipsec.conf")
    conf = _write_files(vpn_server_user_data(text, AT_BOOT))["/etc/vpnlab/templates/etc/ipsec.conf"]
    for block in conf.split("\nconn ")[1:]:
        keys = [line.split("=")[0].strip() for line in block.splitlines()[1:] if "=" in line]
        assert len(keys) == len(set(keys)), block


# --- Terraform values and secrets ---------------------------------------------


def test_user_data_takes_only_the_elastic_ip_from_terraform():
    """The instance must not wait for the VPN connection: no tunnel value in it."""
    lab = seed_in_style("swanctl")
    template, names = terraform_template(vpn_server_user_data(lab, ServerValues.at_boot()))
    assert names == ["public_ip"]
    assert "id = ${public_ip}" in template
    assert "remote_addrs = @VPNLAB_TUNNEL1_ADDRESS@" in template
    assert 'text="$${text//@VPNLAB_TUNNEL1_PSK@/$psk1}"' in template  # shell ${ escaped


def test_a_filter_on_a_deferred_value_is_caught_not_silently_corrupted():
    damaged = "address: " + Deferred("tunnel1_address").upper()
    with pytest.raises(ValueError, match="known only after apply"):
        terraform_template(damaged)


def test_no_psk_in_user_data_only_placeholders_filled_at_boot():
    for style in STYLES:
        user_data = vpn_server_user_data(seed_in_style(style), AT_BOOT)
        assert psk_placeholder(1) in user_data and psk_placeholder(2) in user_data
        assert 'PSK "' not in user_data.replace(f'PSK "{psk_placeholder(1)}"', "").replace(
            f'PSK "{psk_placeholder(2)}"', ""
        )


def test_a_lab_psk_never_reaches_user_data():
    psk = "lab.given_key_123"
    lab = parse_lab(lab_with(("vpn.tunnels[0].preshared_key", psk)))
    assert psk not in vpn_server_user_data(lab, AT_BOOT)


def test_fill_secrets_replaces_both_placeholders():
    text = f"a {psk_placeholder(1)} b {psk_placeholder(2)}"
    assert fill_secrets(text, ("k1.abcdefgh", "k2.abcdefgh")) == "a k1.abcdefgh b k2.abcdefgh"
