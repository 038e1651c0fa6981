"""The synthesized stack holds the seed's whole topology, and nothing it must not."""

import json
import os
import re

import pytest

from driver.core.paths import PROJECT
from driver.render.cloud_init import address_parameter_name, psk_parameter_name
from tests.conftest import one, resources

SECRET_PSK = "not.in.any.file_42"


@pytest.fixture(scope="session")
def testing(seed_lab, tmp_path_factory):
    """(cdktf.Testing, the stack synthesized in-process by Testing.synth)."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from cdktf import Testing

    from modules.stack import LabStack

    # Testing.app() alone makes a folder in /tmp that nothing removes: the session's.
    app = Testing.app(outdir=str(tmp_path_factory.mktemp("testing")))
    stack = LabStack(app, seed_lab, tmp_path_factory.mktemp("build"))
    return Testing, Testing.synth(stack)


def has(testing, type_: str, properties: dict) -> bool:
    tool, synthesized = testing
    return tool.to_have_resource_with_properties(synthesized, type_, properties)


def ref(value: str) -> re.Pattern:
    return re.compile(r"^\$\{" + value + r"\}$")


# --- the seed's topology ------------------------------------------------------


def test_both_vpcs_and_their_subnets(testing):
    assert has(testing, "aws_vpc", {"cidr_block": "10.0.0.0/16"})
    assert has(testing, "aws_vpc", {"cidr_block": "192.168.0.0/16"})
    for cidr in ("10.0.1.0/24", "192.168.0.0/24", "192.168.1.0/24"):
        assert has(testing, "aws_subnet", {"cidr_block": cidr})


def test_onprem_internet_gateway_and_route_tables(synth_json):
    igw = one(synth_json, "aws_internet_gateway")
    default = one(synth_json, "aws_route", destination_cidr_block="0.0.0.0/0")
    assert default["gateway_id"].endswith(".id}") and "internet_gateway" in default["gateway_id"]
    assert igw["tags"]["Name"] == "seed-onprem-igw"
    assert len(resources(synth_json, "aws_route_table")) == 3
    associated = {r["subnet_id"] for r in resources(synth_json, "aws_route_table_association")}
    assert len(associated) == 3  # every subnet has its table


def test_customer_gateway_at_the_elastic_ip_with_the_lab_asn(testing, synth_json):
    assert len(resources(synth_json, "aws_eip")) == 1
    cgw = one(synth_json, "aws_customer_gateway")
    assert cgw["bgp_asn"] == "65000" and cgw["type"] == "ipsec.1"
    assert re.match(r"^\$\{aws_eip\.[^.]+\.public_ip\}$", cgw["ip_address"])


def test_virtual_private_gateway_is_attached_to_the_aws_vpc(synth_json):
    vgw_name = next(iter(synth_json["resource"]["aws_vpn_gateway"]))
    attachment = one(synth_json, "aws_vpn_gateway_attachment")
    aws_vpc = [
        k for k, v in synth_json["resource"]["aws_vpc"].items() if v["cidr_block"] == "10.0.0.0/16"
    ][0]
    assert attachment["vpc_id"] == f"${{aws_vpc.{aws_vpc}.id}}"
    assert attachment["vpn_gateway_id"] == f"${{aws_vpn_gateway.{vgw_name}.id}}"
    # Propagation needs the gateway attached: it refers to it through the attachment.
    propagation = one(synth_json, "aws_vpn_gateway_route_propagation")
    assert "aws_vpn_gateway_attachment." in propagation["vpn_gateway_id"]


def test_vpn_connection_pins_every_tunnel_option_for_both_tunnels(synth_json, seed_lab):
    from modules.vpn import tunnel_arguments  # cdktf: loaded by the tests that use it

    connection = one(synth_json, "aws_vpn_connection")
    assert connection["static_routes_only"] is True
    assert connection["local_ipv4_network_cidr"] == "192.168.0.0/16"
    assert connection["remote_ipv4_network_cidr"] == "10.0.0.0/16"
    for n, tunnel in enumerate(seed_lab.tunnels, start=1):
        expected = tunnel_arguments(n, tunnel)
        assert {k: connection[k] for k in expected} == expected
    # Every tunnel option the provider has, except ones vpnlab deliberately
    # leaves to AWS (log options, lifecycle control, IPv6, the key itself).
    left_to_aws = {
        "preshared_key",
        "log_options",
        "enable_tunnel_lifecycle_control",
        "inside_ipv6_cidr",
    }
    import inspect

    from modules.aws import resource

    params = inspect.signature(resource("vpn_connection").VpnConnection.__init__).parameters
    for n in (1, 2):
        options = {p[len(f"tunnel{n}_") :] for p in params if p.startswith(f"tunnel{n}_")}
        missing = {o for o in options - left_to_aws if f"tunnel{n}_{o}" not in connection}
        assert not missing, f"tunnel {n} options not pinned: {missing}"


def test_static_route_and_route_propagation(synth_json):
    route = one(synth_json, "aws_vpn_connection_route")
    assert route["destination_cidr_block"] == "192.168.0.0/16"
    propagation = one(synth_json, "aws_vpn_gateway_route_propagation")
    aws_rt = [
        k
        for k, v in synth_json["resource"]["aws_route_table"].items()
        if v["tags"]["Name"] == "seed-aws-private-rt"
    ][0]
    assert propagation["route_table_id"] == f"${{aws_route_table.{aws_rt}.id}}"


def _ingress(synth_json) -> list[dict]:
    """Every ingress rule of every security group, inline or as its own resource."""
    rules = [
        {"protocol": r["protocol"], "from_port": r["from_port"], "cidr": c, "sg": sg["name"]}
        for sg in resources(synth_json, "aws_security_group")
        for r in sg.get("ingress", [])
        for c in r["cidr_blocks"]
    ]
    groups = {
        f"${{aws_security_group.{k}.id}}": v["name"]
        for k, v in synth_json["resource"]["aws_security_group"].items()
    }
    rules += [
        {
            "protocol": r["ip_protocol"],
            "from_port": r.get("from_port", 0),
            "cidr": r["cidr_ipv4"],
            "sg": groups[r["security_group_id"]],
        }
        for r in resources(synth_json, "aws_vpc_security_group_ingress_rule")
    ]
    return rules


def test_vpn_server_accepts_ike_and_nat_t_from_each_tunnel_only(synth_json):
    rules = [r for r in _ingress(synth_json) if r["sg"] == "seed-vpn-server"]
    udp = sorted((r["from_port"], r["cidr"]) for r in rules if r["protocol"] == "udp")
    connection = next(iter(synth_json["resource"]["aws_vpn_connection"]))
    expected = sorted(
        (port, f"${{aws_vpn_connection.{connection}.tunnel{n}_address}}/32")
        for n in (1, 2)
        for port in (500, 4500)
    )
    assert udp == expected
    others = [r["cidr"] for r in rules if r["protocol"] != "udp"]
    assert others == ["192.168.0.0/16"]
    group = one(synth_json, "aws_security_group", name="seed-vpn-server")
    assert "ingress" not in group and "egress" not in group  # no inline rules to fight over


def test_nothing_is_open_to_the_internet_and_no_ssh_anywhere(synth_json):
    rules = _ingress(synth_json)
    # 4 tunnel rules + on-prem forwarding + 2 test hosts' ICMP + 2 SSM endpoints' HTTPS
    assert len(rules) == 9
    for rule in rules:
        assert rule["cidr"] != "0.0.0.0/0", rule
        if rule["protocol"] == "tcp":  # only the endpoints' HTTPS, from their own VPC
            assert (rule["from_port"], rule["sg"]) in (
                (443, "seed-aws-ssm-endpoints"),
                (443, "seed-onprem-ssm-endpoints"),
            )
        else:
            assert rule["protocol"] in ("udp", "icmp", "-1"), rule  # no SSH anywhere


def test_both_vpcs_reach_ssm_through_interface_endpoints(synth_json):
    """The private test hosts have no internet: verify's SSM commands need these."""
    endpoints = resources(synth_json, "aws_vpc_endpoint")
    services = sorted(e["service_name"] for e in endpoints)
    assert services == sorted(
        f"com.amazonaws.ap-northeast-1.{s}"
        for s in ("ec2messages", "ssm", "ssmmessages")
        for _ in ("aws", "onprem")
    )
    for endpoint in endpoints:
        assert endpoint["vpc_endpoint_type"] == "Interface"
        assert endpoint["private_dns_enabled"] is True
        assert "private" in endpoint["subnet_ids"][0]
    for side, cidr in (("aws", "10.0.0.0/16"), ("onprem", "192.168.0.0/16")):
        group = one(synth_json, "aws_security_group", name=f"seed-{side}-ssm-endpoints")
        assert [(r["from_port"], r["cidr_blocks"]) for r in group["ingress"]] == [(443, [cidr])]


def test_test_hosts_accept_icmp_from_the_other_side(synth_json):
    for name, source in (
        ("seed-aws-test-host", "192.168.0.0/16"),
        ("seed-onprem-test-host", "10.0.0.0/16"),
    ):
        sg = one(synth_json, "aws_security_group", name=name)
        assert [(r["protocol"], r["cidr_blocks"]) for r in sg["ingress"]] == [("icmp", [source])]


def test_vpn_server_forwards_and_onprem_routes_the_aws_side_to_it(synth_json):
    server = one(synth_json, "aws_instance", source_dest_check=False)
    assert server["tags"]["Name"] == "seed-vpn-server"
    route = one(synth_json, "aws_route", destination_cidr_block="10.0.0.0/16")
    assert re.match(
        r"^\$\{aws_instance\.vpn-server_instance_[0-9A-F]+"
        r"\.primary_network_interface_id\}$",
        route["network_interface_id"],
    )


def test_every_instance_is_hardened(synth_json):
    instances = resources(synth_json, "aws_instance")
    assert len(instances) == 3
    for instance in instances:
        assert instance["metadata_options"]["http_tokens"] == "required"
        assert instance["root_block_device"]["encrypted"] is True
        assert instance["iam_instance_profile"]
        assert instance["user_data"].startswith("${templatefile(")


def test_instance_roles_for_ssm_and_the_tunnel_parameters(synth_json):
    attachments = resources(synth_json, "aws_iam_role_policy_attachment")
    assert {a["policy_arn"] for a in attachments} == {
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    }
    assert len(resources(synth_json, "aws_iam_instance_profile")) == 2
    policy = one(synth_json, "aws_iam_role_policy")["policy"]
    arns = re.findall(r"aws_ssm_parameter\.([^.]+)\.arn", policy)
    # The VPN server may read exactly the two keys and the two tunnel addresses.
    assert len(arns) == 4 and "ssm:GetParameter" in policy and '"*"' not in policy


def test_tunnel_parameters_are_fed_by_the_connection(synth_json, seed_lab):
    parameters = {p["name"]: p for p in resources(synth_json, "aws_ssm_parameter")}
    for n in (1, 2):
        psk = parameters.pop(psk_parameter_name(seed_lab, n))
        assert psk["type"] == "SecureString"
        assert re.match(
            rf"^\$\{{aws_vpn_connection\.[^.]+\.tunnel{n}_preshared_key\}}$", psk["value"]
        )
        address = parameters.pop(address_parameter_name(seed_lab, n))
        assert address["type"] == "String"
        assert re.match(
            rf"^\$\{{aws_vpn_connection\.[^.]+\.tunnel{n}_address\}}$", address["value"]
        )
    assert parameters == {}


def test_reachability_paths(synth_json):
    paths = resources(synth_json, "aws_ec2_network_insights_path")
    assert len(paths) == 2
    for p in paths:
        assert p["protocol"] == "tcp" and p["destination_port"] == 443
    destinations = sorted(p["destination"].split(".")[0] for p in paths)
    assert destinations == ["${aws_instance", "${aws_vpn_gateway"]


def test_outputs_the_driver_needs(synth_json):
    needed = {
        "vpn_connection_id",
        "tunnel1_address",
        "tunnel2_address",
        "vpn_server_public_ip",
        "vpn_server_instance_id",
        "vpn_server_private_ip",
        "aws_test_instance_id",
        "aws_test_private_ip",
        "onprem_test_instance_id",
        "onprem_test_private_ip",
        "psk_parameter_names",
    }
    assert needed <= set(synth_json["output"])
    assert not any("preshared_key" in json.dumps(o) for o in synth_json["output"].values())


def test_one_naming_function_and_tag_order(synth_json):
    for type_, items in synth_json["resource"].items():
        for item in items.values():
            if "tags" not in item:
                continue
            tags = item["tags"]
            assert tags["Name"].startswith("seed-") and tags["vpnlab:lab"] == "seed"
            assert tags["Project"] == "vpnlab"
            if "name" in item and type_ != "aws_ssm_parameter":
                assert item["name"].startswith("seed-"), (type_, item["name"])


def test_user_data_templates_take_terraform_values_whole(synth_dir):
    template = next(synth_dir.glob("assets/vpn-server*/*/vpn-server.yaml.tftpl")).read_text()
    variables = set(re.findall(r"(?<!\$)\$\{([^}]*)\}", template))
    assert variables == {"public_ip"}  # tunnel addresses come from SSM at boot
    assert "$${" in template  # shell's own ${...} escaped for Terraform


def test_the_vpn_server_does_not_wait_for_the_vpn_connection(synth_json):
    """It builds strongSwan while AWS provisions the connection (minutes on AWS)."""
    server = one(synth_json, "aws_instance", source_dest_check=False)
    assert "aws_vpn_connection" not in json.dumps(server)
    assert "templatefile(" in server["user_data"] and "aws_eip." in server["user_data"]


def test_tag_precedence_is_name_then_lab_then_resource(seed_lab):
    import dataclasses

    from modules.naming import Naming

    lab = dataclasses.replace(seed_lab, tags={"Name": "lab-wide", "Owner": "lab"})
    tags = Naming(lab).tags("vpn", Owner="resource")
    assert list(tags) == ["Name", "vpnlab:lab", "Owner"]
    assert tags == {"Name": "lab-wide", "vpnlab:lab": "seed", "Owner": "resource"}


# --- secrets ------------------------------------------------------------------


def test_a_lab_psk_enters_as_a_sensitive_variable_never_as_text(tmp_path):
    from driver.synth.synthesis import synth
    from tests.lab.test_loader import lab_with

    lab = tmp_path / "psk.yml"
    lab.write_text(lab_with(("name", "psk"), ("vpn.tunnels[0].preshared_key", SECRET_PSK)))
    stack = synth(lab, tmp_path / "out")
    text = "".join(p.read_text() for p in stack.rglob("*") if p.is_file())
    assert SECRET_PSK not in text
    synthesized = json.loads((stack / "cdk.tf.json").read_text())
    ((name, variable),) = synthesized["variable"].items()
    assert variable["sensitive"] is True and "tunnel1_preshared_key" in name
    connection = one(synthesized, "aws_vpn_connection")
    assert connection["tunnel1_preshared_key"] == f"${{var.{name}}}"
    assert "tunnel2_preshared_key" not in connection


# --- Terraform accepts it -----------------------------------------------------


@pytest.mark.terraform
def test_json_passes_terraform_init_and_validate(terraform_copy):
    from driver.synth.terraform import Terraform

    tf = Terraform(terraform_copy)
    tf.init()
    assert tf.validate()["valid"]


@pytest.mark.terraform
def test_hcl_is_formatted_and_valid_on_its_own(hcl_dir):
    from driver.synth.terraform import Terraform

    assert sorted(p.name for p in hcl_dir.iterdir()) == [
        ".vpnlab-hcl-output",
        "main.tf",
        "templates",
    ]
    assert sorted(p.name for p in (hcl_dir / "templates").iterdir()) == [
        "aws-test-host.yaml.tftpl",
        "onprem-test-host.yaml.tftpl",
        "vpn-server.yaml.tftpl",
    ]
    tf = Terraform(hcl_dir)
    assert tf.is_formatted()
    tf.init()
    assert tf.validate()["valid"]
    main_tf = (hcl_dir / "main.tf").read_text()
    assert 'resource "aws_vpn_connection"' in main_tf
    assert 'templatefile("${path.module}/templates/vpn-server.yaml.tftpl"' in main_tf
    assert "assets/" not in main_tf


@pytest.mark.terraform
def test_plan_with_the_emulators_own_key(terraform_copy, emulator):
    from driver.local.emulator.process import write_provider_override
    from driver.synth.terraform import Terraform

    write_provider_override(terraform_copy, emulator)
    tf = Terraform(terraform_copy, env=emulator.environment())
    tf.init()
    assert tf.plan("-refresh=false") == 2  # 2: a plan with changes


# --- the fast import path changes nothing -------------------------------------


def test_fast_and_conventional_provider_import_synthesize_identical_bytes(synth_dir, synthesized):
    slow = synthesized.stack("seed-conventional-import")
    files = sorted(p.relative_to(synth_dir) for p in synth_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(slow) for p in slow.rglob("*") if p.is_file())
    for f in files:
        assert (synth_dir / f).read_bytes() == (slow / f).read_bytes(), f


def test_the_emulator_override_covers_every_service_the_stack_calls(synth_json):
    """A service missing from the override would make the provider call real AWS."""
    from driver.synth.provider_override import SERVICES

    def service(type_: str) -> str:
        for prefix, name in (("aws_iam_", "iam"), ("aws_ssm_", "ssm")):
            if type_.startswith(prefix):
                return name
        return "ec2"

    used = {service(t) for t in synth_json["resource"]}
    used |= {service(t) for t in synth_json.get("data", {})} | {"sts"}
    assert used <= set(SERVICES)


def test_hcl_refuses_a_directory_that_is_not_its_own_and_changes_nothing(tmp_path):
    from driver.core.errors import VpnlabError
    from driver.synth.synthesis import export_hcl

    foreign = tmp_path / "work"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(VpnlabError, match="not empty and is not vpnlab's HCL output"):
        export_hcl(PROJECT / "labs" / "seed.yml", foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert (foreign / "notes.txt").read_text() == "mine"
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(VpnlabError, match="is not a directory"):
        export_hcl(PROJECT / "labs" / "seed.yml", a_file)


def test_hcl_into_its_own_output_replaces_only_its_files(hcl_dir):
    """An earlier export is vpnlab's (its marker lists what it wrote): exporting
    again replaces those files and leaves a file the team added."""
    from driver.synth.synthesis import OUTPUT_MARKER, export_hcl

    (hcl_dir / "backend.tf").write_text('terraform {\n      backend "local" {}\n}\n')
    before = (hcl_dir / "main.tf").read_text()
    try:
        export_hcl(PROJECT / "labs" / "seed.yml", hcl_dir)
        assert (hcl_dir / "backend.tf").read_text() == 'terraform {\n      backend "local" {}\n}\n'
        assert (hcl_dir / "main.tf").read_text() == before
        assert "main.tf" in (hcl_dir / OUTPUT_MARKER).read_text().split()
        assert oct((hcl_dir / "main.tf").stat().st_mode & 0o777) == "0o644"  # a hand-off
    finally:
        (hcl_dir / "backend.tf").unlink()


def test_a_bgp_lab_synthesizes_dynamic_routing_with_both_asns(synthesized):
    stack = synthesized.stack("bgp")
    synthesized = json.loads((stack / "cdk.tf.json").read_text())
    assert one(synthesized, "aws_vpn_connection")["static_routes_only"] is False
    assert "aws_vpn_connection_route" not in synthesized["resource"]
    assert one(synthesized, "aws_vpn_gateway")["amazon_side_asn"] == "64512"
    assert one(synthesized, "aws_customer_gateway")["bgp_asn"] == "65000"
    (template,) = stack.glob("assets/vpn-server*/*/vpn-server.yaml.tftpl")  # the user data
    text = template.read_text()
    assert "router bgp 65000" in text and "neighbor 169.254.10.1 remote-as 64512" in text


@pytest.mark.terraform
def test_destroy_detaches_a_policy_an_interrupted_apply_left_out_of_the_state(
    terraform_copy, synth_json, emulator, seed_lab
):
    """An apply interrupted while IAM attached a policy leaves the attachment out of
    Terraform's state (seen under load: SIGTERM mid-apply, then destroy failed on
    DeleteConflict for two minutes). The roles detach their policies before they go
    (force_detach_policies), so destroy succeeds, on AWS as on the emulator."""
    from driver.local.emulator.process import write_provider_override
    from driver.synth.terraform import Terraform

    [(name, role)] = [
        (n, r)
        for n, r in synth_json["resource"]["aws_iam_role"].items()
        if r["name"].endswith("vpn-server")
    ]
    assert role["force_detach_policies"] is True
    [attachment] = [
        f"aws_iam_role_policy_attachment.{n}"
        for n, a in synth_json["resource"]["aws_iam_role_policy_attachment"].items()
        if a["role"] == f"${{aws_iam_role.{name}.name}}"
    ]
    write_provider_override(terraform_copy, emulator)
    tf = Terraform(terraform_copy, env=emulator.environment())
    tf.init()
    tf.run("apply", "-auto-approve", "-refresh=false", f"-target={attachment}")
    tf.run("state", "rm", attachment)  # as if the apply had stopped before saving it
    iam = emulator.session(seed_lab.region).client("iam", endpoint_url=emulator.url)
    assert iam.list_attached_role_policies(RoleName=role["name"])["AttachedPolicies"]
    tf.run("destroy", "-auto-approve", "-refresh=false", f"-target=aws_iam_role.{name}")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert role["name"] not in roles
