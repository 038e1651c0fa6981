"""What this machine's data plane cannot run is named before anything starts, as a
limit of the host and not of the configuration (no root: nothing is built)."""

import pytest

from driver.analysis.lab_from_cgw import lab_text
from driver.core.errors import VpnlabError
from driver.lab.loader import load_lab, parse_lab
from driver.local.dataplane.kernel import KernelFeatures
from driver.local.host_limits import refuse_what_this_host_cannot_run
from tests.conftest import SEED
from tests.fixtures import cgw_fixture

USERSPACE_ESP = KernelFeatures(esp=False, vti=False, xfrmi=False)
FULL_KERNEL = KernelFeatures(esp=True, vti=True, xfrmi=True)


def refusal(lab, config, features=USERSPACE_ESP) -> str:
    with pytest.raises(VpnlabError) as caught:
        refuse_what_this_host_cannot_run(lab, config, None, features)
    message = str(caught.value)
    assert message.endswith(
        "The configuration itself may be fine: this is a limit of this host; the guest kernel "
        "runs it (--dataplane vm, or leave --dataplane out)."
    )
    return message


def test_route_based_tunnels_need_vti_or_xfrm_interfaces():
    config = cgw_fixture("aws-sample-route-based")
    message = refusal(load_lab(SEED), config)
    assert "ipsec.conf:35: mark=100" in message
    assert "needs kernel ESP and VTI, and this kernel has no kernel ESP and no VTI" in message
    refuse_what_this_host_cannot_run(load_lab(SEED), config, None, FULL_KERNEL)  # runs there


def test_trap_policies_need_kernel_esp():
    config = cgw_fixture("debian-confd-swanctl")
    lab = parse_lab(lab_text(config))
    assert "aws-tunnel1 starts on traffic (trap policies)" in refusal(lab, config)
    refuse_what_this_host_cannot_run(lab, config, None, FULL_KERNEL)


def test_a_local_selector_without_the_servers_address_needs_kernel_esp(tmp_path):
    (tmp_path / "ipsec.conf").write_text(
        "conn %default\n  leftsubnet=192.168.1.0/24\n  rightsubnet=10.0.0.0/16\n  auto=start\n"
        "conn a\n  right=198.51.100.1\nconn b\n  right=198.51.100.2\n"
    )
    (tmp_path / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    lab = load_lab(SEED)  # the VPN server is 192.168.0.10, outside 192.168.1.0/24
    message = refusal(lab, tmp_path)
    assert "local selector 192.168.1.0/24 leaves out the VPN server's own address" in message
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "ipsec.conf").write_text(
        (tmp_path / "ipsec.conf").read_text().replace("192.168.1.0/24", "192.168.0.0/23")
    )
    (inside / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    refuse_what_this_host_cannot_run(lab, inside, None, USERSPACE_ESP)


def test_a_selector_the_vgw_refuses_is_left_to_the_check_to_judge(tmp_path):
    (tmp_path / "ipsec.conf").write_text(
        "conn %default\n  leftsubnet=172.16.0.0/16\n  rightsubnet=10.0.0.0/16\n  auto=start\n"
        "conn a\n  right=198.51.100.1\nconn b\n  right=198.51.100.2\n"
    )
    (tmp_path / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    refuse_what_this_host_cannot_run(load_lab(SEED), tmp_path, None, USERSPACE_ESP)


def test_a_conn_with_two_local_subnets_needs_kernel_esp(tmp_path):
    """leftsubnet=a,b (the server in a): userspace ESP installs no policies for the conn
    (measured). That is this host's limit (the guest runs it), never the verdict."""
    (tmp_path / "ipsec.conf").write_text(
        "conn %default\n  leftsubnet=192.168.0.0/24,192.168.1.0/24\n  rightsubnet=10.0.0.0/16\n"
        "  auto=start\nconn a\n  right=198.51.100.1\nconn b\n  right=198.51.100.2\n"
    )
    (tmp_path / "ipsec.secrets").write_text(': PSK "any.peer_key_1"\n')
    message = refusal(load_lab(SEED), tmp_path)
    assert "local selector has 2 subnets (192.168.0.0/24,192.168.1.0/24)" in message
    refuse_what_this_host_cannot_run(load_lab(SEED), tmp_path, None, FULL_KERNEL)


def test_a_policy_userspace_esp_cannot_install_is_a_fault_not_a_verdict():
    """A limit host_limits.py does not know before the run still decides no verdict."""
    from types import SimpleNamespace

    from driver.checks.diagnosis import HOST_POLICIES, Diagnosis
    from driver.core.errors import Fault
    from driver.local.dataplane_runner import DataPlaneRunner

    runner = DataPlaneRunner.__new__(DataPlaneRunner)
    reason = Diagnosis(HOST_POLICIES, "unable to install policy", "…", log="customer-side")
    runner.dp = SimpleNamespace(kernel=FULL_KERNEL)
    runner._refuse_a_host_limit([reason])  # kernel ESP: the configuration's own failure
    runner.dp = SimpleNamespace(kernel=USERSPACE_ESP)
    with pytest.raises(Fault, match="a limit of this machine, not a verdict"):
        runner._refuse_a_host_limit([reason])
