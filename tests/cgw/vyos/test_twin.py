"""A VyOS router's twin: strongSwan files as VyOS writes them (vyos-1x peer.j2; 1.3's
vpn-config.pl), and the refusal, naming the line, of what the twin cannot be
faithful to."""

from pathlib import Path

import pytest

from driver.cgw.router import Untranslatable
from driver.cgw.twin_frr import FRR_CONF
from driver.cgw.twin_swanctl import SWANCTL
from driver.cgw.vyos.conf import parse
from driver.cgw.vyos.twin import UPDOWN, twin
from tests.cgw.router_files import edited
from tests.cgw.vyos.test_reading import SAMPLE, USG

TWIN = Path(__file__).parents[2] / "scenarios/vyos-twin/show-configuration-commands.txt"


def made(text: str):
    return twin(parse(text, "vyos"), "vyos")


def test_a_14_router_runs_as_vyos_writes_it():
    out = made(TWIN.read_text())
    swanctl = out.files[SWANCTL]
    assert swanctl.count("version = 2") == 2
    assert swanctl.count(" proposals = aes128-sha256-modp2048\n") == 2
    assert swanctl.count("esp_proposals = aes128-sha256-modp2048") == 2  # pfs enable
    # 1.4: the IKE SA rekeys at its lifetime, the child at strongSwan's default hour
    assert swanctl.count("rekey_time = 28800s") == 2 and swanctl.count("rekey_time = 3600s") == 2
    assert swanctl.count("dpd_delay = 15s") == 2 and swanctl.count("dpd_action = restart") == 2
    assert swanctl.count("local_ts = 0.0.0.0/0,::/0") == 2
    assert 'id = "203.0.113.10"' in swanctl and 'id = "198.51.100.2"' in swanctl
    assert out.addresses == ("198.51.100.1", "198.51.100.2")
    assert out.start_actions == {"198.51.100.1": "start", "198.51.100.2": "start"}
    assert "tunnel 1 169.254.255.2/30\n" in out.files[UPDOWN]
    assert " neighbor 169.254.255.1 timers 10 30" in out.files[FRR_CONF]
    assert " no bgp network import-check" in out.files[FRR_CONF]  # VyOS's, unless told
    assert "  network 192.168.0.0/16" in out.files[FRR_CONF]


def test_awss_sample_as_13_rekeys_before_its_margin_and_accepts_the_peers_address():
    text = "\n".join(
        line for line in SAMPLE.read_text().splitlines() if "soft-reconf" not in line
    ).replace("set protocols bgp 65000 network", "set protocols bgp 65000 address-family "
              "ipv4-unicast network")  # fmt: skip
    swanctl = made(text).files[SWANCTL]
    assert swanctl.count("version = 0") == 2  # no key-exchange: IKEv2 first
    # 1.3: rekeymargin 540 s before each lifetime ends; its IKEv2 SAs reauthenticated
    assert swanctl.count("reauth_time = 28260s") == 2 and swanctl.count("rekey_time = 3060s") == 2
    assert "%any" not in swanctl  # 1.3: rightid is the peer's address


def test_vyatta_bgp_syntax_is_refused_unless_the_file_is_edgeoss():
    with pytest.raises(Untranslatable) as caught:
        made(SAMPLE.read_text())
    said = str(caught.value)
    assert "vyos:110: network 0.0.0.0/0: Vyatta's syntax, which VyOS 1.3 refuses" in said
    assert "from EdgeOS give `show configuration`" in said


def test_a_usgs_redistribution_of_connected_routes_is_refused_not_guessed():
    with pytest.raises(Untranslatable) as caught:
        made(USG.read_text())
    assert "vyos:76: redistribute connected" in str(caught.value)


def test_dpd_is_sent_only_with_its_node_and_its_action_is_vyoss():
    clear = ("dead-peer-detection action 'restart'", "dead-peer-detection action 'clear'")
    cleared = made(edited(TWIN, clear))
    assert "dpd_action = clear" in cleared.files[SWANCTL]
    none = made(
        edited(
            TWIN,
            ("set vpn ipsec ike-group AWS dead-peer-detection action 'restart'\n", ""),
            ("set vpn ipsec ike-group AWS dead-peer-detection interval '15'\n", ""),
            ("set vpn ipsec ike-group AWS dead-peer-detection timeout '30'\n", ""),
        )
    )
    assert none.files[SWANCTL].count("dpd_delay = 0s") == 2


def test_respond_waits_for_traffic_and_close_action_is_the_ike_groups():
    text = edited(
        TWIN,
        ("peer AWS_backup description", "peer AWS_backup connection-type 'respond'\n"
                                        "set vpn ipsec site-to-site peer AWS_backup description"),
        ("ike-group AWS key-exchange 'ikev2'", "ike-group AWS key-exchange 'ikev2'\n"
                                               "set vpn ipsec ike-group AWS close-action 'start'"),
    )  # fmt: skip
    out = made(text)
    assert out.start_actions == {"198.51.100.1": "start", "198.51.100.2": "trap"}
    assert out.files[SWANCTL].count("close_action = start") == 2


@pytest.mark.parametrize(
    "change, said",
    [
        (("vti esp-group 'AWS'\nset vpn ipsec site-to-site peer AWS_backup", "vti esp-group "
          "'ESP'\nset vpn ipsec site-to-site peer AWS_backup"), "esp-group ESP is not defined"),
        (("peer AWS authentication mode 'pre-shared-secret'", "peer AWS authentication mode "
          "'x509'"), "authentication mode x509"),
        (("peer AWS vti bind 'vti0'", "peer AWS vti bind 'vti7'"), "interfaces vti vti7 is not"),
        (("set vpn ipsec esp-group AWS mode 'tunnel'", "set vpn ipsec esp-group AWS mode "
          "'transport'"), "mode transport"),
        (("AWS remote-address '198.51.100.1'", "AWS remote-address 'any'"), "the peer is any"),
        (("esp-group AWS lifetime '3600'", "esp-group AWS lifetime '1800'"),
         "rekey at 3600 s, after the SA expired"),
    ],
)  # fmt: skip
def test_what_the_twin_cannot_be_is_refused_with_its_line(change, said):
    with pytest.raises(Untranslatable) as caught:
        made(edited(TWIN, change))
    assert said in str(caught.value) and "vyos:" in str(caught.value)


def test_a_peer_without_a_key_is_refused_and_every_reason_is_said_at_once():
    text = edited(
        TWIN,
        ("set vpn ipsec site-to-site peer AWS authentication pre-shared-secret "
         "'fixture_psk_tunnel1_0123456789abcdef'\n", ""),
        ("peer AWS_backup vti bind 'vti1'", "peer AWS_backup vti bind 'vti9'"),
    )  # fmt: skip
    with pytest.raises(Untranslatable) as caught:
        made(text)
    assert "peer AWS: no pre-shared key" in str(caught.value)
    assert "vti9" in str(caught.value)


def test_a_tunnel_narrowed_to_a_protocol_is_refused():
    text = edited(
        TWIN,
        ("peer AWS vti bind 'vti0'\nset vpn ipsec site-to-site peer AWS vti esp-group 'AWS'",
         "peer AWS tunnel 1 local prefix '192.168.0.0/16'\nset vpn ipsec site-to-site peer AWS "
         "tunnel 1 remote prefix '10.0.0.0/16'\nset vpn ipsec site-to-site peer AWS tunnel 1 "
         "esp-group 'AWS'\nset vpn ipsec site-to-site peer AWS tunnel 1 protocol 'tcp'"),
    )  # fmt: skip
    with pytest.raises(Untranslatable, match="protocol tcp: selectors narrowed"):
        made(text)


def test_policy_based_tunnels_carry_their_prefixes():
    text = edited(
        TWIN,
        ("peer AWS vti bind 'vti0'\nset vpn ipsec site-to-site peer AWS vti esp-group 'AWS'",
         "peer AWS tunnel 1 local prefix '192.168.0.0/16'\nset vpn ipsec site-to-site peer AWS "
         "tunnel 1 remote prefix '10.0.0.0/16'\nset vpn ipsec site-to-site peer AWS tunnel 1 "
         "esp-group 'AWS'"),
    )  # fmt: skip
    swanctl = made(text).files[SWANCTL]
    assert "local_ts = 192.168.0.0/16\n" in swanctl and "remote_ts = 10.0.0.0/16\n" in swanctl
    assert swanctl.count("if_id_in") == 1  # the other peer's vti only
