"""The running emulator and a VPC with both gateways, shared by its tests."""

import pytest


@pytest.fixture(scope="package")
def ec2(emulator):
    return emulator.session("ap-northeast-1").client("ec2", endpoint_url=emulator.url)


@pytest.fixture(scope="package")
def gateways(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc, VpnGatewayId=vgw)
    eip = ec2.allocate_address(Domain="vpc")["PublicIp"]
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=eip, BgpAsn=65000)
    return {"vpc": vpc, "vgw": vgw, "eip": eip, "cgw": cgw["CustomerGateway"]["CustomerGatewayId"]}
