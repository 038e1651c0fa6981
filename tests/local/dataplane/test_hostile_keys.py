"""A customer's key reaches the emulated VGW only when AWS could hold it: any
other is refused before anything starts, with AWS's rule and the file's line."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings

from driver.core.errors import VpnlabError
from driver.core.paths import PROJECT
from driver.lab import aws_rules
from driver.local.dataplane import cgw
from driver.render.cloud_init import CharonOptions
from driver.render.settings_string import UnwritableValue, quoted
from tests.goldens import seed_in_style
from tests.hostile_values import HOSTILE

VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
LAB = seed_in_style("ipsec.conf")
CHARON = CharonOptions(log_file="/run/charon.log")


def _keyless(lab):
    import dataclasses

    tunnels = tuple(dataclasses.replace(t, preshared_key=None) for t in lab.tunnels)
    return dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=HOSTILE)
def test_a_customer_key_aws_could_not_hold_is_refused_with_its_line(tmp_path, key):
    folder = tmp_path / "etc"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(VENDOR, folder)
    secrets = (folder / "ipsec.secrets").read_text().splitlines()
    secrets[1] = f"203.0.113.10 198.51.100.1 : PSK '{key}'"
    (folder / "ipsec.secrets").write_text("\n".join(secrets) + "\n")
    try:
        gateway = cgw.vendor(_keyless(LAB), folder, None, CHARON)
    except VpnlabError as exc:
        message = str(exc)
        if "AWS could not hold" in message:
            assert "ipsec.secrets:" in message and "nothing was started" in message
        return
    for psk in gateway.psks.values():  # what the VGW would take
        assert not aws_rules.psk_problems(psk), psk


def test_the_refusal_names_each_bad_key_its_line_and_the_rule(tmp_path):
    folder = tmp_path / "etc"
    shutil.copytree(VENDOR, folder)
    (folder / "ipsec.secrets").write_text(
        "203.0.113.10 198.51.100.1 : PSK 'ab\"} connections { x { } }'\n"
        '203.0.113.10 198.51.100.2 : PSK "0short"\n'
    )
    with pytest.raises(VpnlabError) as refused:
        cgw.vendor(_keyless(LAB), folder, None, CHARON)
    message = str(refused.value)
    assert "2 pre-shared key(s) AWS could not hold" in message
    assert "ipsec.secrets:1:" in message and "ipsec.secrets:2:" in message
    assert "AWS allows only letters, digits" in message
    assert "starts with '0'" in message and "AWS needs 8 to 64" in message


def test_nul_cannot_be_written_into_a_strongswan_file():
    with pytest.raises(UnwritableValue):
        quoted("a\0b")
