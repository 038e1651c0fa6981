"""A Cisco ASA's twin: strongSwan files that negotiate as the ASA would, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.cisco_asa.conf import parse_asa
from driver.cgw.cisco_asa.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.cisco_asa.test_reading import AZURE_MAP, CRYPTO_MAP, MINIMAL, VTI_STATIC
from tests.cgw.router_files import charon_loads
from tests.conftest import requires_root


def made(text: str):
    return twin(parse_asa(text, "asa.cfg"), "asa.cfg")


def two_tunnels(text: str = MINIMAL) -> str:
    """MINIMAL's tunnel and a second one like it, to AWS's other outside address."""
    second = text[text.index("tunnel-group") :]
    for old, new in (("198.51.100.1", "198.51.100.2"), ("Tunnel1", "Tunnel2"), ("aws1", "aws2"),
                     ("169.254.255.2 ", "169.254.255.6 "), ("169.254.255.1 ", "169.254.255.5 "),
                     ("tunnel1_", "tunnel2_")):  # fmt: skip
        second = second.replace(old, new)
    return text + second


def test_awss_vti_example_runs_as_ikev1_with_its_lifetimes_and_keepalive():
    swanctl = made(VTI_STATIC.read_text()).files[SWANCTL]
    # policies 200 and 201 say the same: one proposal
    assert "proposals = aes128-sha1-modp1024\n" in swanctl
    assert "esp_proposals = aes128-sha1-modp1024\n" in swanctl  # set pfs group2
    assert "version = 1" in swanctl and "reauth_time = 28800s" in swanctl
    assert "rekey_time = 3600s" in swanctl and "dpd_delay = 10s" in swanctl
    assert swanctl.count("start_action = start") == 2 and "if_id_in = 2" in swanctl


def test_ikev2_with_gcm_and_a_bare_set_pfs_runs_with_the_asas_defaults():
    twin_ = made(two_tunnels())
    swanctl = twin_.files[SWANCTL]
    assert "proposals = aes256gcm16-prfsha384-ecp384\n" in swanctl
    assert "esp_proposals = aes256gcm16-modp1024\n" in swanctl  # set pfs: group 2
    assert "version = 2" in swanctl and "rekey_time = 86400s" in swanctl
    assert "rekey_time = 28800s" in swanctl  # the ASA's IPsec SA lifetime
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16" in twin_.files[UPDOWN]
    assert twin_.addresses == ("198.51.100.1", "198.51.100.2")
    assert "crypto ipsec profile PROF: set pfs group2 (before 9.13)" in twin_.defaulted


def test_every_combination_of_an_ikev2_policy_is_one_strongswan_proposal():
    text = two_tunnels().replace(" encryption aes-gcm-256\n integrity null\n",
                                 " encryption aes-256 aes\n integrity sha256 sha\n")  # fmt: skip
    swanctl = made(text).files[SWANCTL]
    assert "proposals = aes256-aes128-sha256-sha1-prfsha384-ecp384\n" in swanctl


@pytest.mark.parametrize(
    "text, said",
    [
        (AZURE_MAP.read_text(), r"masked \(\*\*\*\*\*\)"),
        (CRYPTO_MAP.read_text(), "a backup the ASA tries"),
        (
            two_tunnels() + "tunnel-group 198.51.100.1 general-attributes\n"
            " default-group-policy F\ngroup-policy F attributes\n vpn-filter value DENY\n"
            "access-list DENY extended deny ip any any\n",
            "permits nothing",
        ),
        (
            two_tunnels().replace(
                " protocol esp encryption aes-gcm-256", " protocol esp encryption aes-gcm-256 null"
            ),
            "'null' has no twin",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(text, said):
    with pytest.raises(Untranslatable, match=said) as refused:
        made(text)
    assert "nothing was started" in str(refused.value) and "asa.cfg:" in str(refused.value)


@pytest.mark.root
@requires_root()
@pytest.mark.parametrize("text", ["ikev1", "ikev2"])
def test_charon_loads_the_twin_as_written(tmp_path, text):
    """strongSwan's own parser and charon are the judges of the twin's files."""
    config = {"ikev1": VTI_STATIC.read_text(), "ikev2": two_tunnels()}[text]
    twin_ = made(config)
    assert len(charon_loads(tmp_path, twin_)) == 2
