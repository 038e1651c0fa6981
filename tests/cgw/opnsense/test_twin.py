"""An OPNsense router's twin: the swanctl.conf OPNsense writes from its Connections,
each route-based child an XFRM interface with its VTI's address and routes, and the
refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.opnsense.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.opnsense.test_reading import VTI
from tests.cgw.router_files import charon_loads
from tests.conftest import requires_root


def made(tmp_path, text: str):
    path = tmp_path / "config.xml"
    path.write_text(text)
    return twin(path)


def test_the_twin_is_the_swanctl_conf_opnsense_writes(tmp_path):
    result = made(tmp_path, VTI.read_text())
    swanctl = result.files[SWANCTL]
    assert "proposals = aes256-sha256-modp2048\n" in swanctl and "version = 2" in swanctl
    assert "rekey_time = 28800s" in swanctl and "keyingtries = 0" in swanctl
    assert 'id = "203.0.113.10"' in swanctl and 'id = "198.51.100.1"' in swanctl
    assert "dpd_action = restart" in swanctl  # the model's 'start'
    assert "if_id_in = 1" in swanctl and "if_id_out = 2" in swanctl
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16" in result.files[UPDOWN]
    # OPNsense's ipsecN is there whether or not its SAs are
    assert ("ip", "link", "add", "ipsec1", "type", "xfrm", "dev", "eth0", "if_id", "1") in (
        result.prepare
    )


def test_empty_fields_take_the_models_and_strongswans_defaults(tmp_path):
    text = VTI.read_text().replace("<rekey_time>28800</rekey_time>", "<rekey_time/>")
    text = text.replace("<keyingtries>0</keyingtries>", "<keyingtries/>")
    swanctl = made(tmp_path, text).files[SWANCTL]
    assert "rekey_time = 14400s" in swanctl and "keyingtries = 1" in swanctl


@pytest.mark.parametrize(
    "old, new, said",
    [
        ("<ipsec>\n    <enable>1</enable>\n  </ipsec>", "", "IPsec is off"),
        ("<encap>0</encap>", "<encap>1</encap>", "UDP encapsulation is forced"),
        (
            "<start_action>start</start_action>",
            "<start_action>trap|start</start_action>",
            "strongSwan 6's",
        ),
        ("<Key>fixture_psk_tunnel1_0123456789abcdef</Key>", "<Key/>", "pre-shared key is empty"),
        (
            "</Swanctl>",
            "</Swanctl>\n  </OPNsense>\n  <ipsec><phase1><ikeid>9</ikeid></phase1>"
            "</ipsec>\n  <OPNsense>",
            "a legacy tunnel",
        ),
    ],  # fmt: skip
)
def test_what_the_twin_cannot_be_is_refused_with_its_line(tmp_path, old, new, said):
    text = VTI.read_text()
    assert old in text, old
    with pytest.raises(Untranslatable, match=said) as refused:
        made(tmp_path, text.replace(old, new, 1))
    assert "nothing was started" in str(refused.value)


@pytest.mark.root
@requires_root()
def test_charon_loads_the_twin_as_written(tmp_path):
    assert charon_loads(tmp_path, made(tmp_path, VTI.read_text())) == {
        "aws-tunnel1",
        "aws-tunnel2",
    }


@pytest.mark.parametrize(
    "old, new, said",
    [
        (
            "<proposals>aes256-sha256-modp2048</proposals>",
            "<proposals>aes256-sha256-modp2048\n    }\n    evil {\n"
            " remote_addrs = 10.9.9.9</proposals>",
            "proposals",
        ),
        (
            "<rekey_time>28800</rekey_time>",
            "<rekey_time>28800s\n include /etc/passwd</rekey_time>",
            "rekey_time",
        ),
        ("<dpd_delay>10</dpd_delay>", "<dpd_delay>x</dpd_delay>", "dpd_delay 'x'"),
        ("<keyingtries>0</keyingtries>", "<keyingtries>\u00b2</keyingtries>", "keyingtries"),
        (
            "<remote_addrs>198.51.100.1</remote_addrs>",
            "<remote_addrs>aws.example.com</remote_addrs>",
            "'aws.example.com' is no IPv4 address",
        ),
        ("<dpd_action>start</dpd_action>", "<dpd_action>restart\n}</dpd_action>", "dpd_action"),
    ],  # fmt: skip
)
def test_a_value_opnsenses_model_would_refuse_never_reaches_the_twin(tmp_path, old, new, said):
    """A hand-edited (or hostile) config.xml: said at its line, nothing written."""
    text = VTI.read_text()
    assert old in text, old
    with pytest.raises(Untranslatable, match="nothing was started") as refused:
        made(tmp_path, text.replace(old, new, 1))
    assert said in str(refused.value) and "config.xml:" in str(refused.value)


def test_an_odd_round_or_an_enabled_flag_left_empty_reads_as_opnsense_writes_it(tmp_path):
    text = VTI.read_text().replace("<round>0</round>", "<round>abc</round>", 1)
    text = text.replace("<start_action>start</start_action>", "<start_action/>", 1)
    swanctl = made(tmp_path, text).files[SWANCTL]
    assert swanctl.count("start_action = none") == 1  # empty: strongSwan's own default
    off = VTI.read_text().replace("<enabled>1</enabled>", "<enabled/>", 1)  # connection 1
    with pytest.raises(Untranslatable, match=r"1 peer\(s\)"):
        made(tmp_path, off)
