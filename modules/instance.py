"""The settings every instance of a lab shares: IMDSv2 only, encrypted root volume."""

from modules.aws import resource

instance = resource("instance")


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
