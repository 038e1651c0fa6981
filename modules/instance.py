"""The settings every instance of a lab shares: IMDSv2 only, encrypted root volume."""

from modules.aws import resource

instance = resource("instance")
security_group = resource("security_group")


def anything_out():
    """The egress every lab instance has: replies and updates may go anywhere."""
    return security_group.SecurityGroupEgress(
        protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"], description="anything out"
    )


def hardened_instance(scope, id_: str, **arguments):
    return instance.Instance(
        scope,
        id_,
        metadata_options=instance.InstanceMetadataOptions(
            http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
        ),
        root_block_device=instance.InstanceRootBlockDevice(encrypted=True, volume_type="gp3"),
        user_data_replace_on_change=True,
        **arguments,
    )
