"""The applied lab's data plane, built from what the emulator holds.

The emulated VGW takes the VPN connection's tunnel addresses, options and keys
as the emulator stored them; the VPN server runs the files from its instance's
user data with the keys from the SSM parameters; the test hosts take the
instances' private addresses; packets go where the applied route tables,
security groups and network ACLs let them.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass, replace

from driver.analysis.path_analysis import route_tables
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.lab import topology
from driver.lab.model import Lab, Tunnel
from driver.local.applied_network import applied_view
from driver.local.check_command import SERVER_RETRANSMITS
from driver.local.dataplane import cgw, kernel, ownership
from driver.local.dataplane.network import DataPlane
from driver.local.dataplane.network_view import NetworkView
from driver.local.emulator.process import Emulator
from driver.local.emulator.reachability_answers import Ec2View
from driver.local.shared import tunnel_record
from driver.local.transit_dataplane import TransitDataPlane
from driver.render.cloud_init import CharonOptions


def clients(lab: Lab, emulator: Emulator):
    session = emulator.session(lab.region)
    return (
        session.client("ec2", endpoint_url=emulator.url),
        session.client("ssm", endpoint_url=emulator.url),
    )


def vgw_tunnels(lab: Lab, api_options: list[dict], addresses: list[str]) -> tuple[Tunnel, ...]:
    """The lab's tunnels as the emulator stored them (AWS's view is the VGW's)."""
    by_address = {o["OutsideIpAddress"]: o for o in api_options}
    return tuple(tunnel_record.tunnel_of(by_address[a]) for a in addresses)


@dataclass(frozen=True)
class Applied:
    """What the data plane is built from, read from the emulator: everything but the
    kernel it runs on (picklable: a kept guest builds it, driver/local/guest/)."""

    lab: Lab  # as the user wrote it
    vgw_lab: Lab  # as AWS holds it: the VGW's tunnels, keys and selectors
    user_data: str  # the VPN server instance's
    server_psks: tuple[str, ...]  # from the SSM parameters
    public_ip: str  # the VPN server's Elastic IP
    plan: topology.AddressPlan
    view: NetworkView


def applied(lab: Lab, emulator: Emulator, outputs: dict) -> Applied:
    """The lab as applied (see module docstring)."""
    ec2, ssm = clients(lab, emulator)
    connection = ec2.describe_vpn_connections(VpnConnectionIds=[outputs["vpn_connection_id"]])[
        "VpnConnections"
    ][0]
    addresses = [outputs["tunnel1_address"], outputs["tunnel2_address"]]
    options = connection["Options"]
    tunnels = vgw_tunnels(lab, options["TunnelOptions"], addresses)
    # The VGW's selectors are the connection's networks as AWS holds them.
    vgw_lab = replace(
        lab,
        vpn=replace(
            lab.vpn,
            tunnels=tunnels,
            local_network_cidr=ipaddress.ip_network(options["LocalIpv4NetworkCidr"]),
            remote_network_cidr=ipaddress.ip_network(options["RemoteIpv4NetworkCidr"]),
        ),
    )
    server_psks = tuple(
        ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
        for name in outputs["psk_parameter_names"]
    )
    user_data = base64.b64decode(
        ec2.describe_instance_attribute(
            InstanceId=outputs["vpn_server_instance_id"], Attribute="userData"
        )["UserData"]["Value"]
    ).decode()
    public_ip = outputs["vpn_server_public_ip"]
    plan = topology.plan(
        lab,
        tuple(addresses),
        public_ip,
        hosts={
            "aws_test_ip": outputs["aws_test_private_ip"],
            "onprem_test_ip": outputs["onprem_test_private_ip"],
            "server_ip": outputs["vpn_server_private_ip"],
        },
    )
    # Packets go where the applied route tables, security groups and network ACLs
    # let them; the VPN server's own routing is its configuration's, not EC2's.
    view = applied_view(Ec2View.load(ec2), outputs, connection, route_tables(vgw_lab))
    return Applied(lab, vgw_lab, user_data, server_psks, public_ip, plan, view)


def build(source: Applied, state: LabState) -> DataPlane:
    """The data plane in this kernel; replaces a running one."""
    features = kernel.probe()
    charon = CharonOptions(
        libipsec=not features.esp, log_file="/run/charon.log", af_alg=False, **SERVER_RETRANSMITS
    )
    addresses = source.plan.tunnel_addresses
    gateway = cgw.from_user_data(
        source.lab, source.user_data, source.server_psks, source.public_ip, addresses, charon
    )
    stop_dataplane(source.lab, state)
    dp = DataPlane(
        source.vgw_lab,
        gateway,
        tuple(t.preshared_key for t in source.vgw_lab.tunnels),
        state.dataplane_dir,
        features,
        source.plan,
        source.view,
    )
    try:
        dp.build()
    except BaseException:
        dp.teardown()
        raise
    state.write(DATAPLANE_RECORD, dp.record())
    return dp


def build_dataplane(lab: Lab, state: LabState, emulator: Emulator, outputs: dict) -> DataPlane:
    """The data plane from what was applied, in this kernel; replaces a running one."""
    return build(applied(lab, emulator, outputs), state)


def stop_dataplane(lab: Lab, state: LabState) -> list[str]:
    """Stop the recorded data plane (daemons by PID), and anything else of the lab."""
    record = state.read(DATAPLANE_RECORD)
    leaks: list[str] = []
    dp = _attached(lab, state, record) if record else None
    if dp is not None:
        dp.teardown()
        leaks = dp.leaks()
    if record:
        state.forget(DATAPLANE_RECORD)
    if not ownership.kept_by_check(lab.name):  # a kept check's are its own to remove
        removed = ownership.remove_namespaces(lab.name, state.dataplane_dir)
        if dp is None or lab.transit_gateway is not None:
            # what the record or the lab file no longer names (a site renamed since the
            # apply, a VGW lab become a Transit Gateway one) went with the rest
            leaks = [leak for leak in leaks if leak not in removed]
    return leaks


def attached(lab: Lab, state: LabState) -> DataPlane | TransitDataPlane | None:
    """The lab's running data plane as its apply recorded it; None with no record, or
    when the lab's file is no longer the shape it was applied with."""
    record = state.read(DATAPLANE_RECORD)
    return _attached(lab, state, record) if record else None


def _attached(lab: Lab, state: LabState, record: dict) -> DataPlane | TransitDataPlane | None:
    """The recorded data plane, or None when the lab's file is no longer the shape it
    was applied with."""
    kind = TransitDataPlane if lab.transit_gateway is not None else DataPlane
    try:
        return kind.attach(lab, state.dataplane_dir, record)
    except (KeyError, TypeError, ValueError):
        return None
