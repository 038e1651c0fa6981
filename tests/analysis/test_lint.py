"""vpnlab lint: every rule triggered by one input and silent on its fix."""

import ipaddress
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driver.analysis.cgw_bgp_rules import BGP_RULES
from driver.analysis.cgw_lint import DAEMON_RULES
from driver.analysis.cgw_rules import lint_config
from driver.analysis.cisco_asa_rules import CISCO_ASA_RULES
from driver.analysis.cisco_ios_rules import CISCO_IOS_RULES
from driver.analysis.fortigate_rules import FORTIGATE_RULES
from driver.analysis.junos_rules import JUNOS_RULES
from driver.analysis.lab_rules import lint_lab
from driver.analysis.libreswan_rules import LIBRESWAN_RULES
from driver.analysis.lint import all_rules, lint
from driver.analysis.mikrotik_rules import MIKROTIK_RULES
from driver.analysis.opnsense_rules import OPNSENSE_RULES
from driver.analysis.panos_rules import PANOS_RULES
from driver.analysis.pfsense_rules import PFSENSE_RULES
from driver.analysis.transit_gateway_rules import TRANSIT_GATEWAY_RULES
from driver.analysis.vyos_rules import VYOS_RULES
from driver.analysis.yamaha_rules import YAMAHA_RULES
from driver.core.paths import PROJECT
from driver.lab import aws_rules
from driver.lab.loader import parse_lab
from driver.render.cloud_init import fill_secrets, strongswan_files
from tests.goldens import EXAMPLE, seed_in_style
from tests.lab.test_loader import DELETE, lab_with

SEED = PROJECT / "labs" / "seed.yml"
VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
INHERENT = {"conf-identical-selectors", "conf-mtu", "lab-dpd-clear"}  # policy-based by design


def rules(findings, severity=None) -> list[str]:
    return sorted(f.rule for f in findings if severity in (None, f.severity))


@pytest.fixture
def good_config(tmp_path):
    """vpnlab's own rendering of the seed, as a customer would receive it."""
    lab = seed_in_style("ipsec.conf")
    files = strongswan_files(lab, EXAMPLE)
    conf, secrets = tmp_path / "ipsec.conf", tmp_path / "ipsec.secrets"
    conf.write_text(files["/etc/ipsec.conf"])
    secrets.write_text(fill_secrets(files["/etc/ipsec.secrets"], ("key.one_abc", "key.two_abc")))
    return lab, conf, secrets


def lint_variant(good_config, old: str, new: str, count: int = -1):
    lab, conf, secrets = good_config
    text = conf.read_text()
    assert old in text
    conf.write_text(text.replace(old, new, count))
    return lint_config(lab, conf, secrets)


def test_the_rendered_configuration_is_clean(good_config):
    lab, conf, secrets = good_config
    assert set(rules(lint_config(lab, conf, secrets))) <= INHERENT
    assert set(rules(lint_lab(lab, "seed.yml"))) <= INHERENT


CONFIG_CASES = [
    ("conf-duplicate-key", "    auto = start\n", "    auto = start\n    auto = start\n"),
    ("conf-host-bits", "leftsubnet = 192.168.0.0/16", "leftsubnet = 192.168.1.0/16"),
    ("conf-selectors", "rightsubnet = 10.0.0.0/16", "rightsubnet = 10.0.0.0/24"),
    ("conf-leftid", "leftid = 203.0.113.10", "leftid = 192.168.0.10"),
    ("conf-right", "right = 198.51.100.2", "right = vpn.example.com"),
    ("conf-duplicate-conn", "right = 198.51.100.2", "right = 198.51.100.1"),  # Tunnel1 twice
    ("conf-dpdaction", "dpdaction = restart", "dpdaction = clear"),
    ("conf-no-initiator", "auto = start", "auto = add"),
    ("conf-keyingtries", "keyingtries = %forever", "keyingtries = 3"),
    ("conf-no-common-ike", "ike = aes256-sha256-modp2048!", "ike = aes128-sha256-modp2048!"),
    ("conf-no-common-esp", "esp = aes256-sha256-modp2048!", "esp = aes256gcm16-modp2048!"),
    ("conf-no-pfs", "esp = aes256-sha256-modp2048!", "esp = aes256-sha256!"),
    ("conf-defaults-appended", "ike = aes256-sha256-modp2048!", "ike = aes256-sha256-modp2048"),
    ("conf-weak-proposal", "ike = aes256-sha256-modp2048!", "ike = aes256-sha1-modp1024!"),
    ("conf-route-based", "    type = tunnel\n", "    type = tunnel\n    mark = 100\n"),
    ("conf-unknown-key", "    type = tunnel\n", "    type = tunnel\n    leftkeepalive = yes\n"),
    ("conf-refused", "dpdaction = restart", "dpdaction = restart_by_peer"),
    ("conf-libreswan", "    type = tunnel\n", "    type = tunnel\n    ikev2 = insist\n"),
    ("conf-include", "conn Tunnel1", "include /etc/ipsec.d/none/*.conf\nconn Tunnel1"),
    ("conf-ike-version", "keyexchange = ikev2", "keyexchange = ikev1"),
    ("conf-aggressive", "keyexchange = ikev2", "keyexchange = ikev1\n    aggressive = yes"),
    ("conf-no-policies", "    type = tunnel\n", "    type = tunnel\n    installpolicy = no\n"),
    ("conf-trap", "auto = start", "auto = route"),
    (
        "conf-missing-script",
        "    type = tunnel\n",
        "    type = tunnel\n    leftupdown = /etc/x.sh\n",
    ),
    ("conf-no-interface", "    type = tunnel\n", "    type = tunnel\n    mark = 100\n"),
]
# Silent on these: the mistake's neighbour that is no mistake.
CONFIG_SILENT = [
    # a conn that repeats another's tunnel and selectors is no second SA pair:
    # strongSwan refuses the duplicate CHILD_SA (tests/scenarios/duplicate-sa-pair)
    ("conf-sa-pairs", "right = 198.51.100.2", "right = 198.51.100.1"),
    ("conf-ike-version", "keyexchange = ikev2", "keyexchange = ike"),  # initiates IKEv2
    ("conf-aggressive", "keyexchange = ikev2", "keyexchange = ikev2\n    aggressive = yes"),
    (
        "conf-missing-script",
        "    type = tunnel\n",
        "    type = tunnel\n    leftupdown = /usr/lib/ipsec/_updown\n",
    ),
]


@pytest.mark.parametrize("rule,old,new", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_each_config_rule_fires_on_its_mistake(good_config, rule, old, new):
    found = set(rules(lint_variant(good_config, old, new))) - INHERENT
    assert rule in found, found


@pytest.mark.parametrize("rule,old,new", CONFIG_SILENT, ids=[c[0] for c in CONFIG_SILENT])
def test_each_config_rule_is_silent_where_strongswan_and_aws_agree(good_config, rule, old, new):
    assert rule not in rules(lint_variant(good_config, old, new))


def test_a_swanctl_child_without_esp_proposals_has_no_pfs(tmp_path):
    """strongSwan's default ESP proposals name no DH group: the child's first SA comes
    up, AWS's rekey with PFS does not (as ipsec.conf without esp=)."""
    lab = seed_in_style("swanctl")
    files = strongswan_files(lab, EXAMPLE)
    conf = tmp_path / "swanctl" / "swanctl.conf"
    conf.parent.mkdir()
    text = files["/etc/swanctl/swanctl.conf"]
    conf.write_text(text.replace("                esp_proposals = aes256-sha256-modp2048\n", ""))
    found = [f for f in lint_config(lab, tmp_path, None) if f.rule == "conf-no-pfs"]
    assert len(found) == 2 and "no esp_proposals" in found[0].message
    conf.write_text(text)
    assert "conf-no-pfs" not in rules(lint_config(lab, tmp_path, None))


def test_swanctl_proposals_are_taken_as_written_without_a_bang(tmp_path):
    """swanctl.conf has no '!': it negotiates the proposals written and nothing else
    unless they name 'default'. Proposals AWS refuses are an error, not a note that
    strongSwan's defaults might rescue them."""
    lab = seed_in_style("swanctl")
    conf = tmp_path / "swanctl" / "swanctl.conf"
    conf.parent.mkdir()
    text = strongswan_files(lab, EXAMPLE)["/etc/swanctl/swanctl.conf"]
    refused = text.replace("proposals = aes256-sha256-modp2048\n", "proposals = 3des-md5-modp768\n")
    assert refused != text
    conf.write_text(refused)
    found = rules(lint_config(lab, tmp_path, None))
    assert "conf-no-common-ike" in found and "conf-defaults-appended" not in found
    conf.write_text(refused.replace("3des-md5-modp768\n", "3des-md5-modp768, default\n"))
    [said] = [f for f in lint_config(lab, tmp_path, None) if f.rule == "conf-defaults-appended"][:1]
    assert "names 'default'" in said.message and said.hint.startswith("drop 'default'")


def test_an_updown_script_given_but_not_executable(good_config):
    lab, conf, secrets = good_config
    etc = conf.parent / "etc"
    (etc / "ipsec.d").mkdir(parents=True)
    text = conf.read_text().replace(
        "    type = tunnel\n",
        "    type = tunnel\n    mark = 1\n    leftupdown = /etc/ipsec.d/vti.sh -ln vti1\n",
        1,
    )
    (etc / "ipsec.conf").write_text(text)
    (etc / "ipsec.secrets").write_text(secrets.read_text())
    script = etc / "ipsec.d" / "vti.sh"
    script.write_text("#!/bin/sh\nip link add vti1 type vti key 1\n")
    (found,) = [f for f in lint_config(lab, etc, None) if f.rule == "conf-missing-script"]
    assert "not executable" in found.message and found.where.endswith("ipsec.conf:11")
    script.chmod(0o755)
    assert {"conf-missing-script", "conf-no-interface"}.isdisjoint(
        rules(lint_config(lab, etc, None))
    )


def test_conns_per_subnet_are_one_tunnel_each_judged_against_its_own_options(good_config):
    """A policy-based device writes a conn per subnet: three conns to tunnel 1 are one
    tunnel (its SA pairs are the finding), and its keys are tunnel 1's, not tunnel 2's."""
    _, conf, secrets = good_config
    keys = [
        (f"vpn.tunnels[{n}].preshared_key", k) for n, k in enumerate(["key.one_abc", "key.two_abc"])
    ]
    lab = parse_lab(lab_with(*keys))  # the keys good_config's secrets hold, tunnel by tunnel
    text = conf.read_text()
    one = text[text.index("conn Tunnel1") : text.index("conn Tunnel2")]
    more = "".join(
        one.replace("conn Tunnel1", f"conn Tunnel1-{n}").replace("192.168.0.0/16", net)
        for n, net in enumerate(["192.168.0.0/24", "192.168.1.0/24"])
    )
    conf.write_text(text.replace(one, one + more))
    found = lint_config(lab, conf, secrets)
    assert "conf-sa-pairs" in rules(found, "error")
    assert {"conf-tunnel-count", "conf-right", "conf-psk-mismatch"}.isdisjoint(rules(found))


def test_tunnel_count_and_syntax(good_config):
    lab, conf, secrets = good_config
    text = conf.read_text()
    conf.write_text(text[: text.index("conn Tunnel2")])
    assert "conf-tunnel-count" in rules(lint_config(lab, conf, secrets))
    conf.write_text("conn broken\nnot a setting line\n")
    (finding,) = lint_config(lab, conf, secrets)
    assert (finding.rule, finding.where) == ("conf-syntax", f"{conf}:2")


LAB_CASES = [
    ("lab-static-routes", [("vpn.static_routes", ["192.168.0.0/24"])]),
    ("lab-network-cidrs", [("vpn.remote_network_cidr", "10.0.2.0/24")]),
    ("lab-weak-dh", [("vpn.tunnel_options.phase1.dh_groups", [2, 14])]),
    ("lab-weak-integrity", [("vpn.tunnel_options.phase2.integrity", ["SHA1"])]),
    ("lab-ikev1", [("vpn.tunnel_options.ike_versions", ["ikev1", "ikev2"])]),
    ("path-security-group", [("onprem.test_host.icmp_from", ["172.16.0.0/12"])]),
    (
        "lab-bgp-prefixes",
        [
            ("vpn.routing", "bgp"),
            ("vpn.static_routes", DELETE),
            ("vpn.tunnel_interface", "vti"),
            ("vpn.advertised_prefixes", ["192.168.0.0/24"]),  # misses the private subnet
        ],
    ),
]


def test_more_prefixes_than_the_vgw_accepts_is_an_error_that_names_the_quota():
    many = [f"172.16.{i}.0/24" for i in range(100)]
    lab = parse_lab(
        lab_with(
            ("vpn.routing", "bgp"),
            ("vpn.static_routes", DELETE),
            ("vpn.tunnel_interface", "vti"),
            ("vpn.advertised_prefixes", ["192.168.0.0/16", *many]),
        )
    )
    (finding,) = [f for f in lint_lab(lab, "lab.yml") if f.rule == "lab-bgp-prefixes"]
    assert finding.message.startswith("101 prefixes: AWS accepts at most 100")


@pytest.mark.parametrize("rule,changes", LAB_CASES, ids=[c[0] for c in LAB_CASES])
def test_each_lab_rule_fires_and_is_silent_on_the_seed(rule, changes):
    assert rule in rules(lint_lab(parse_lab(lab_with(*changes)), "lab.yml"))
    assert rule not in rules(lint_lab(parse_lab(lab_with()), "lab.yml"))


def test_an_invalid_lab_is_reported_as_findings_not_a_crash(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        lab_with(("onprem.vpc_cidr", "192.168.1.0/16"), ("vpn.tunnels[0].preshared_key", "0short"))
    )
    findings = lint(bad)
    assert rules(findings) == ["lab-invalid"] * 3  # host bits; PSK too short, leading 0
    assert all(f.severity == "error" and f.where.startswith(str(bad)) for f in findings)


def test_the_seeds_own_ipsec_conf_gets_what_its_mistakes_deserve():
    findings = lint(
        PROJECT / "labs" / "seed-aws-defaults.yml", VENDOR / "ipsec.conf", VENDOR / "ipsec.secrets"
    )
    conf = [
        (f.rule, f.where.rsplit(":", 1)[1]) for f in findings if f.where.startswith(str(VENDOR))
    ]
    assert sorted(conf) == sorted(
        [
            ("conf-duplicate-key", "22"),
            ("conf-duplicate-key", "41"),  # auto=start twice
            ("conf-host-bits", "17"),
            ("conf-host-bits", "36"),  # leftsubnet=192.168.1.0/16, on its own line
            ("conf-weak-proposal", "5"),
            ("conf-weak-proposal", "24"),  # modp1024
            ("conf-defaults-appended", "5"),
            ("conf-defaults-appended", "24"),  # no '!'
            ("conf-no-pfs", "5"),
            ("conf-no-pfs", "24"),  # no esp= line
            ("conf-identical-selectors", "24"),
            ("conf-mtu", "5"),
        ]
    )
    assert not [f for f in findings if f.severity == "error"]  # it does come up (test_check)


def test_every_rule_is_documented_and_tested():
    tested = (
        {c[0] for c in CONFIG_CASES}
        | {c[0] for c in LAB_CASES}
        | {
            "net-forwarding",  # the net-* rules: NET_CASES below
            *(c[0] for c in NET_CASES),
            "path-unreachable",  # these three: tests/analysis/test_path_analysis.py
            "path-asymmetric",
            "path-bypasses-firewall",
            "conf-tunnel-count",
            "conf-syntax",
            "conf-files",  # these four: tests/cgw/strongswan/test_files.py
            "conf-replaced",
            "conf-psk-mismatch",
            "conf-secret-missing",
            "lab-invalid",
            "conf-identical-selectors",
            "conf-mtu",
            "lab-dpd-clear",
            "conf-sa-pairs",  # test_conns_per_subnet_are_one_tunnel_each_judged_...
            *LIBRESWAN_RULES,  # these four: tests/analysis/test_libreswan_rules.py
            *FORTIGATE_RULES,  # tests/analysis/test_fortigate_rules.py
            *CISCO_IOS_RULES,  # tests/analysis/test_cisco_ios_rules.py
            *CISCO_ASA_RULES,  # tests/analysis/test_cisco_asa_rules.py, tests/scenarios
            *PANOS_RULES,  # tests/analysis/test_panos_rules.py
            *JUNOS_RULES,  # tests/analysis/test_junos_rules.py
            *YAMAHA_RULES,  # tests/analysis/test_yamaha_rules.py
            *VYOS_RULES,  # tests/analysis/test_vyos_rules.py
            *PFSENSE_RULES,  # tests/analysis/test_pfsense_rules.py
            *MIKROTIK_RULES,  # tests/analysis/test_mikrotik_rules.py, tests/cgw/mikrotik
            *OPNSENSE_RULES,  # tests/analysis/test_opnsense_rules.py, tests/cgw/opnsense
            *DAEMON_RULES,
        }
        | set(BGP_RULES)  # tests/analysis/test_cgw_bgp.py
        | set(TRANSIT_GATEWAY_RULES)  # tests/analysis/test_transit_gateway_rules.py
    )
    assert tested == set(all_rules())


def test_cli_exit_status_and_json():
    ok = subprocess.run(
        [sys.executable, "-m", "driver.cli", "lint", str(SEED), "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert ok.returncode == 0
    document = json.loads(ok.stdout)
    assert document["schema"] == "vpnlab.report/1" and document["command"] == "lint"
    assert document["passed"] is True
    assert {f["name"] for f in document["checks"]} <= INHERENT  # a row per finding
    assert not [f for f in document["checks"] if f["status"] == "FAIL"]
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "driver.cli",
            "lint",
            str(SEED),
            "--cgw-config",
            str(VENDOR / "ipsec.conf"),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert bad.returncode == 1  # no secrets given: every tunnel lacks its key
    assert "conf-secret-missing" in bad.stdout


# --- properties -----------------------------------------------------------------------


@st.composite
def valid_labs(draw):
    aws_second = draw(st.integers(0, 127))
    onprem_second = draw(st.integers(128, 255))
    groups1 = draw(
        st.lists(
            st.sampled_from(sorted(aws_rules.PHASE1_DH_GROUPS - {2, 22})),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    p1 = draw(st.integers(3600, 28800))
    p2 = draw(st.integers(900, min(3600, p1 - 1)))
    return lab_with(
        ("aws.vpc_cidr", f"10.{aws_second}.0.0/16"),
        ("aws.private_subnet_cidr", f"10.{aws_second}.{draw(st.integers(0, 255))}.0/24"),
        ("onprem.vpc_cidr", f"10.{onprem_second}.0.0/16"),
        ("onprem.public_subnet_cidr", f"10.{onprem_second}.0.0/24"),
        ("onprem.private_subnet_cidr", f"10.{onprem_second}.1.0/24"),
        ("vpn.static_routes", [f"10.{onprem_second}.0.0/16"]),
        ("vpn.local_network_cidr", f"10.{onprem_second}.0.0/16"),
        ("vpn.remote_network_cidr", f"10.{aws_second}.0.0/16"),
        ("vpn.tunnel_options.phase1.dh_groups", groups1),
        ("vpn.tunnel_options.phase1.lifetime", p1),
        ("vpn.tunnel_options.phase2.lifetime", p2),
        ("vpn.tunnel_options.rekey_margin", draw(st.integers(60, p2 // 2))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_labs())
def test_random_valid_labs_have_no_errors(text):
    findings = lint_lab(parse_lab(text), "lab.yml")
    assert not [f for f in findings if f.severity == "error"]


@settings(max_examples=80, deadline=None)
@given(
    cidr=st.text(alphabet="0123456789./", min_size=1, max_size=18),
    psk=st.text(min_size=0, max_size=70),
)
def test_random_cidr_and_psk_mutations_are_caught_without_crashing(tmp_path_factory, cidr, psk):
    path = tmp_path_factory.mktemp("mutant") / "lab.yml"
    path.write_text(
        lab_with(("aws.private_subnet_cidr", cidr), ("vpn.tunnels[1].preshared_key", psk))
    )
    findings = lint(path)  # must not raise
    valid_cidr = _is_subnet_of(cidr, "10.0.0.0/16")
    valid_psk = not aws_rules.psk_problems(psk)
    errors = [f for f in findings if f.severity == "error"]
    if valid_cidr and valid_psk:
        assert not errors, errors
    else:
        assert errors and all(f.rule == "lab-invalid" for f in errors)
        if len(psk) >= 8:  # a key-like string is never echoed into findings
            about_key = [f.text() for f in errors if "preshared_key" in f.message]
            assert psk not in "".join(about_key)


def _is_subnet_of(text: str, vpc: str) -> bool:
    try:
        net = ipaddress.IPv4Network(text)
    except ValueError:
        return False
    return net.subnet_of(ipaddress.ip_network(vpc)) and net.prefixlen <= 28


# --- the network, from a Terraform JSON (--terraform) --------------------------------


@pytest.fixture
def terraform_json(synth_dir, tmp_path):
    """A private copy of the synthesized seed: (json path, loaded JSON)."""
    import shutil

    copy = tmp_path / "stack"
    shutil.copytree(synth_dir, copy, ignore=shutil.ignore_patterns(".terraform*"))
    path = copy / "cdk.tf.json"
    return path, json.loads(path.read_text())


def net_rules(path) -> list[str]:
    return [f.rule for f in lint(SEED, terraform=path) if f.rule.startswith("net-")]


def test_the_synthesized_network_is_clean(terraform_json):
    path, _ = terraform_json
    assert net_rules(path) == []


def _mutate(path, tf, change):
    change(tf["resource"])
    path.write_text(json.dumps(tf))
    return net_rules(path)


NET_CASES = [
    (
        "net-source-dest-check",
        lambda r: [
            i.update(source_dest_check=True)
            for i in r["aws_instance"].values()
            if "vpn-server" in i["tags"]["Name"]
        ],
    ),
    (
        "net-ike-ports",
        lambda r: r["aws_vpc_security_group_ingress_rule"].pop(
            next(
                k
                for k, v in r["aws_vpc_security_group_ingress_rule"].items()
                if v.get("from_port") == 4500
            )
        ),
    ),
    (
        "net-onprem-route",
        lambda r: r["aws_route"].pop(
            next(
                k for k, v in r["aws_route"].items() if v["destination_cidr_block"] == "10.0.0.0/16"
            )
        ),
    ),
    ("net-aws-route", lambda r: r.pop("aws_vpn_gateway_route_propagation")),
    (
        "net-icmp",
        lambda r: [
            g.update(ingress=[])
            for g in r["aws_security_group"].values()
            if g["name"] == "seed-aws-test-host"
        ],
    ),
]


@pytest.mark.parametrize("rule,change", NET_CASES, ids=[c[0] for c in NET_CASES])
def test_each_network_rule_fires_on_its_mistake(terraform_json, rule, change):
    path, tf = terraform_json
    assert _mutate(path, tf, change) == [rule]


def test_strict_reverse_path_filtering_in_user_data_is_caught(terraform_json):
    path, _ = terraform_json
    template = next(path.parent.glob("assets/vpn-server*/*/vpn-server.yaml.tftpl"))
    template.write_text(template.read_text().replace("rp_filter = 2", "rp_filter = 1"))
    assert net_rules(path) == ["net-forwarding"]
