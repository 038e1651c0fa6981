"""``vpnlab check`` as the guest runs it: the arguments that change its verdict reach it."""

from driver.cli import build_parser
from driver.core.paths import PROJECT
from driver.local.guest_check import guest_command


def test_one_sites_customer_files_reach_the_guests_check():
    lab, files = PROJECT / "labs" / "transit-gateway.yml", PROJECT / "tests" / "fixtures"
    args = build_parser().parse_args(
        ["check", str(lab), "--cgw-config", str(files), "--site", "osaka", "--failover"]
    )
    command = guest_command(args, "the guest kernel")
    said = " ".join(command)
    assert f"check {lab} --json --dataplane host --in-guest" in said
    assert f"--cgw-config {files}" in said and "--failover" in said
    assert command[command.index("--site") + 1] == "osaka"
