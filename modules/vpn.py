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

        arguments = {}
        for n, tunnel in enumerate(vpn.tunnels, start=1):
            arguments |= tunnel_arguments(n, tunnel)
            if tunnel.preshared_key is not None:
                variable = TerraformVariable(
                    self,
                    psk_variable_name(n),
                    type="string",
                    sensitive=True,
                    description=f"Pre-shared key of tunnel {n} (AWS rules: 8-64 of "
                    "[A-Za-z0-9._], not starting with 0).",
                )
                # A stable name: the driver and HCL users set TF_VAR_<name>.
                variable.override_logical_id(psk_variable_name(n))
                arguments[f"tunnel{n}_preshared_key"] = variable.string_value
        self.connection = vpn_connection.VpnConnection(
            self,
            "connection",
            vpn_gateway_id=self.vgw.id,
            customer_gateway_id=self.cgw.id,
            type="ipsec.1",
            # BGP: no static routes; the VGW learns the customer's prefixes.
            static_routes_only=vpn.routing == "static",
            local_ipv4_network_cidr=str(vpn.local_network_cidr),
            remote_ipv4_network_cidr=str(vpn.remote_network_cidr),
            tags=naming.tags("vpn"),
            **arguments,
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

        # What the VPN server reads at boot: it is created without waiting for
        # this connection, and waits for these parameters instead.
        self.psk_parameters = self._parameters(
            lab, naming, "psk", "SecureString", "preshared_key", "Pre-shared key"
        )
        self.address_parameters = self._parameters(
            lab, naming, "address", "String", "address", "Outside address"
        )

    def _parameters(self, lab, naming, kind, type_, attribute, what):
        name = {"psk": psk_parameter_name, "address": address_parameter_name}[kind]
        return [
            ssm_parameter.SsmParameter(
                self,
                f"tunnel{n}-{kind}",
                name=name(lab, n),
                type=type_,
                value=getattr(self.connection, f"tunnel{n}_{attribute}"),
                description=f"{what} of tunnel {n}; read by the VPN server at boot",
                tags=naming.tags(f"tunnel{n}-{kind}"),
            )
            for n in (1, 2)
        ]

    @property
    def tunnel_addresses(self) -> list[str]:
        return [self.connection.tunnel1_address, self.connection.tunnel2_address]
