"""AWS's two endpoints as the checks read them: each log is its own tunnel's.

Lines are charon's own (an IKEv1 aggressive-mode refusal, before charon found a
connection, and the same SA once named), as endpoint 2 writes them.
"""

from driver.checks.diagnosis import diagnose
from driver.local.dataplane import endpoints
from driver.local.dataplane.charon import Charon
from driver.local.dataplane.netns import Namespace

ENDPOINT_2_LOG = """\
06:31:03 08[NET] <1> received packet: from 203.0.113.10[500] to 198.51.100.2[10500] (488 bytes)
06:31:03 08[ENC] <1> parsed AGGRESSIVE request 0 [ SA KE No ID V V V V V ]
06:31:03 08[IKE] <1> 203.0.113.10 is initiating a Aggressive Mode IKE_SA
06:31:03 08[IKE] <1> Aggressive Mode PSK disabled for security reasons
06:31:03 08[ENC] <1> generating INFORMATIONAL_V1 request 1062439727 [ N(AUTH_FAILED) ]
06:31:09 12[IKE] <Tunnel2|2> IKE_SA Tunnel2[2] established between 198.51.100.2...203.0.113.10
"""


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
