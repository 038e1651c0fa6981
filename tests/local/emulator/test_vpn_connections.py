"""VPN connections, their routes and VgwTelemetry (driver/local/emulator/vpn_connections.py)."""

from driver.lab.aws_rules import RESERVED_INSIDE_CIDRS
from tests.local.emulator.helpers import connection, describe

RESERVED_INSIDE = {str(cidr) for cidr in RESERVED_INSIDE_CIDRS}


def test_vpn_connection_keeps_its_options_and_tunnel_options(ec2, gateways):
    requested = {
        "TunnelInsideCidr": "169.254.20.0/30",
        "PreSharedKey": "requested.key_1",
        "Phase1EncryptionAlgorithms": [{"Value": "AES256-GCM-16"}],
        "Phase1IntegrityAlgorithms": [{"Value": "SHA2-384"}],
        "Phase1DHGroupNumbers": [{"Value": 20}],
        "Phase1LifetimeSeconds": 14400,
        "Phase2DHGroupNumbers": [{"Value": 14}],
        "IKEVersions": [{"Value": "ikev2"}],
        "DPDTimeoutSeconds": 40,
        "DPDTimeoutAction": "restart",
        "StartupAction": "start",
        "RekeyMarginTimeSeconds": 300,
    }
    found = describe(ec2, connection(ec2, gateways, [requested, {}]))
    options = found["Options"]
    assert options["StaticRoutesOnly"] is True
    assert (options["LocalIpv4NetworkCidr"], options["RemoteIpv4NetworkCidr"]) == (
        "192.168.0.0/16",
        "10.9.0.0/16",
    )
    first, second = options["TunnelOptions"]
    assert first["TunnelInsideCidr"] == "169.254.20.0/30"
    assert first["PreSharedKey"] == "requested.key_1"
    assert first["Phase1EncryptionAlgorithms"] == [{"Value": "AES256-GCM-16"}]
    assert first["Phase1DHGroupNumbers"] == [{"Value": 20}]
    assert first["IkeVersions"] == [{"Value": "ikev2"}]
    assert (
        first["Phase1LifetimeSeconds"],
        first["DpdTimeoutSeconds"],
        first["DpdTimeoutAction"],
        first["StartupAction"],
        first["RekeyMarginTimeSeconds"],
    ) == (14400, 40, "restart", "start", 300)
    # Not requested: AWS's defaults and AWS's rules for generated values.
    assert second["Phase1LifetimeSeconds"] == 28800 and second["DpdTimeoutSeconds"] == 30
    assert second["TunnelInsideCidr"].startswith("169.254.")
    assert second["TunnelInsideCidr"] not in RESERVED_INSIDE
    psk = second["PreSharedKey"]
    assert 8 <= len(psk) <= 64 and psk[0] != "0"
    assert set(psk) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")


def test_two_distinct_outside_addresses_in_the_configuration_too(ec2, gateways):
    found = describe(ec2, connection(ec2, gateways, [{}, {}]))
    addresses = [t["OutsideIpAddress"] for t in found["Options"]["TunnelOptions"]]
    assert len(set(addresses)) == 2
    assert all(a.startswith("198.51.100.") for a in addresses)
    configuration = found["CustomerGatewayConfiguration"]
    for tunnel in found["Options"]["TunnelOptions"]:
        assert tunnel["OutsideIpAddress"] in configuration
        assert f"<pre_shared_key>{tunnel['PreSharedKey']}</pre_shared_key>" in configuration
    assert gateways["eip"] in configuration


def test_static_routes_are_stored_and_filterable(ec2, gateways):
    connection_id = connection(ec2, gateways, [{}, {}])
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/16"
    )
    assert describe(ec2, connection_id)["Routes"] == [
        {"DestinationCidrBlock": "192.168.0.0/16", "Source": "Static", "State": "available"}
    ]
    filtered = ec2.describe_vpn_connections(
        Filters=[
            {"Name": "route.destination-cidr-block", "Values": ["192.168.0.0/16"]},
            {"Name": "vpn-connection-id", "Values": [connection_id]},
        ]
    )["VpnConnections"]
    assert [c["VpnConnectionId"] for c in filtered] == [connection_id]
    ec2.delete_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/16"
    )
    assert describe(ec2, connection_id)["Routes"] == []


def test_customer_gateways_filter_by_tag(ec2, gateways):
    """The leak check asks by the lab's tag; moto alone returns every gateway."""
    tagged = ec2.create_customer_gateway(
        Type="ipsec.1",
        PublicIp="203.0.113.200",
        BgpAsn=65000,
        TagSpecifications=[
            {"ResourceType": "customer-gateway", "Tags": [{"Key": "vpnlab:lab", "Value": "cg"}]}
        ],
    )["CustomerGateway"]["CustomerGatewayId"]
    found = ec2.describe_customer_gateways(Filters=[{"Name": "tag:vpnlab:lab", "Values": ["cg"]}])
    assert [g["CustomerGatewayId"] for g in found["CustomerGateways"]] == [tagged]
    assert gateways["cgw"] != tagged


def test_telemetry_is_down_without_a_data_plane(ec2, gateways):
    """UP only when the emulated VGW's SAs are up; test_local_target shows UP."""
    found = describe(ec2, connection(ec2, gateways, [{}, {}], tag="no-such-lab"))
    assert [t["Status"] for t in found["VgwTelemetry"]] == ["DOWN", "DOWN"]
    assert {t["OutsideIpAddress"] for t in found["VgwTelemetry"]} == {
        t["OutsideIpAddress"] for t in found["Options"]["TunnelOptions"]
    }
