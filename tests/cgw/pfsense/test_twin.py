"""A pfSense router's twin: strongSwan files as pfSense's ipsec_setup_tunnels writes
them, and the refusal, naming the line, of what the twin cannot be faithful to."""

import pytest

from driver.cgw.pfsense.conf import parse
from driver.cgw.pfsense.twin import UPDOWN, twin
from driver.cgw.router import Untranslatable
from driver.cgw.twin_swanctl import SWANCTL
from tests.cgw.pfsense.test_reading import AGGREGATE, POLICY, VTI
from tests.cgw.router_files import edited


def made(text: str):
    return twin(parse(text, "pf"), "pf")


def test_a_routed_vti_runs_as_pfsense_writes_it():
    out = made(VTI.read_text())
    swanctl = out.files[SWANCTL]
    assert swanctl.count("version = 2") == 2
    assert swanctl.count(" proposals = aes128-sha256-modp2048\n") == 2  # prf not selected
    assert swanctl.count("esp_proposals = aes128-sha256-modp2048") == 2
    assert swanctl.count("rekey_time = 25920s") == 2  # 90% of 28800
    assert swanctl.count("rekey_time = 3240s") == 2  # 90% of 3600
    assert swanctl.count("local_ts = 169.254.255.2,0.0.0.0/0,::/0") == 1
    assert swanctl.count("start_action = start") == 2 and swanctl.count("dpd_action = restart") == 2
    assert "dpd_timeout" not in swanctl  # IKEv2: its retransmissions
    assert swanctl.count('id = "203.0.113.10"') == 2  # myaddress: its WAN address, NAT or not
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16\n" in out.files[UPDOWN]
    assert "tunnel 2 169.254.255.6/30\n" in out.files[UPDOWN]
    assert out.prepare[0][:4] == ("ip", "link", "add", "ipsec1")  # ipsecN is always there


def test_ikev1_reauthenticates_and_sends_dpd_with_its_timeout():
    swanctl = made(edited(VTI, ("<iketype>ikev2</iketype>", "<iketype>ikev1</iketype>"))).files[
        SWANCTL
    ]
    assert swanctl.count("reauth_time = 25920s") == 2
    assert swanctl.count("dpd_timeout = 60s") == 2  # 10 s x (5 + 1)
    assert "con1_1 {" in swanctl  # a child per phase 2


def test_an_empty_iketype_is_never_reauthenticated_and_sends_no_dpd_timeout():
    swanctl = made(edited(VTI, ("<iketype>ikev2</iketype>", "<iketype></iketype>"))).files[SWANCTL]
    assert swanctl.count("reauth_time = 0s") == 2 and "dpd_timeout" not in swanctl
    assert swanctl.count("keyingtries = 1") == 2  # pfSense writes none: strongSwan's one try


def test_static_routes_through_pfsenses_own_vti_gateway_and_not_a_disabled_one():
    items = VTI.read_text()
    start, end = (
        items.index("\t\t<gateway_item>\n\t\t\t<interface>opt1"),
        items.index("\t</gateways>"),
    )
    automatic = items[:start] + items[end:]  # no gateway_item: pfSense makes AWS_T1_VTIV4
    assert "tunnel 1 169.254.255.2/30 10.0.0.0/16\n" in made(automatic).files[UPDOWN]
    disabled = edited(VTI, ("<name>AWS_T1_VTIV4</name>",
                            "<name>AWS_T1_VTIV4</name>\n\t\t\t<disabled></disabled>"))  # fmt: skip
    assert "tunnel 1 169.254.255.2/30\n" in made(disabled).files[UPDOWN]


def test_a_vtis_close_action_trap_is_a_dpd_restart():
    text = edited(VTI, ("<closeaction></closeaction>", "<closeaction>trap</closeaction>"))
    swanctl = made(text).files[SWANCTL]
    assert swanctl.count("dpd_action = restart") == 2 and swanctl.count("close_action = trap") == 2


def test_tunnel_mode_waits_for_traffic_and_a_close_action_is_kept():
    text = edited(
        VTI,
        ("<mode>vti</mode>\n\t\t\t<reqid>1</reqid>\n\t\t\t<localid>\n\t\t\t\t<type>address</type>"
         "\n\t\t\t\t<address>169.254.255.2</address>",
         "<mode>tunnel</mode>\n\t\t\t<reqid>1</reqid>\n\t\t\t<localid>\n\t\t\t\t<type>lan</type>"),
        ("<remoteid>\n\t\t\t\t<type>address</type>\n\t\t\t\t<address>169.254.255.1</address>",
         "<remoteid>\n\t\t\t\t<type>network</type>\n\t\t\t\t<address>10.0.0.0</address>"
         "\n\t\t\t\t<netbits>16</netbits>"),
        ("<closeaction></closeaction>", "<closeaction>start</closeaction>"),
    )  # fmt: skip
    swanctl = made(text).files[SWANCTL]
    assert "local_ts = 192.168.1.0/24\n" in swanctl and "remote_ts = 10.0.0.0/16\n" in swanctl
    assert swanctl.count("start_action = trap") == 1  # tunnel 1: pfSense's default
    assert swanctl.count("close_action = start") == 2
    assert swanctl.count("dpd_action = restart") == 2  # close action start: restart


@pytest.mark.parametrize(
    "change, said",
    [
        (("<remote-gateway>198.51.100.1</remote-gateway>",
          "<remote-gateway>vpn.example.com</remote-gateway>"), "remote gateway is vpn.example"),
        (("<pre-shared-key>fixture_psk_tunnel1_0123456789abcdef</pre-shared-key>",
          "<pre-shared-key></pre-shared-key>"), "no pre-shared key"),
        (("<authentication_method>pre_shared_key</authentication_method>",
          "<authentication_method>cert</authentication_method>"), "authentication cert"),
        (("<mode>vti</mode>", "<mode>transport</mode>"), "mode transport"),
        (("<address>169.254.255.2</address>", "<address>not-an-address</address>"),
         "VTI local address 'not-an-address/30' is no address"),
        (("</staticroutes>", "</staticroutes>\n\t<installedpackages><frrbgp></frrbgp>"
          "</installedpackages>"), "the FRR package's BGP"),
    ],
)  # fmt: skip
def test_what_the_twin_cannot_be_is_refused_with_its_line(change, said):
    with pytest.raises(Untranslatable) as caught:
        made(edited(VTI, change))
    assert said in str(caught.value) and "pf:" in str(caught.value)


def test_policy_based_entries_to_one_peer_are_refused_as_not_awss_two_tunnels():
    with pytest.raises(Untranslatable, match="peer"):
        made(POLICY.read_text())


def test_a_nat_local_network_and_several_ikev1_phase_2s_are_refused():
    with pytest.raises(Untranslatable, match="a NAT/BINAT local network"):
        made(AGGREGATE.read_text())
    second = VTI.read_text().replace("<ikeid>2</ikeid>\n\t\t\t<uniqid>",
                                     "<ikeid>1</ikeid>\n\t\t\t<uniqid>")  # fmt: skip
    text = second.replace("<iketype>ikev2</iketype>", "<iketype>ikev1</iketype>")
    with pytest.raises(Untranslatable, match="phase 1 1 has 2 phase 2s under IKEv1"):
        made(text)
