"""Virtual private gateway, customer gateway, the VPN connection and its secrets.

Every tunnel option is pinned explicitly: AWS's and the provider's documented
defaults disagree (DPD timeout 30 vs 40, rekey margin 270 vs 540), so nothing
is left to either (docs/architecture.md, "AWS").

Pre-shared keys never appear in the synthesized Terraform. Without one in the
lab, AWS generates it; with one, it enters through a sensitive variable whose
value the driver passes in the environment. Either way the SSM parameters the
VPN server reads at boot take the connection's actual key.
"""

from cdktf import TerraformVariable
from constructs import Construct

from driver.lab.model import Lab, Tunnel
from driver.render.cloud_init import address_parameter_name, psk_parameter_name
from driver.synth.terraform import psk_variable_name
from modules.aws import resource
from modules.naming import Naming

vpn_gateway = resource("vpn_gateway")
customer_gateway = resource("customer_gateway")
vpn_connection = resource("vpn_connection")
vpn_connection_route = resource("vpn_connection_route")
vpn_gateway_route_propagation = resource("vpn_gateway_route_propagation")
vpn_gateway_attachment = resource("vpn_gateway_attachment")
ssm_parameter = resource("ssm_parameter")


def tunnel_arguments(n: int, tunnel: Tunnel) -> dict:
    """The ``tunnel<n>_*`` arguments of aws_vpn_connection for one tunnel."""
    o = tunnel.options
    return {
        f"tunnel{n}_inside_cidr": str(tunnel.inside_cidr),
        f"tunnel{n}_ike_versions": list(o.ike_versions),
        f"tunnel{n}_phase1_encryption_algorithms": list(o.phase1.encryption),
        f"tunnel{n}_phase1_integrity_algorithms": list(o.phase1.integrity),
        f"tunnel{n}_phase1_dh_group_numbers": list(o.phase1.dh_groups),
        f"tunnel{n}_phase1_lifetime_seconds": o.phase1.lifetime,
        f"tunnel{n}_phase2_encryption_algorithms": list(o.phase2.encryption),
        f"tunnel{n}_phase2_integrity_algorithms": list(o.phase2.integrity),
        f"tunnel{n}_phase2_dh_group_numbers": list(o.phase2.dh_groups),
        f"tunnel{n}_phase2_lifetime_seconds": o.phase2.lifetime,
        f"tunnel{n}_rekey_margin_time_seconds": o.rekey_margin,
        f"tunnel{n}_rekey_fuzz_percentage": o.rekey_fuzz,
        f"tunnel{n}_replay_window_size": o.replay_window,
        f"tunnel{n}_dpd_timeout_seconds": o.dpd_timeout,
        f"tunnel{n}_dpd_timeout_action": o.dpd_action,
        f"tunnel{n}_startup_action": o.startup_action,
    }


def connection(
    scope: Construct, lab: Lab, *, gateway: dict, cgw_id: str, naming: Naming, variable_prefix=""
):
    """The VPN connection of ``lab.vpn`` on a gateway (``gateway``: ``vpn_gateway_id``, or
    ``transit_gateway_id`` and its options), its keys through sensitive variables when
    the lab sets them."""
    vpn = lab.vpn
    arguments = {}
    for n, tunnel in enumerate(vpn.tunnels, start=1):
        arguments |= tunnel_arguments(n, tunnel)
        if tunnel.preshared_key is not None:
            name = psk_variable_name(n, variable_prefix)
            variable = TerraformVariable(
                scope,
                name,
                type="string",
                sensitive=True,
                description=f"Pre-shared key of tunnel {n} (AWS rules: 8-64 of "
                "[A-Za-z0-9._], not starting with 0).",
            )
            # A stable name: the driver and HCL users set TF_VAR_<name>.
            variable.override_logical_id(name)
            arguments[f"tunnel{n}_preshared_key"] = variable.string_value
    return vpn_connection.VpnConnection(
        scope,
        "connection",
        customer_gateway_id=cgw_id,
        type="ipsec.1",
        # BGP: no static routes; the gateway learns the customer's prefixes.
        static_routes_only=vpn.routing == "static",
        local_ipv4_network_cidr=str(vpn.local_network_cidr),
        remote_ipv4_network_cidr=str(vpn.remote_network_cidr),
        tags=naming.tags("vpn"),
        **gateway,
        **arguments,
    )


def server_parameters(scope: Construct, lab: Lab, naming: Naming, connection) -> tuple[list, list]:
    """What the VPN server reads at boot (its keys, its tunnels' addresses): it is
    created without waiting for the connection, and waits for these parameters instead."""
    kinds = (
        ("psk", psk_parameter_name, "SecureString", "preshared_key", "Pre-shared key"),
        ("address", address_parameter_name, "String", "address", "Outside address"),
    )
    return tuple(
        [
            ssm_parameter.SsmParameter(
                scope,
                f"tunnel{n}-{kind}",
                name=name(lab, n),
                type=type_,
                value=getattr(connection, f"tunnel{n}_{attribute}"),
                description=f"{what} of tunnel {n}; read by the VPN server at boot",
                tags=naming.tags(f"tunnel{n}-{kind}"),
            )
            for n in (1, 2)
        ]
        for kind, name, type_, attribute, what in kinds
    )


class Vpn(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        lab: Lab,
        naming: Naming,
        *,
        aws_vpc_id: str,
        aws_route_table_id: str,
        customer_ip: str,
    ):
        super().__init__(scope, id_)
        vpn = lab.vpn
        # Created detached and attached by its own resource: the gateways and the
        # VPN connection then provision in parallel with the VPC instead of after it.
        self.vgw = vpn_gateway.VpnGateway(
            self, "vgw", amazon_side_asn=str(vpn.amazon_side_asn), tags=naming.tags("vgw")
        )
        attachment = vpn_gateway_attachment.VpnGatewayAttachment(
            self, "vgw-attachment", vpc_id=aws_vpc_id, vpn_gateway_id=self.vgw.id
        )
        self.cgw = customer_gateway.CustomerGateway(
            self,
            "cgw",
            bgp_asn=str(vpn.customer_gateway_asn),
            ip_address=customer_ip,
            type="ipsec.1",
            tags=naming.tags("cgw"),
        )

        self.connection = connection(
            self, lab, gateway={"vpn_gateway_id": self.vgw.id}, cgw_id=self.cgw.id, naming=naming
        )
        for i, prefix in enumerate(vpn.static_routes):
            vpn_connection_route.VpnConnectionRoute(
                self,
                f"static-route-{i}",
                vpn_connection_id=self.connection.id,
                destination_cidr_block=str(prefix),
            )
        # The seed's "route propagation" on the AWS private route table (a lab
        # with a firewall may turn it off: see driver/analysis/path_analysis.py).
        self.attached_vgw_id = attachment.vpn_gateway_id
        if lab.aws.route_propagation:
            vpn_gateway_route_propagation.VpnGatewayRoutePropagation(
                self,
                "propagation",
                vpn_gateway_id=self.attached_vgw_id,
                route_table_id=aws_route_table_id,
            )

        self.psk_parameters, self.address_parameters = server_parameters(
            self, lab, naming, self.connection
        )

    @property
    def tunnel_addresses(self) -> list[str]:
        return [self.connection.tunnel1_address, self.connection.tunnel2_address]
