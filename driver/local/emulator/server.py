"""The emulator's process: pinned moto 5.2.5 in server mode, plus vpnlab's
extensions (what a VPN lab needs that moto does not do), one module per AWS API:

* vpn_connections.py — VPN connections, their routes and VgwTelemetry;
* route_propagation.py — VGW route propagation and propagated routes;
* gateway_associations.py — the VGW's gateway route table in DescribeRouteTables;
* transit_gateways.py — Transit Gateway associations, propagations and their routes;
* addresses.py — Elastic IPs, private addresses, root volume sizes;
* instance_profiles.py — IAM's RemoveRoleFromInstanceProfile (a role not in it);
* network_insights.py — Reachability Analyzer's paths and analyses;
* ssm_commands.py — SSM Run Command in the lab's namespaces;
* replay.py — an SDK retry of a call that landed gets that call's answer;
* auth.py — only requests signed with the lab's own key are served.

Run as ``python -m driver.local.emulator.server`` (started by process.py),
they patch moto's models and responses before its server starts. The
synthesized Terraform is never changed to suit the emulator; the emulator
is made to answer as AWS does. Each extension has its own test through
boto3 (tests/local/emulator/).
"""

from __future__ import annotations

import os
import sys

from driver.core.code import code_version
from driver.local.emulator import (
    addresses,
    auth,
    gateway_associations,
    instance_profiles,
    network_insights,
    replay,
    route_propagation,
    ssm_commands,
    transit_gateways,
    vpn_connections,
)

EXTENSIONS = (
    ssm_commands,
    vpn_connections,
    route_propagation,
    transit_gateways,
    gateway_associations,
    network_insights,
    addresses,
    instance_profiles,
)


def install() -> None:
    auth.install()
    for extension in EXTENSIONS:
        extension.install()


def main(argv: list[str]) -> None:
    code_version()  # the code it starts with: what its questions to a kept guest fit
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    install()
    import moto.server

    dispatcher = moto.server.DomainDispatcherApplication

    class GuardedDispatcher(dispatcher):
        def __call__(self, environ, start_response):
            app = auth.guarded(replay.replaying(super().__call__))
            return app(environ, start_response)

    moto.server.DomainDispatcherApplication = GuardedDispatcher
    moto.server.main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
