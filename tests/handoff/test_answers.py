"""The questionnaire and its answers: ``vpnlab sheet --questionnaire``, filled in as
YAML or as the workbook, read back by ``vpnlab init --from-answers`` into the lab
that matches; where their answers and AWS's options cannot meet, said at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from driver.cli import main
from driver.core.paths import PROJECT
from driver.handoff.questionnaire import QUESTIONS
from driver.lab.loader import load_lab
from tests.conftest import requires_root

# The seed's on-premises side, as its engineer would answer (the blog's strongSwan)
SEED_ANSWERS = {
    "connection.name": "seedans",
    "device.vendor": "strongSwan",
    "device.software_version": '"5.9.11"',
    "address.public_ip": "203.0.113.10",
    "tunnels.kind": "policy",
    "routing.networks": "[192.168.0.0/16]",
    "proposals.phase1_encryption": "[AES256]",
    "proposals.phase1_integrity": "[SHA2-256]",
    "proposals.phase1_dh_groups": "[14]",
    "proposals.phase2_encryption": "[AES256]",
    "proposals.phase2_integrity": "[SHA2-256]",
    "proposals.phase2_pfs_groups": "[14]",
}


def filled_yaml(tmp_path, lang: str = "en", **answers) -> str:
    """The blank questionnaire as vpnlab writes it, each answer typed after its key."""
    blank = tmp_path / f"questions.{lang}.yml"
    assert main(["sheet", "--questionnaire", "--lang", lang, "-o", str(blank)]) == 0
    text = blank.read_text()
    for key, value in {**SEED_ANSWERS, **answers}.items():
        name = key.partition(".")[2]
        (line,) = [line for line in text.splitlines() if line.startswith(f"  {name}:")]
        question = line[line.index("#") :]
        text = text.replace(line, f"  {name}: {value}  {question}")
    filled = tmp_path / "answers.yml"
    filled.write_text(text)
    return str(filled)


def init(answers: str, tmp_path, capsys):
    lab = tmp_path / "from-answers.yml"
    code = main(["init", "--from-answers", answers, "-o", str(lab)])
    return code, lab, capsys.readouterr()


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_the_seeds_answers_make_the_seeds_lab(lang, tmp_path, capsys):
    code, path, said = init(filled_yaml(tmp_path, lang), tmp_path, capsys)
    assert code == 0, said.err
    lab, seed = load_lab(path), load_lab(PROJECT / "labs" / "seed.yml")
    assert lab.name == "seedans"
    assert lab.vpn.tunnel_options == seed.vpn.tunnel_options
    assert (lab.vpn.local_network_cidr, lab.vpn.remote_network_cidr) == (
        seed.vpn.local_network_cidr,
        seed.vpn.remote_network_cidr,
    )
    assert lab.vpn.static_routes == seed.vpn.static_routes
    assert str(lab.onprem.vpn_server.public_ip) == "203.0.113.10"
    assert f"vpnlab check {path}" in said.out  # with sudo unless root (invocation.py)


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_the_workbook_filled_in_makes_the_same_lab(tmp_path, capsys, lang):
    blank = tmp_path / "questions.xlsx"
    assert main(["sheet", "--questionnaire", "--lang", lang, "-o", str(blank)]) == 0
    book = load_workbook(blank)
    sheet = book.worksheets[0]
    keys = {row[0].value: row[2] for row in sheet.iter_rows() if row[0].value}
    assert set(q.key for q in QUESTIONS) <= set(keys)
    for key, value in SEED_ANSWERS.items():  # typed as people type in a cell
        keys[key].value = value.strip('[]"')
    filled = tmp_path / "answers.xlsx"
    book.save(filled)
    code, path, said = init(str(filled), tmp_path, capsys)
    assert code == 0, said.err
    seed = load_lab(PROJECT / "labs" / "seed.yml")
    assert load_lab(path).vpn.tunnel_options == seed.vpn.tunnel_options


def test_what_aws_does_not_offer_is_left_out_and_said(tmp_path, capsys):
    answers = filled_yaml(
        tmp_path, **{"proposals.phase1_encryption": "[3DES, AES256]", "address.static": "no"}
    )
    code, path, said = init(answers, tmp_path, capsys)
    assert code == 0
    assert load_lab(path).vpn.tunnel_options.phase1.encryption == ("AES256",)
    assert "AWS does not offer 3DES: left out" in said.err
    assert "static public address" in said.err


def test_answers_aws_cannot_meet_write_nothing_and_say_all_at_once(tmp_path, capsys):
    answers = filled_yaml(
        tmp_path,
        **{
            "proposals.phase1_dh_groups": "[1, 5]",
            "proposals.phase2_lifetime": "7200",
            "routing.bgp": "yes",
            "routing.asn": "7224",
            "tunnels.can_initiate": "no",
            "proposals.ike_versions": "[ikev1]",
            "address.public_ip": "192.168.0.10",
            "connection.name": "Seed Lab",
        },
    )
    code, path, said = init(answers, tmp_path, capsys)
    assert code == 2 and not path.exists()
    for words in (
        "AWS offers none of 1, 5",
        "7200 s is outside AWS's 900-3600 s",
        "BGP runs over route-based tunnels only",
        "AWS reserves ASN 7224",
        "AWS starts IKEv2 only",
        "192.168.0.10 exists only behind NAT",
        "'Seed Lab' cannot name a lab",
        "no lab written",
    ):
        assert words in said.err, words


def test_a_device_that_cannot_set_what_aws_and_they_agreed_is_named(tmp_path, capsys):
    answers = filled_yaml(
        tmp_path,
        **{
            "device.vendor": "Libreswan",
            "proposals.phase1_dh_groups": "[2]",
            "proposals.phase2_pfs_groups": "[2]",
        },
    )
    code, _, said = init(answers, tmp_path, capsys)
    assert code == 0
    assert "Libreswan cannot set 2" in said.err


@pytest.mark.parametrize("versions,warned", (("[ikev2]", True), ("[ikev1]", False)))
def test_an_rtxs_pfs_group_is_its_phase_1_group_under_ikev2_only(
    versions, warned, tmp_path, capsys
):
    """ipsec ike group's second group is IKEv1's PFS group; IKEv2 uses its first
    (Yamaha command reference §15.24)."""
    answers = filled_yaml(
        tmp_path,
        **{
            "device.vendor": "Yamaha RTX",
            "tunnels.kind": "route",
            "proposals.ike_versions": versions,
            "proposals.phase2_pfs_groups": "[2]",
        },
    )
    code, _, said = init(answers, tmp_path, capsys)
    assert code == 0, said.err
    assert ("PFS under IKEv2 uses its phase 1 group" in said.err) == warned


def test_an_answer_that_is_not_one_is_refused_with_its_line(tmp_path, capsys):
    answers = filled_yaml(tmp_path, **{"routing.networks": "[192.168.0.0/33]"})
    path = Path(answers)
    text = path.read_text().replace("connection:", "connection:\n  colour: blue")
    path.write_text(text)
    code, path, said = init(answers, tmp_path, capsys)
    assert code == 2 and not path.exists()
    assert "routing.networks" in said.err and "connection.colour" in said.err
    assert "not a question of the questionnaire" in said.err
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("  networks:"))
    assert f"{answers}:{line}: routing.networks" in said.err


@pytest.mark.root
@pytest.mark.strongswan
@requires_root()
def test_the_lab_from_the_seeds_answers_passes_its_check(tmp_path, capsys):
    """The round trip: questionnaire, answers, init, then the check proves the lab
    (strongSwan on both sides, the lifecycle included)."""
    code, path, said = init(filled_yaml(tmp_path), tmp_path, capsys)
    assert code == 0, said.err
    assert main(["check", str(path)]) == 0, capsys.readouterr().out


def test_free_text_is_text_and_never_a_line_of_the_lab(tmp_path, capsys):
    """A model number is text (4331); a line break in an answer is refused, so an
    answer cannot add a key to the lab file it becomes."""
    answers = filled_yaml(tmp_path, **{"device.model": "4331", "device.software_version": "17.3"})
    code, path, said = init(answers, tmp_path, capsys)
    assert code == 0, said.err
    assert "# Their device: strongSwan 4331 17.3" in path.read_text()
    path.unlink()
    injected = filled_yaml(tmp_path, **{"device.vendor": '"cisco\\ntags:\\n  Injected: yes"'})
    code, path, said = init(injected, tmp_path, capsys)
    assert code == 2 and not path.exists()
    assert "device.vendor" in said.err and "control character" in said.err


def test_answers_that_leave_aws_no_room_or_no_session_are_refused(tmp_path, capsys):
    answers = filled_yaml(
        tmp_path,
        **{
            "routing.networks": "[10.0.0.0/8, 172.16.0.0/12]",
            "routing.bgp": "yes",
            "tunnels.kind": "route",
            "routing.asn": "64512",
        },
    )
    code, path, said = init(answers, tmp_path, capsys)
    assert code == 2 and not path.exists()
    assert "leave no room for the AWS side's VPC" in said.err
    assert "ASN 64512 is the AWS side's" in said.err


def test_no_ike_version_answered_is_either(tmp_path, capsys):
    code, path, said = init(
        filled_yaml(tmp_path, **{"proposals.ike_versions": "[]"}), tmp_path, capsys
    )
    assert code == 0, said.err
    assert load_lab(path).vpn.tunnel_options.ike_versions == ("ikev1", "ikev2")
