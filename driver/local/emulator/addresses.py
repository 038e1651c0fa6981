"""Addresses and volumes as AWS gives them: Elastic IPs from 203.0.113.0/24
(a documentation range), private addresses outside the four AWS reserves at
the start of a subnet and the last one, and a root volume without a size
gets the AMI's (8 GiB)."""

from __future__ import annotations

import ipaddress
import itertools
import secrets

from moto.ec2.models import elastic_ip_addresses, elastic_network_interfaces
from moto.ec2.responses.instances import InstanceResponse

EIP_NET = ipaddress.ip_network("203.0.113.0/24")
ROOT_VOLUME_GIB = 8  # Amazon Linux 2023's snapshot size

_eip_addresses = (str(EIP_NET.network_address + i) for i in itertools.count(10))


def _eip_address() -> str:
    return next(_eip_addresses)


def _private_ip(cidr: str | None = None, ipv6: bool = False) -> str:
    """Like AWS: never the first four addresses of a subnet, nor the last."""
    if ipv6 or not cidr:
        return _original_private_ip(cidr, ipv6)
    net = ipaddress.ip_network(cidr)
    return str(net.network_address + 4 + secrets.randbelow(max(net.num_addresses - 5, 1)))


_original_private_ip = elastic_network_interfaces.random_private_ip
_original_validate = InstanceResponse._validate_block_device_mapping


def _validate_block_device_mapping(device_mapping: dict) -> None:
    ebs = device_mapping.get("Ebs")
    if isinstance(ebs, dict) and not ebs.get("VolumeSize") and not ebs.get("SnapshotId"):
        ebs["VolumeSize"] = ROOT_VOLUME_GIB
    _original_validate(device_mapping)


def install() -> None:
    elastic_ip_addresses.random_ip = _eip_address
    elastic_network_interfaces.random_private_ip = _private_ip
    InstanceResponse._validate_block_device_mapping = staticmethod(_validate_block_device_mapping)
