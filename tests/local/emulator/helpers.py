"""VPN connections made and read back through boto3, for the emulator's tests."""


def connection(ec2, gateways, tunnels, tag="emulator-test"):
    created = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=gateways["cgw"],
        VpnGatewayId=gateways["vgw"],
        Options={
            "StaticRoutesOnly": True,
            "LocalIpv4NetworkCidr": "192.168.0.0/16",
            "RemoteIpv4NetworkCidr": "10.9.0.0/16",
            "TunnelOptions": tunnels,
        },
        TagSpecifications=[
            {"ResourceType": "vpn-connection", "Tags": [{"Key": "vpnlab:lab", "Value": tag}]}
        ],
    )
    return created["VpnConnection"]["VpnConnectionId"]


def describe(ec2, connection_id):
    return ec2.describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"][0]
