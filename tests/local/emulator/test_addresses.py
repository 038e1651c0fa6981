"""Addresses and volumes as AWS gives them (driver/local/emulator/addresses.py)."""


def test_elastic_ips_come_from_the_documentation_range(gateways):
    assert gateways["eip"].startswith("203.0.113.")


def test_instances_avoid_reserved_addresses_and_get_a_root_volume_size(ec2, gateways):
    subnet = ec2.create_subnet(VpcId=gateways["vpc"], CidrBlock="10.9.1.0/28")["Subnet"]
    images = ec2.describe_images()["Images"]
    reservation = ec2.run_instances(
        ImageId=images[0]["ImageId"],
        MinCount=8,
        MaxCount=8,
        SubnetId=subnet["SubnetId"],
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True}}],
    )
    for instance in reservation["Instances"]:
        last_octet = int(instance["PrivateIpAddress"].rsplit(".", 1)[1])
        assert 4 <= last_octet <= 14  # not .0-.3 (AWS's), not .15 (broadcast)
