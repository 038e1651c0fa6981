"""The emulated VGW's strongSwan files: DPD as each tunnel's options say.

The dead-peer time is computed from the rendered files the way charon spends
it (``dpd_delay`` of silence, then the retransmission schedule of
strongswan.conf), not from vgw.py's own arithmetic.
"""

import re

import pytest

from driver.lab.loader import parse_lab
from driver.local.dataplane import vgw
from tests.lab.test_loader import lab_with

ADDRESSES = ("198.51.100.1", "198.51.100.2")


def rendered(lab, n: int) -> tuple[str, str]:
    """Endpoint ``n``'s swanctl.conf and strongswan.conf."""
    swanctl = vgw.swanctl_conf(lab, n, ADDRESSES[n - 1], "203.0.113.10", "k" * 32)
    return swanctl, vgw.strongswan_conf(lab, n, "/run/charon.log", True)


def swanctl_files(lab) -> str:
    return "".join(rendered(lab, n)[0] for n in (1, 2))


def dead_peer_seconds(lab) -> list[float]:
    """Per tunnel: seconds of silence until its endpoint's charon (IKEv2) declares the
    peer dead, from that endpoint's own files."""
    return [_dead_peer_seconds(*rendered(lab, n)) for n in (1, 2)]


def _dead_peer_seconds(swanctl: str, strongswan: str) -> float:
    number = {
        key: float(re.search(rf"{key} = ([\d.]+)", strongswan).group(1))
        for key in ("retransmit_tries", "retransmit_timeout", "retransmit_base")
    }
    schedule = number["retransmit_timeout"] * sum(
        number["retransmit_base"] ** i for i in range(int(number["retransmit_tries"]) + 1)
    )
    (delay,) = [int(d) for d in re.findall(r"dpd_delay = (\d+)s", swanctl)]
    return delay + schedule if delay else float("inf")


@pytest.mark.parametrize(
    ("timeouts", "actions"),
    [
        ((30, 30), ("clear", "clear")),
        ((30, 60), ("clear", "restart")),
        ((45, 30), ("restart", "clear")),
        ((40, 300), ("clear", "clear")),
    ],
)
def test_each_tunnel_declares_its_peer_dead_after_its_own_dpd_timeout(timeouts, actions):
    changes = [("name", "dpd")]
    for n, (timeout, action) in enumerate(zip(timeouts, actions, strict=True)):
        changes += [(f"vpn.tunnels[{n}].dpd_timeout", timeout)]
        changes += [(f"vpn.tunnels[{n}].dpd_action", action)]
    lab = parse_lab(lab_with(*changes))
    dead = dead_peer_seconds(lab)
    assert dead == pytest.approx(list(timeouts), abs=1.0)
    assert re.findall(r"dpd_action = (\w+)", swanctl_files(lab)) == list(actions)
    # Each endpoint probes at AWS's interval, whatever the other's timeout.
    assert re.findall(r"dpd_delay = (\d+)s", swanctl_files(lab)) == ["10", "10"]


def test_dpd_action_none_keeps_the_dead_sa():
    """AWS takes no action on a DPD timeout with 'none': the VGW does no DPD on that
    tunnel, so its SA outlives a dead peer; the other tunnel keeps its own timeout."""
    lab = parse_lab(
        lab_with(
            ("name", "dpdnone"),
            ("vpn.tunnels[0].dpd_action", "none"),
            ("vpn.tunnels[1].dpd_timeout", 40),
        )
    )
    assert dead_peer_seconds(lab) == [float("inf"), pytest.approx(40, abs=1.0)]


def test_ikev1_tunnels_probe_at_awss_interval_and_time_out_by_dpd_timeout():
    """IKEv1's DPD has a timeout of its own: the probes stay every 10 s."""
    lab = parse_lab(
        lab_with(
            ("name", "v1"),
            ("vpn.tunnel_options.ike_versions", ["ikev1"]),
            ("vpn.tunnels[1].dpd_timeout", 60),
        )
    )
    swanctl = swanctl_files(lab)
    assert re.findall(r"dpd_delay = (\d+)s", swanctl) == ["10", "10"]
    assert re.findall(r"dpd_timeout = (\d+)s", swanctl) == ["30", "60"]


@pytest.mark.parametrize(
    ("versions", "ike_expanded"), [(["ikev1", "ikev2"], False), (["ikev1"], True)]
)
def test_awss_ikev1_proposals_are_each_combination_where_it_initiates_them(versions, ike_expanded):
    """charon initiating IKEv1 sends a proposal's first algorithm of each kind only: the
    VGW's quick-mode rekeys offer each ESP combination the options allow, and, where it
    speaks IKEv1 only, its reauthentications each IKE combination; where IKEv2 shares
    the connection, its IKE proposals stay whole (AES-GCM's among them)."""
    options = "vpn.tunnel_options"
    phase = {"encryption": ["AES128", "AES256", "AES128-GCM-16"], "integrity": ["SHA1", "SHA2-256"],
             "dh_groups": [2, 14]}  # fmt: skip
    lab = parse_lab(
        lab_with(
            (f"{options}.ike_versions", versions),
            *((f"{options}.phase{n}.{key}", value) for n in (1, 2) for key, value in phase.items()),
        )
    )
    swanctl, _ = rendered(lab, 1)
    (ike,) = re.findall(r"^\s+proposals = (\S+)$", swanctl, re.MULTILINE)
    (esp,) = re.findall(r"esp_proposals = (\S+)$", swanctl, re.MULTILINE)
    assert esp.split(",") == [
        "aes128-sha1-modp1024-modp2048", "aes128-sha256-modp1024-modp2048",
        "aes256-sha1-modp1024-modp2048", "aes256-sha256-modp1024-modp2048",
        "aes128gcm16-modp1024-modp2048",
    ]  # fmt: skip
    if ike_expanded:  # one DH group each: main mode's transform carries one
        assert ike.split(",")[:3] == [
            "aes128-sha1-modp1024", "aes128-sha1-modp2048", "aes128-sha256-modp1024",
        ]  # fmt: skip
        assert len(ike.split(",")) == 2 * 2 * 2 and "gcm" not in ike
    else:
        assert ike.split(",") == [
            "aes128-aes256-sha1-sha256-modp1024-modp2048",
            "aes128gcm16-prfsha1-prfsha256-modp1024-modp2048",
        ]


def test_aws_initiates_only_when_asked_and_then_until_the_tunnel_is_up():
    """An endpoint whose tunnel's startup action is start loads with start_action =
    none (the driver initiates once the customer gateway holds its connections:
    endpoints.initiate) and keyingtries = 0 (it tries until the tunnel is up); one
    with add waits for the customer gateway."""
    lab = parse_lab(lab_with(("name", "starts"), ("vpn.tunnels[1].startup_action", "start")))
    add, start = (rendered(lab, n)[0] for n in (1, 2))
    assert re.findall(r"^ +start_action = (\w+)", add + start, re.M) == ["none", "none"]
    assert re.findall(r"^ +keyingtries = (\d+)", add + start, re.M) == ["0"]  # endpoint 2's
