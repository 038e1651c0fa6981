"""Every lab value that vpnlab writes into a generated file (strongSwan's files,
the VPN server's cloud-init shell, FRR's configuration, Terraform) is validated
for its place: a hostile value is refused by the loader, or it holds nothing any
of those formats would read as more than a word.

The values the lab takes as numbers, addresses or networks are parsed into
those types (no text of theirs reaches a file); these are the lab's strings.
"""

import json
import re

import pytest
from hypothesis import given, settings

from driver.core.errors import LabError
from driver.lab.loader import parse_lab
from tests.hostile_values import HOSTILE
from tests.lab.test_loader import lab_with

# Letters, digits and . _ : / + - : a word in a strongSwan value, an ipsec.conf
# value, an FRR line, a shell word and a JSON string alike.
HARMLESS = re.compile(r"[A-Za-z0-9._:/+-]*")
MARK = "vpnlab-hostile-value-mark"
FIELDS = [
    "name",  # every generated file's header, FRR's hostname, namespace names
    "region",  # the VPN server's shell (aws ssm --region)
    "strongswan.version",  # the VPN server's build from source
    "strongswan.sha256",
    "vpn.tunnels[0].preshared_key",  # strongSwan's secrets files
    "aws.test_host.instance_type",  # Terraform
    "onprem.vpn_server.instance_type",
]


def _lab_text(field: str) -> str:
    changes = [(field, MARK)]
    if field.startswith("vpn.tunnels"):
        changes.append(("vpn.tunnels[1].preshared_key", "second.key_for_tests"))
    return lab_with(*changes)


TEXTS = {field: _lab_text(field) for field in FIELDS}


def _value_at(lab, field: str):
    node = lab
    for key in field.replace("[", ".").replace("]", "").split("."):
        node = node[int(key)] if key.isdigit() else getattr(node, key)
    return node


@pytest.mark.parametrize("field", FIELDS)
@settings(max_examples=200, deadline=None)
@given(value=HOSTILE)
def test_a_hostile_lab_value_is_refused_or_harmless(field, value):
    text = TEXTS[field].replace(MARK, json.dumps(value))  # JSON's string is YAML's too
    try:
        lab = parse_lab(text)
    except LabError:
        return
    accepted = _value_at(lab, field)
    assert HARMLESS.fullmatch(str(accepted)), (field, accepted)
