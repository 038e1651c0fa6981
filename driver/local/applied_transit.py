"""An applied Transit Gateway lab's data plane, built from what the emulator holds.

As a VGW lab's (driver/local/applied_dataplane.py), per site: the emulated VGW node
takes the site's VPN connection's tunnel addresses, options and keys as the emulator
stored them, and the site's VPN server runs the files of its instance's user data
with the keys from its SSM parameters. The gateway node routes by the Transit
Gateway's route tables as the emulator holds them (``SearchTransitGatewayRoutes``,
``GetTransitGatewayRouteTableAssociations``), so what Terraform applied is what the
packets follow, and each VPC's router by what its route table in EC2 sends to the
gateway. The test hosts take their instances' addresses. Inside each site, the route
tables, and everywhere the security groups, are the lab's (synthesis writes them so;
the VGW lab's target reads EC2's).
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass, replace

from botocore.exceptions import ClientError

from driver.aws_api import vpc_routes
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.lab import transit_routes as tgw
from driver.lab.model import Lab
from driver.local.applied_dataplane import clients, stop_dataplane, vgw_tunnels
from driver.local.check_command import SERVER_RETRANSMITS
from driver.local.dataplane import cgw, kernel
from driver.local.emulator.process import Emulator
from driver.local.gateway_tables import GatewayTables
from driver.local.transit_dataplane import TransitDataPlane
from driver.render.cloud_init import CharonOptions


@dataclass(frozen=True)
class AppliedSite:
    index: int
    aws_view: Lab  # the site's view, its tunnels, keys and selectors as AWS holds them
    user_data: str  # the site's VPN server instance's
    server_psks: tuple[str, ...]  # from its SSM parameters
    public_ip: str  # its VPN server's Elastic IP
    tunnel_addresses: tuple[str, str]
    hosts: dict[str, str]  # its instances' addresses, as topology.plan takes them


@dataclass(frozen=True)
class AppliedTransit:
    lab: Lab
    sites: tuple[AppliedSite, ...]
    tables: GatewayTables
    vpc_hosts: dict[str, str]  # each VPC's test instance's address


def applied(lab: Lab, emulator: Emulator, outputs: dict) -> AppliedTransit:
    """The lab as applied (see the module's docstring)."""
    ec2, ssm = clients(lab, emulator)
    sites = []
    for index, site in enumerate(lab.sites):
        key = tgw.output_key(site.name)
        (connection,) = ec2.describe_vpn_connections(
            VpnConnectionIds=[outputs[f"{key}_vpn_connection_id"]]
        )["VpnConnections"]
        options = connection["Options"]
        addresses = (outputs[f"{key}_tunnel1_address"], outputs[f"{key}_tunnel2_address"])
        view = tgw.site_view(lab, index)
        aws_view = replace(
            view,
            vpn=replace(
                view.vpn,
                tunnels=vgw_tunnels(view, options["TunnelOptions"], list(addresses)),
                local_network_cidr=ipaddress.ip_network(options["LocalIpv4NetworkCidr"]),
                remote_network_cidr=ipaddress.ip_network(options["RemoteIpv4NetworkCidr"]),
            ),
        )
        psks = tuple(
            ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
            for name in outputs[f"{key}_psk_parameter_names"]
        )
        user_data = base64.b64decode(
            ec2.describe_instance_attribute(
                InstanceId=outputs[f"{key}_vpn_server_instance_id"], Attribute="userData"
            )["UserData"]["Value"]
        ).decode()
        hosts = {
            "onprem_test_ip": outputs[f"{key}_onprem_test_private_ip"],
            "server_ip": outputs[f"{key}_vpn_server_private_ip"],
        }
        public_ip = outputs[f"{key}_vpn_server_public_ip"]
        sites.append(AppliedSite(index, aws_view, user_data, psks, public_ip, addresses, hosts))
    vpc_hosts = {v.name: outputs[f"{tgw.output_key(v.name)}_test_private_ip"] for v in lab.vpcs}
    return AppliedTransit(lab, tuple(sites), gateway_tables(lab, ec2, outputs), vpc_hosts)


def gateway_tables(lab: Lab, ec2, outputs: dict) -> GatewayTables:
    """The Transit Gateway's route tables as the emulator holds them, by the lab's names:
    which table each attachment is associated with, and the routes each table uses
    (a blackhole goes nowhere); and what each VPC's route table sends to the gateway.
    What the lab did not apply (an attachment made in the console) has no node here:
    its associations and the routes to it are left out; a table deleted since the apply
    holds nothing."""
    names = {i: name for name, i in outputs["transit_gateway_attachment_ids"].items()}
    associations: dict[str, str | None] = dict.fromkeys(names.values())
    routes = {}
    for table, table_id in outputs["transit_gateway_route_table_ids"].items():
        try:
            associated = ec2.get_transit_gateway_route_table_associations(
                TransitGatewayRouteTableId=table_id
            )["Associations"]
            found = ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=table_id,
                Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
            )["Routes"]
        except ClientError as exc:
            if not exc.response["Error"]["Code"].endswith("NotFound"):
                raise
            associated, found = [], []
        for entry in associated:
            if entry["TransitGatewayAttachmentId"] in names:
                associations[names[entry["TransitGatewayAttachmentId"]]] = table
        routes[table] = {}
        for route in found:
            hops = [
                a["TransitGatewayAttachmentId"] for a in route.get("TransitGatewayAttachments", [])
            ]
            known = tuple(names[h] for h in hops if h in names)
            if route["State"] != "blackhole" and not known:
                continue  # to attachments the lab did not apply
            cidr = ipaddress.ip_network(route["DestinationCidrBlock"])
            routes[table][cidr] = () if route["State"] == "blackhole" else known
        # in address order: the API's order is the order Terraform happened to create them
        routes[table] = dict(sorted(routes[table].items()))
    vpcs = {
        f"vpc:{v.name}": vpc_routes.of_instance(
            ec2, outputs[f"{tgw.output_key(v.name)}_test_instance_id"]
        )
        for v in lab.vpcs
    }
    return GatewayTables(associations, routes, vpcs)


def build(source: AppliedTransit, state: LabState) -> TransitDataPlane:
    """The data plane in this kernel, recorded in the lab's state; a running one is
    stopped first."""
    features = kernel.probe()
    charon = CharonOptions(
        libipsec=not features.esp, log_file="/run/charon.log", af_alg=False, **SERVER_RETRANSMITS
    )
    stop_dataplane(source.lab, state)
    tdp = TransitDataPlane(
        source.lab, state.dataplane_dir, features, source.tables, source.vpc_hosts
    )
    for site in source.sites:
        gateway = cgw.from_user_data(
            tgw.site_view(source.lab, site.index),
            site.user_data,
            site.server_psks,
            site.public_ip,
            site.tunnel_addresses,
            charon,
        )
        psks = tuple(t.preshared_key for t in site.aws_view.tunnels)
        tdp.add_site(site.index, site.aws_view, gateway, psks, site.hosts)
    try:
        tdp.build()
    except BaseException:
        tdp.teardown()
        raise
    state.write(DATAPLANE_RECORD, tdp.record())
    return tdp
