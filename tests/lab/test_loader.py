"""The lab model: the seed loads; every bad lab is refused with every problem named."""

import copy
import ipaddress

import pytest
import yaml

from driver.core.errors import LabError, VpnlabError
from driver.lab.loader import parse_lab
from tests.conftest import SEED

SEED_RAW = yaml.safe_load(SEED.read_text())
DELETE = object()


def lab_with(*changes) -> str:
    """The seed's YAML with (dotted.path, value) changes; ``[i]`` indexes lists."""
    raw = copy.deepcopy(SEED_RAW)
    for path, value in changes:
        keys = path.replace("[", ".").replace("]", "").split(".")
        node = raw
        for key in keys[:-1]:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        last = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(raw, sort_keys=False)


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(LabError) as caught:
        parse_lab(text, "lab.yml")
    return [(p.path, p.message) for p in caught.value.problems]


def test_seed_loads_with_the_seed_topology(seed_lab):
    assert seed_lab.name == "seed"
    assert seed_lab.aws.vpc_cidr == ipaddress.ip_network("10.0.0.0/16")
    assert seed_lab.onprem.vpc_cidr == ipaddress.ip_network("192.168.0.0/16")
    assert seed_lab.vpn.static_routes == (ipaddress.ip_network("192.168.0.0/16"),)
    assert str(seed_lab.vpn.local_network_cidr) == "192.168.0.0/16"
    assert str(seed_lab.vpn.remote_network_cidr) == "10.0.0.0/16"
    assert [str(t.inside_cidr) for t in seed_lab.tunnels] == ["169.254.10.0/30", "169.254.11.0/30"]
    for tunnel in seed_lab.tunnels:
        assert tunnel.preshared_key is None  # AWS generates them
        assert tunnel.options.phase1.dh_groups == (14,)  # not the seed's group 2
        assert tunnel.options.phase2.lifetime < tunnel.options.phase1.lifetime
    assert seed_lab.strongswan.version == "5.9.11"


def test_a_tunnel_overrides_the_shared_options():
    text = lab_with(
        ("vpn.tunnels[1].dpd_timeout", 45), ("vpn.tunnels[1].phase1", {"dh_groups": [20]})
    )
    lab = parse_lab(text)
    first, second = lab.tunnels
    assert (first.options.dpd_timeout, second.options.dpd_timeout) == (30, 45)
    assert second.options.phase1.dh_groups == (20,)
    assert second.options.phase1.encryption == ("AES256",)  # inherited from the shared block


BAD_LABS = [
    (
        "the seed's host-bit selector",
        [("onprem.vpc_cidr", "192.168.1.0/16")],
        [("onprem.vpc_cidr", "192.168.1.0/16 has host bits set")],
    ),
    (
        "not a CIDR",
        [("aws.vpc_cidr", "10.0.0.300/16")],
        [
            (
                "aws.vpc_cidr",
                "'10.0.0.300/16' is not an IPv4 CIDR "
                "(Octet 300 (> 255) not permitted in '10.0.0.300')",
            )
        ],
    ),
    (
        "overlapping VPCs",
        [
            ("onprem.vpc_cidr", "10.0.0.0/16"),
            ("onprem.public_subnet_cidr", "10.0.0.0/24"),
            ("onprem.private_subnet_cidr", "10.0.2.0/24"),
        ],
        [("onprem.vpc_cidr", "10.0.0.0/16 overlaps the AWS VPC 10.0.0.0/16")],
    ),
    (
        "subnet outside its VPC",
        [("aws.private_subnet_cidr", "10.1.0.0/24")],
        [("aws.private_subnet_cidr", "10.1.0.0/24 is outside the VPC 10.0.0.0/16")],
    ),
    (
        "overlapping subnets",
        [("onprem.private_subnet_cidr", "192.168.0.0/25")],
        [
            (
                "onprem.private_subnet_cidr",
                "192.168.0.0/25 overlaps onprem.public_subnet_cidr (192.168.0.0/24)",
            )
        ],
    ),
    (
        "PSK AWS would refuse",
        [("vpn.tunnels[0].preshared_key", "0bad-key")],
        [
            (
                "vpn.tunnels[0].preshared_key",
                "the pre-shared key contains '-'; AWS allows only letters, digits, '.' and '_'",
            ),
            (
                "vpn.tunnels[0].preshared_key",
                "the pre-shared key starts with '0', which AWS refuses",
            ),
        ],
    ),
    (
        "PSK too short",
        [("vpn.tunnels[1].preshared_key", "abc")],
        [
            (
                "vpn.tunnels[1].preshared_key",
                "the pre-shared key is 3 characters long; AWS needs 8 to 64",
            )
        ],
    ),
    (
        "algorithm AWS does not offer",
        [("vpn.tunnel_options.phase1.encryption", ["3DES"])],
        [("vpn.tunnel_options.phase1.encryption[0]", "'3DES' is not offered by AWS")],
    ),
    (
        "DH group AWS does not offer in phase 1 (reported once, where it is written)",
        [("vpn.tunnel_options.phase1.dh_groups", [5])],
        [("vpn.tunnel_options.phase1.dh_groups[0]", "DH group 5 is not offered by AWS in phase 1")],
    ),
    (
        "DH group AWS offers nowhere",
        [("vpn.tunnel_options.phase2.dh_groups", [1])],
        [("vpn.tunnel_options.phase2.dh_groups[0]", "1 is not offered by AWS")],
    ),
    (
        "phase 2 lifetime not below phase 1",
        [("vpn.tunnels[0].phase1", {"lifetime": 3600})],
        [
            (
                "vpn.tunnels[0].phase2.lifetime",
                "phase 2 lifetime 3600 s is not below phase 1's 3600 s",
            )
        ],
    ),
    (
        "phase 1 lifetime out of AWS's range",
        [("vpn.tunnel_options.phase1.lifetime", 30000)],
        [("vpn.tunnel_options.phase1.lifetime", "30000 is out of range")],
    ),
    (
        "rekey margin above half of phase 2",
        [("vpn.tunnel_options.rekey_margin", 2000)],
        [
            (
                "vpn.tunnel_options.rekey_margin",
                "2000 s is more than half the phase 2 lifetime (3600 s)",
            )
        ],
    ),
    (
        "DPD timeout below 30",
        [("vpn.tunnel_options.dpd_timeout", 10)],
        [("vpn.tunnel_options.dpd_timeout", "10 is out of range")],
    ),
    (
        "startup action start with IKEv1",
        [
            ("vpn.tunnels[0].startup_action", "start"),
            ("vpn.tunnels[0].ike_versions", ["ikev1", "ikev2"]),
        ],
        [("vpn.tunnels[0].startup_action", "startup action 'start' needs IKEv2 only")],
    ),
    (
        "inside CIDR outside 169.254.0.0/16",
        [("vpn.tunnels[0].inside_cidr", "10.9.9.0/30")],
        [("vpn.tunnels[0].inside_cidr", "10.9.9.0/30 is not a /30 inside 169.254.0.0/16")],
    ),
    (
        "inside CIDR reserved by AWS",
        [("vpn.tunnels[1].inside_cidr", "169.254.169.252/30")],
        [("vpn.tunnels[1].inside_cidr", "169.254.169.252/30 is reserved by AWS")],
    ),
    (
        "inside CIDRs not unique",
        [("vpn.tunnels[1].inside_cidr", "169.254.10.0/30")],
        [("vpn.tunnels[1].inside_cidr", "169.254.10.0/30 is also tunnel 1's inside CIDR")],
    ),
    (
        "unknown keys, with a suggestion",
        [("vpn.tunel_options", {}), ("strongswan.verison", "5.9.11")],
        [
            ("vpn.tunel_options", "unknown key 'tunel_options'"),
            ("strongswan.verison", "unknown key 'verison'"),
        ],
    ),
    ("a missing required key", [("aws.vpc_cidr", DELETE)], [("aws.vpc_cidr", "missing")]),
    (
        "one tunnel only",
        [("vpn.tunnels", [{"inside_cidr": "169.254.10.0/30"}])],
        [("vpn.tunnels", "must be a list of exactly two tunnels")],
    ),
    ("a bad lab name", [("name", "Seed Lab")], [("name", "'Seed Lab' is not well formed")]),
    (
        "a reserved tag",
        [("tags", {"vpnlab:lab": "other"})],
        [("tags.vpnlab:lab", "the tag prefix 'vpnlab:' is vpnlab's own")],
    ),
    (
        "a wrong type",
        [("vpn.customer_gateway_asn", "65000")],
        [("vpn.customer_gateway_asn", "must be an integer, not '65000'")],
    ),
]


@pytest.mark.parametrize(
    "changes,expected", [c[1:] for c in BAD_LABS], ids=[c[0] for c in BAD_LABS]
)
def test_bad_lab_is_refused_with_exact_problems(changes, expected):
    assert problems(lab_with(*changes)) == expected


def test_every_problem_is_reported_at_once_with_line_and_hint():
    text = lab_with(
        ("onprem.vpc_cidr", "192.168.1.0/16"),
        ("vpn.tunnels[0].preshared_key", "short"),
        ("vpn.tunnel_options.phase2.encryption", ["DES"]),
    )
    with pytest.raises(LabError) as caught:
        parse_lab(text, "labs/bad.yml")
    message = str(caught.value)
    assert message.startswith("labs/bad.yml: 3 problems; nothing was created")
    line = text.splitlines().index("  vpc_cidr: 192.168.1.0/16", 10) + 1
    assert (
        f"labs/bad.yml:{line}: onprem.vpc_cidr: 192.168.1.0/16 has host bits set\n"
        "    hint: the network is 192.168.0.0/16; write that"
    ) in message
    assert "hint: choose one of: AES128, AES256, AES128-GCM-16, AES256-GCM-16" in message


def test_a_refused_psk_is_never_echoed():
    secret = "0ThisIsMySecret-Key"
    with pytest.raises(LabError) as caught:
        parse_lab(lab_with(("vpn.tunnels[0].preshared_key", secret)))
    assert secret not in str(caught.value)


def test_yaml_syntax_errors_are_problems_too():
    with pytest.raises(LabError, match=r"lab.yml:3: not valid YAML: expected ',' or ']'"):
        parse_lab("name: seed\naws: [unclosed\n", "lab.yml")


def test_a_value_ruamel_takes_for_a_number_but_cannot_convert_is_a_problem():
    """'._' matches ruamel.yaml's float pattern, and float('.') raises (found by
    the property test in test_loader_bounds.py)."""
    with pytest.raises(LabError, match=r"not valid YAML: a value that reads as a number is none"):
        parse_lab("._: null\n", "lab.yml")


def test_a_sign_and_an_underscore_are_a_problem_not_a_crash():
    """'-_' matches ruamel.yaml's int pattern, and its int constructor indexes past
    the end of what is left (found by the property test in test_loader_bounds.py)."""
    with pytest.raises(LabError, match=r"not valid YAML: a value that reads as a number is none"):
        parse_lab("name: -_\n", "lab.yml")


@pytest.mark.parametrize(
    "text,tag",
    [
        ("name: !foo bar\n", "!foo"),
        ("name: seed\nvpn: !!python/object/apply:os.system [id]\n", "!!python/object/apply"),
    ],
)
def test_a_tagged_value_is_a_problem_not_a_crash(text, tag):
    """A tag asks YAML for an object (ruamel leaves it unconstructed, a node a lab file
    never holds): refused with its line, as another company's file may carry one."""
    with pytest.raises(LabError, match=r"is a YAML tag") as caught:
        parse_lab(text, "lab.yml")
    assert tag in str(caught.value)


def test_yamls_own_str_tag_is_the_string_it_says():
    assert "name: must be" not in _problems_text("name: !!str seed\n")


def _problems_text(text: str) -> str:
    try:
        parse_lab(text, "lab.yml")
    except LabError as exc:
        return str(exc)
    return ""


def _alias_bomb() -> str:
    """Nine levels of ten aliases each: 10^9 values once expanded."""
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        name, below = chr(97 + level), chr(96 + level)
        text += f"{name}: &{name} [" + ", ".join([f"*{below}"] * 10) + "]\n"
    return text + "name: *i\n"


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


A_SECTION_AS_TEXT = lab_with(("aws", "10.0.0.0/16"))
TAGS_NOT_STRINGS = lab_with(("tags", {"n": 1}))
MALFORMED_FILES = [
    ("empty", "", [(None, "", "the lab file is empty")]),
    ("only a comment", "# a lab\n", [(None, "", "the lab file is empty")]),
    ("a list", "- a\n- b\n", [(1, "", "the lab file must be a mapping of keys, not a list")]),
    ("a scalar", "seed\n", [(1, "", "the lab file must be a mapping of keys, not a str")]),
    (
        "only a name: the required sections are named, all of them",
        "name: x\n",
        [(1, "aws", "missing"), (1, "onprem", "missing"), (1, "vpn", "missing")],
    ),
    (
        "a key written twice",
        SEED.read_text() + "name: other\n",
        [
            (
                SEED.read_text().count("\n") + 1,
                "",
                'key "name" is written twice in one mapping (the mapping that starts at '
                f"line {line_of(SEED.read_text(), 'name:')})",
            )
        ],
    ),
    (
        "aliases that expand past the bound",
        _alias_bomb(),
        [(4, "d", "the document expands past 10000 values (aliases that repeat each other?)")],
    ),
    (
        "a section that is a string",
        A_SECTION_AS_TEXT,
        [(line_of(A_SECTION_AS_TEXT, "aws:"), "aws", "must be a mapping, not str")],
    ),
    (
        "tags that are not strings",
        lab_with(("tags", {"n": 1})),
        [(3, "tags", "must be a mapping of strings to strings")],
    ),
]


@pytest.mark.parametrize(
    "text,expected", [c[1:] for c in MALFORMED_FILES], ids=[c[0] for c in MALFORMED_FILES]
)
def test_malformed_lab_files_get_exact_problems(text, expected):
    with pytest.raises(LabError) as caught:
        parse_lab(text, "lab.yml")
    assert [(p.line, p.path, p.message) for p in caught.value.problems] == expected


def test_bytes_and_paths_that_are_no_lab_file(tmp_path):
    from driver.lab.loader import load_lab

    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes(b"name: seed\nregion: caf\xe9\n")
    cases = [
        (latin1, [(2, "", "not UTF-8 text (byte 0xe9)")]),
        (tmp_path, [(None, "", "is a directory, not a lab file")]),
        (tmp_path / "absent.yml", [(None, "", "cannot read lab file: No such file or directory")]),
    ]
    for path, expected in cases:
        with pytest.raises(LabError) as caught:
            load_lab(path)
        assert [(p.line, p.path, p.message) for p in caught.value.problems] == expected


def test_a_misspelt_key_gets_the_key_it_meant():
    text = lab_with(("vpn.tunel_options", {}), ("aws.route_propogation", True))
    with pytest.raises(LabError) as caught:
        parse_lab(text, "lab.yml")
    hints = {p.path: p.hint for p in caught.value.problems}
    assert hints["vpn.tunel_options"] == "did you mean 'tunnel_options'?"
    assert hints["aws.route_propogation"] == "did you mean 'route_propagation'?"


def test_the_vpn_servers_addresses_are_settable_and_checked():
    from driver.lab import topology

    lab = parse_lab(
        lab_with(
            ("onprem.vpn_server.private_ip", "192.168.0.20"),
            ("onprem.vpn_server.public_ip", "198.51.100.77"),
        )
    )
    plan = topology.plan(lab)
    assert (plan.server_ip, plan.public_ip) == ("192.168.0.20", "198.51.100.77")
    assert topology.plan(parse_lab(lab_with())).server_ip == "192.168.0.10"  # the default
    assert problems(
        lab_with(
            ("onprem.vpn_server.private_ip", "192.168.1.20"),
            ("onprem.vpn_server.public_ip", "10.1.2.3"),
        )
    ) == [
        (
            "onprem.vpn_server.private_ip",
            "192.168.1.20 is outside onprem.public_subnet_cidr 192.168.0.0/24",
        ),
        (
            "onprem.vpn_server.public_ip",
            "10.1.2.3 is a private address; a customer gateway's is public",
        ),
    ]
    ((path, message),) = problems(lab_with(("onprem.vpn_server.private_ip", "192.168.0.3")))
    assert "AWS reserves" in message
    ((path, message),) = problems(lab_with(("onprem.vpn_server.private_ip", "server-1")))
    assert (path, message) == ("onprem.vpn_server.private_ip", "'server-1' is not an IPv4 address")


def test_an_onprem_network_wider_than_a_vpc_loads_and_only_synthesis_refuses_it(tmp_path):
    from driver.synth.synthesis import synth

    text = lab_with(
        ("onprem.vpc_cidr", "192.168.0.0/15"), ("vpn.static_routes", ["192.168.0.0/15"])
    )
    assert str(parse_lab(text).onprem.vpc_cidr) == "192.168.0.0/15"
    path = tmp_path / "wide.yml"
    path.write_text(text)
    with pytest.raises(VpnlabError, match=r"wider than /16.*`vpnlab check` runs this lab"):
        synth(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
