"""AWS's two endpoints as the checks read them: each log is its own tunnel's."""

from driver.checks.diagnosis import diagnose
from driver.local.dataplane import endpoints
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace
from tests.checks.test_diagnosis import AGGRESSIVE

# charon's own lines for an aggressive-mode refusal, as endpoint 2 writes them
# (its daemon's own port), then an SA it named
ENDPOINT_2_LOG = AGGRESSIVE.replace("198.51.100.2[500]", "198.51.100.2[10500]") + (
    "06:31:09 12[IKE] <Tunnel2|2> IKE_SA Tunnel2[2] established between "
    "198.51.100.2...203.0.113.10\n"
)


def endpoint_with_log(tmp_path, text: str) -> Charon:
    charon = Charon(Namespace("t", "vgw"), tmp_path / "vgw-tunnel2", {}, "swanctl")
    charon.run_dir.mkdir(parents=True)
    charon.log_path.write_text(text)
    return charon


def test_an_endpoints_unnamed_lines_are_its_tunnels(tmp_path):
    named = endpoints.log(endpoint_with_log(tmp_path, ENDPOINT_2_LOG), 2).splitlines()
    assert [line.split("] ", 1)[1].split(" ", 1)[0] for line in named] == [
        *["<Tunnel2|1>"] * 5,
        "<Tunnel2|2>",
    ]
    # the packet's port is endpoint 2's own (vgw.IKE_PORTS); the diagnosis still
    # names the tunnel, from the endpoint rather than from the address
    (found,) = diagnose("\n".join(named), "", tunnel_addresses=(), cgw="203.0.113.10")
    assert found.tunnel == "Tunnel2"
    assert found.log == "aggressive-mode"
