"""A RouterOS router's twin: strongSwan files that negotiate as RouterOS would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.mikrotik.twin import twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.mikrotik.test_reading import GENERATED, V7
from tests.cgw.router_files import charon_loads
from tests.conftest import requires_root

# the generated script without its BGP, and both tunnels' VPC policies enabled: IKEv1
STATIC_V1 = "\n".join(
    line for line in GENERATED.read_text().splitlines()
    if not line.startswith(("routing bgp", "ip ipsec policy disable"))
    and "169.254.255" not in line
) + (
    "\nip ipsec policy add dst-address=10.0.0.0/16 src-address=0.0.0.0/0 proposal=default "
    "peer=AWS-VPN-Peer-1 tunnel=yes\n"
)  # fmt: skip


def made(tmp_path, text: str):
    path = tmp_path / "export.rsc"
    path.write_text(text)
    return twin(path)


def test_ikev2_offers_each_list_as_one_proposal_started_by_traffic(tmp_path):
    result = made(tmp_path, V7.read_text())
    swanctl = result.files[SWANCTL]
    assert "proposals = aes128-sha256-modp2048\n" in swanctl
    assert "esp_proposals = aes128-sha256-modp2048\n" in swanctl
    assert "version = 2" in swanctl and "rekey_time = 28800s" in swanctl
    assert "rekey_time = 3600s" in swanctl and "dpd_delay = 10s" in swanctl
    assert swanctl.count("local_ts = 192.168.0.0/16") == 2 and "if_id" not in swanctl
    # RouterOS sends by the first matching policy: the second tunnel's only answers
    assert swanctl.count("start_action = trap") == 1 and swanctl.count("start_action = none") == 1
    assert result.addresses == ("198.51.100.1", "198.51.100.2") and not result.executables


def test_ikev1_offers_every_combination_as_routeros_does(tmp_path):
    text = STATIC_V1.replace("enc-algorithm=aes-128 lifetime=8h",
                             "enc-algorithm=aes-128,aes-256 lifetime=8h")  # fmt: skip
    swanctl = made(tmp_path, text).files[SWANCTL]
    assert "proposals = aes128-sha1-modp1024, aes256-sha1-modp1024\n" in swanctl
    assert "version = 1" in swanctl and "reauth_time = 28800s" in swanctl
    assert "dpd_timeout = 30s" in swanctl  # 10 s × 3 failures
    assert "esp_proposals = aes128-sha1-modp1024\n" in swanctl


@pytest.mark.parametrize(
    "text, said",
    [
        (GENERATED.read_text(), "BGP over RouterOS's policy-based tunnels"),
        (
            V7.read_text().replace(" secret=fixture_psk_tunnel1_0123456789abcdef", ""),
            r"not in the export \(RouterOS hides secrets",
        ),
        (V7.read_text().replace("pfs-group=\\\n    modp2048", "pfs-group=modp99"), "modp99"),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(tmp_path, text, said):
    with pytest.raises(Untranslatable, match=said) as refused:
        made(tmp_path, text)
    assert "nothing was started" in str(refused.value) and "export.rsc:" in str(refused.value)


@pytest.mark.root
@requires_root()
@pytest.mark.parametrize("which", ["ikev2", "ikev1"])
def test_charon_loads_the_twin_as_written(tmp_path, which):
    """strongSwan's own parser and charon are the judges of the twin's files."""
    result = made(tmp_path, {"ikev2": V7.read_text(), "ikev1": STATIC_V1}[which])
    assert len(charon_loads(tmp_path, result)) == 2
