"""Where a check's data plane runs, chosen from what the configuration needs and
what a kernel offers (no root, nothing is built: the kernels are described)."""

from pathlib import Path

import pytest

from driver.analysis.lab_from_cgw import lab_text
from driver.core.errors import VpnlabError
from driver.lab.loader import load_lab, parse_lab
from driver.local import placement
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.guest.machine import GuestMachine
from tests.conftest import SEED
from tests.fixtures import CGW_FIXTURES, cgw_fixture

THIS_HOST = KernelFeatures(esp=False, vti=False, xfrmi=False)  # this workplace's kernel
DEBIAN = KernelFeatures(esp=True, vti=True, xfrmi=True)  # a stock Debian or Ubuntu kernel
ESP_ONLY = KernelFeatures(esp=True, vti=False, xfrmi=False)
GUEST = GuestMachine("6.1.0-57-amd64", Path("/boot/vmlinuz-6.1.0-57-amd64"), False, "vng")

ROUTE_BASED = SEED.parent / "route-based.yml"
# fixture (or lab) -> where it runs on (this host, a Debian kernel, a kernel with ESP only)
TABLE = {
    "aws-sample-route-based": ("vm", "host", "vm"),
    "swanctl-xfrm-updown": ("vm", "host", "vm"),
    "quagga-ipsec-vti": ("vm", "host", "vm"),  # BGP over VTIs (Quagga, FRR)
    "frr-bgpd-conf-ipsec-vti": ("vm", "host", "vm"),
    "frr-vtysh-ipsec-vti": ("vm", "host", "vm"),
    "debian-confd-swanctl": ("vm", "host", "host"),  # trap policies: userspace ESP has none
    "include-tree-ipsec": ("host", "host", "host"),
    "include-tree-ipsec-flat": ("host", "host", "host"),
    "single-file-ipsec": ("vm", "host", "vm"),  # mark=: VTI
    "swanctl-one-line": ("host", "host", "host"),
}


@pytest.fixture(autouse=True)
def a_guest(monkeypatch):
    monkeypatch.setattr(placement, "machine", lambda: GUEST)


def lab_for(config: Path):
    """The lab `vpnlab init --from-cgw-config` makes of it; AWS's defaults for the two
    fixtures whose mistakes leave strongSwan no tunnel to make a lab of."""
    try:
        return parse_lab(lab_text(config))
    except VpnlabError:
        return load_lab(SEED.parent / "seed-aws-defaults.yml")


@pytest.mark.parametrize("fixture", sorted(TABLE))
def test_the_choice_for_each_customer_configuration(fixture):
    config = cgw_fixture(fixture)
    lab = lab_for(config)
    picked = tuple(
        placement.choose(lab, config, None, None, kernel).where
        for kernel in (THIS_HOST, DEBIAN, ESP_ONLY)
    )
    assert picked == TABLE[fixture]


def test_every_fixture_is_in_the_table():
    assert set(TABLE) == set(CGW_FIXTURES) - {"libreswan"}  # Libreswan: refused, not placed


def test_the_labs_own_rendering():
    assert placement.choose(load_lab(SEED), None, None, None, THIS_HOST).where == "host"
    chosen = placement.choose(load_lab(ROUTE_BASED), None, None, None, THIS_HOST)
    assert chosen.where == "vm"
    assert chosen.reason == (
        "guest kernel 6.1.0-57-amd64 (software emulation: this CPU offers no KVM to the "
        "guest): this host has no VTI and no kernel ESP"
    )
    assert placement.choose(load_lab(ROUTE_BASED), None, None, None, DEBIAN).where == "host"


def test_forced_choices():
    seed = load_lab(SEED)
    forced = placement.choose(seed, None, None, "vm", THIS_HOST)
    assert (forced.where, forced.reason.endswith("as asked (--dataplane vm)")) == ("vm", True)
    with pytest.raises(VpnlabError, match="vpn.tunnel_interface: vti.*the guest kernel runs it"):
        placement.choose(load_lab(ROUTE_BASED), None, None, "host", THIS_HOST)


def test_no_guest_on_this_machine_says_what_is_missing(monkeypatch):
    def missing():
        raise placement.GuestUnavailable("the guest kernel cannot start: missing qemu")

    monkeypatch.setattr(placement, "machine", missing)
    with pytest.raises(VpnlabError, match="cannot run on this host .*VTI.*missing qemu"):
        placement.choose(load_lab(ROUTE_BASED), None, None, None, THIS_HOST)
