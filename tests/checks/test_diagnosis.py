"""Every diagnosis quotes AWS's tunnel log catalogue (or says AWS logs nothing, and
why), and the VGW's refusals before a tunnel's configuration is found are named."""

import ast

import pytest

from driver.checks import aws_tunnel_log
from driver.checks.aws_tunnel_log import CATALOGUE
from driver.checks.diagnosis import diagnose
from driver.core.paths import PROJECT

# charon 5.9.8's lines for these refusals, as the VGW logged them in this lab
IKEV1_TO_IKEV2_ONLY = """\
06:29:55 13[NET] <1> received packet: from 203.0.113.10[500] to 198.51.100.1[500] (180 bytes)
06:29:55 13[ENC] <1> parsed ID_PROT request 0 [ SA V V V V V ]
06:29:55 13[CFG] <1> looking for an IKEv1 config for 198.51.100.1...203.0.113.10
06:29:55 13[IKE] <1> no IKE config found for 198.51.100.1...203.0.113.10, sending NO_PROPOSAL_CHOSEN
06:29:55 13[ENC] <1> generating INFORMATIONAL_V1 request 2894849499 [ N(NO_PROP) ]
"""
AGGRESSIVE = """\
06:31:03 08[NET] <1> received packet: from 203.0.113.10[500] to 198.51.100.2[500] (488 bytes)
06:31:03 08[ENC] <1> parsed AGGRESSIVE request 0 [ SA KE No ID V V V V V ]
06:31:03 08[IKE] <1> 203.0.113.10 is initiating a Aggressive Mode IKE_SA
06:31:03 08[IKE] <1> Aggressive Mode PSK disabled for security reasons
06:31:03 08[ENC] <1> generating INFORMATIONAL_V1 request 1062439727 [ N(AUTH_FAILED) ]
"""
ADDRESSES = ("198.51.100.1", "198.51.100.2")


def _log_keys(call: ast.Call) -> list[str] | None:
    """The catalogue keys a Diagnosis(...) call can name (None: no log= given)."""

    def values(node: ast.expr) -> list[str]:
        if isinstance(node, ast.IfExp):  # a key chosen by a condition: both branches
            return values(node.body) + values(node.orelse)
        return [node.value] if isinstance(node, ast.Constant) else [f"<{ast.unparse(node)}>"]

    for keyword in call.keywords:
        if keyword.arg == "log":
            return values(keyword.value)
    return None


def test_every_diagnosis_names_an_entry_of_awss_catalogue():
    calls = [
        (path.relative_to(PROJECT), node)
        for path in PROJECT.glob("driver/**/*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Diagnosis"
    ]
    assert len(calls) >= 12
    for path, call in calls:
        keys = _log_keys(call)
        assert keys, f"{path}:{call.lineno}: a diagnosis without its AWS tunnel log entry"
        assert set(keys) <= set(CATALOGUE), f"{path}:{call.lineno}: {keys}"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_entry_gives_awss_words_or_why_there_are_none(key):
    for version in ("IKEv1", "IKEv2"):
        said = aws_tunnel_log.quoted(key, version, "203.0.113.10")
        assert said.startswith("AWS's tunnel log: ")
        assert not said.endswith("nothing ()"), f"{key} {version}: no message and no reason"
        assert "xxxx" not in said


def test_the_messages_are_awss_as_published():
    entry = CATALOGUE["psk"]
    assert entry.message("IKEv2", "203.0.113.10") == (
        "AWS tunnel detected a pre-shared key mismatch with cgw: 203.0.113.10"
    )
    assert entry.message("IKEv1", "x") == (
        "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key"
    )
    assert CATALOGUE["selectors"].message("IKEv1", "x") is None  # none published for IKEv1


def test_an_ike_version_the_tunnel_does_not_accept_is_named_with_awss_silence():
    (found,) = diagnose(IKEV1_TO_IKEV2_ONLY, "", tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert (found.tunnel, found.version, found.log) == ("Tunnel1", "IKEv1", "ike-version")
    assert found.text().startswith(
        "Tunnel1: AWS's tunnel log: nothing (AWS publishes no message for an IKE version"
    )
    assert "the VPN server spoke IKEv1" in found.text()


def test_a_config_refused_for_another_address_is_no_version_mismatch():
    found = diagnose(IKEV1_TO_IKEV2_ONLY, "", tunnel_addresses=ADDRESSES, cgw="203.0.113.99")
    assert not [d for d in found if d.log == "ike-version"]


def test_aggressive_mode_is_named_not_a_key():
    (found,) = diagnose(AGGRESSIVE, "", tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert (found.tunnel, found.log, found.notify) == (
        "Tunnel2",
        "aggressive-mode",
        "AUTHENTICATION_FAILED",
    )
    assert '"We support Main mode only with IKEv1."' in found.text()
    assert "pre-shared key" not in found.text()


def test_every_bgp_failure_quotes_a_message_of_awss_bgp_log():
    """The keys bgp_probe.py names are messages of AWS's published BGP catalogue."""
    source = (PROJECT / "driver" / "local" / "bgp_probe.py").read_text()
    named = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and str(node.value).startswith("bgp-")
    }
    assert named and named <= set(aws_tunnel_log.BGP)
    said = aws_tunnel_log.bgp_quoted("bgp-stuck-connect", "169.254.10.2")
    assert said == (
        "AWS's BGP log: \"AWS-side peer BGP session state has changed from Connect to Active "
        'with neighbor 169.254.10.2"'
    )


# The VGW's lines when the VPN server's rightid is not the tunnel's address (measured)
WRONG_RIGHTID = (
    "08:40:17 01[NET] <1> received packet: from 203.0.113.10[4500] to 198.51.100.1[4500]\n"
    "08:40:17 01[CFG] <1> looking for peer configs matching "
    "198.51.100.1[198.51.100.99]...203.0.113.10[203.0.113.10]\n"
    "08:40:17 01[CFG] <1> no matching peer config found\n"
)


def test_a_rightid_that_is_not_the_tunnels_address_is_named_as_the_identity_asked_for():
    (found,) = diagnose(WRONG_RIGHTID, "", tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert (found.tunnel, found.log) == ("Tunnel1", "identity")
    assert "asked for '198.51.100.99' as AWS's identity" in found.text()
    assert "outside address 198.51.100.1" in found.text()


def test_a_cause_is_final_once_a_libreswan_customer_was_told_it_too():
    """The check stops waiting once the customer gateway has been told the cause:
    charon says it one way, Libreswan's pluto another (its log, Libreswan 4.10)."""
    from driver.checks.diagnosis import Diagnosis, is_final

    wrong_key = Diagnosis("wrong pre-shared key", "", "", "Tunnel1", "AUTHENTICATION_FAILED")
    pluto = (
        'Dec  5 12:31:10.769684: "Tunnel1" #4: IKE SA authentication request rejected by '
        "peer: AUTHENTICATION_FAILED\n"
    )
    charon = "12:31:10 11[IKE] <Tunnel1|1> received AUTHENTICATION_FAILED notify error\n"
    assert is_final(wrong_key, pluto, "Tunnel1") and is_final(wrong_key, charon, "Tunnel1")
    retried = 'Dec  5 12:31:10.721385: "Tunnel1" #4: sent IKE_SA_INIT request to 198.51.100.1\n'
    assert not is_final(wrong_key, retried, "Tunnel1")


# A customer's charon behind NAT (strongSwan 5.9's words), IKEv1 main mode: the VGW
# answered the first two exchanges on UDP 500; on 4500 nothing came back.
IKEV1_NAT_T_BLOCKED = """\
09[IKE] <Tunnel1|1> initiating Main Mode IKE_SA Tunnel1[1] to 198.51.100.1
09[ENC] <Tunnel1|1> generating ID_PROT request 0 [ SA V V V V V ]
11[ENC] <Tunnel1|1> parsed ID_PROT response 0 [ SA V V V ]
11[ENC] <Tunnel1|1> generating ID_PROT request 0 [ KE No NAT-D NAT-D ]
13[ENC] <Tunnel1|1> parsed ID_PROT response 0 [ KE No NAT-D NAT-D ]
13[IKE] <Tunnel1|1> local host is behind NAT, sending keep alives
13[ENC] <Tunnel1|1> generating ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]
13[NET] <Tunnel1|1> sending packet: from 192.168.1.4[4500] to 198.51.100.1[4500] (108 bytes)
15[IKE] <Tunnel1|1> sending retransmit 1 of request message ID 0, seq 3
"""


@pytest.mark.parametrize("version", ["IKEv1", "IKEv2"])
def test_nat_t_blocked_is_named_whichever_ike_version_answered_on_500(version):
    log = IKEV1_NAT_T_BLOCKED
    if version == "IKEv2":
        log = log.replace("ID_PROT response 0", "IKE_SA_INIT response 0")
    (found,) = diagnose("", log, tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert (found.tunnel, found.log) == ("Tunnel1", "nat-t"), found.text()


def test_a_silence_aws_heard_is_named_as_its_answers_lost():
    """The VPN server retransmits as if unanswered, but AWS's endpoint received its
    IKE_SA_INIT for the tunnel: AWS's answers are what went missing (and AWS logs the
    half-open SA's timeout, not nothing)."""
    server = (
        "09[IKE] <Tunnel1|1> initiating IKE_SA Tunnel1[1] to 198.51.100.1\n"
        "15[IKE] <Tunnel1|1> sending retransmit 1 of request message ID 0, seq 1\n"
    )
    vgw = (
        "05[NET] <1> received packet: from 203.0.113.10[500] to 198.51.100.1[500] (464 bytes)\n"
        "05[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]\n"
        "05[NET] <1> sending packet: from 198.51.100.1[500] to 203.0.113.10[500] (440 bytes)\n"
    )
    (found,) = diagnose(vgw, server, tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert (found.tunnel, found.log, found.version) == ("Tunnel1", "answers-lost", "IKEv2")
    assert "deleting un-established Phase 1 IKE_SA with cgw: 203.0.113.10" in found.text()
    (unheard,) = diagnose("", server, tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert unheard.log == "no-answer"
    # a kept lab's log: what AWS heard before the tunnel was established says nothing
    # of the silence since
    up = "07[IKE] <Tunnel1|1> IKE_SA Tunnel1[1] established between 198.51.100.1...\n"
    (since,) = diagnose(vgw + up, server, tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert since.log == "no-answer"


def test_a_silence_after_answers_on_4500_is_no_nat_t_block():
    """A kept lab's tunnel that once came up over NAT-T and now goes unanswered: its
    log holds IKE_AUTH's answer on 4500, so UDP 4500 is not what is blocked."""
    log = IKEV1_NAT_T_BLOCKED.replace("ID_PROT response 0", "IKE_SA_INIT response 0").replace(
        "15[IKE]",
        "14[ENC] <Tunnel1|1> parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]\n15[IKE]",
    )
    (found,) = diagnose("", log, tunnel_addresses=ADDRESSES, cgw="203.0.113.10")
    assert found.log == "no-answer", found.text()
