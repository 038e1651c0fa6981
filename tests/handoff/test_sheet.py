"""``vpnlab sheet``: the parameter sheet read back as a document (Markdown tables
and the workbook's rows): every tunnel's values equal the lab's, in both languages,
and no key anywhere but in the keys file, which only its owner can read."""

from __future__ import annotations

import stat

import pytest

from driver.cli import main
from driver.core.paths import PROJECT
from driver.handoff.words import WORDS, say
from driver.lab.loader import load_lab
from tests.handoff.sheet_reading import markdown_tables, row, workbook_rows
from tests.lab.test_loader import lab_with

LABS = ("seed", "bgp", "route-based", "seed-aws-defaults")
KEYS = ("Abcdefgh.ijklmnop_0123456789abcd", "Zyxwvuts.rqponmlk_9876543210zyxw")


def sheet_text(capsys, *argv) -> str:
    assert main(["sheet", *argv]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ("en", "ja"))
@pytest.mark.parametrize("name", LABS)
def test_every_tunnels_values_are_the_labs(name, lang, capsys):
    path = PROJECT / "labs" / f"{name}.yml"
    lab = load_lab(path)
    tables = markdown_tables(sheet_text(capsys, str(path), "--lang", lang))

    def s(key, **fields):
        return say(lang, key, **fields)

    phase1, phase2 = s("section.phase1"), s("section.phase2")
    for n, tunnel in enumerate(lab.tunnels):
        o = tunnel.options
        assert row(tables, phase1, s("row.encryption"))[n] == ", ".join(o.phase1.encryption)
        assert row(tables, phase1, s("row.integrity"))[n] == ", ".join(o.phase1.integrity)
        assert row(tables, phase2, s("row.integrity"))[n] == ", ".join(o.phase2.integrity)
        groups = row(tables, phase1, s("row.dh"))[n]
        assert [int(g.split()[0]) for g in groups.split(", ")] == list(o.phase1.dh_groups)
        assert str(o.phase1.lifetime) in row(tables, phase1, s("row.lifetime"))[n]
        assert str(o.phase2.lifetime) in row(tables, phase2, s("row.lifetime"))[n]
        traffic = s("section.traffic")
        assert row(tables, traffic, s("row.inside_aws"))[n] == f"{tunnel.inside_cidr[1]}/30"
        assert row(tables, traffic, s("row.inside_cgw"))[n] == f"{tunnel.inside_cidr[2]}/30"
        selectors = row(tables, traffic, s("row.selectors_local"))[n]
        assert selectors == str(lab.vpn.local_network_cidr)
    routing = s("section.routing")
    if lab.vpn.routing == "bgp":
        assert row(tables, routing, s("row.asn_cgw")) == [str(lab.vpn.customer_gateway_asn)] * 2 + [
            "BgpAsn"
        ]
        assert row(tables, routing, s("row.asn_aws"))[0] == str(lab.vpn.amazon_side_asn)
        neighbours = row(tables, routing, s("row.neighbor"))[:2]
        assert neighbours == [str(t.inside_cidr[1]) for t in lab.tunnels]
    else:
        routes = ", ".join(str(r) for r in lab.vpn.static_routes)
        assert row(tables, routing, s("row.routing"))[0].endswith(routes)
    # every row names where its values come from (the device table's last row, its sources)
    for title, rows in tables.items():
        header, *body = rows
        if title != s("section.keys"):
            assert all(len(r) == len(header) for r in body), title


def test_the_japanese_sheet_has_no_english_label(capsys):
    english = {
        en for key, (en, ja) in WORDS.items() if en != ja and key.startswith(("row.", "section."))
    }
    tables = markdown_tables(sheet_text(capsys, str(PROJECT / "labs/bgp.yml"), "--lang", "ja"))
    assert not english & set(tables)
    labels = {r[0] for rows in tables.values() for r in rows}
    assert not english & labels


def test_every_word_has_both_languages_with_the_same_fields():
    import string

    for key, (en, ja) in WORDS.items():
        assert en and ja, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (en, ja)]
        assert fields[0] == fields[1], key


@pytest.fixture
def keyed_lab(tmp_path):
    path = tmp_path / "keyed.yml"
    path.write_text(
        lab_with(
            ("name", "keyed"),
            ("vpn.tunnels[0].preshared_key", KEYS[0]),
            ("vpn.tunnels[1].preshared_key", KEYS[1]),
        )
    )
    return path


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_the_workbook_says_what_the_markdown_says_and_neither_holds_a_key(
    keyed_lab, tmp_path, lang, capsys
):
    text = sheet_text(capsys, str(keyed_lab), "--lang", lang)
    book = tmp_path / "sheet.xlsx"
    assert main(["sheet", str(keyed_lab), "--lang", lang, "-o", str(book)]) == 0
    rows = workbook_rows(book)
    for section, table in markdown_tables(text).items():
        assert [section] in rows
        for cells in table:
            assert cells in rows, (section, cells)
    workbook_text = "\n".join("\t".join(r) for r in rows)
    for key in KEYS:
        assert (
            key not in text and key not in workbook_text and key.encode() not in book.read_bytes()
        )


def test_the_keys_go_to_a_new_file_only_its_owner_can_read(keyed_lab, tmp_path, capsys):
    keys = tmp_path / "keys.txt"
    sheet = tmp_path / "sheet.md"
    assert main(["sheet", str(keyed_lab), "-o", str(sheet), "--keys-file", str(keys)]) == 0
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    lines = [line.split() for line in keys.read_text().splitlines() if not line.startswith("#")]
    assert [(n, key) for n, _, key in lines] == [("tunnel1", KEYS[0]), ("tunnel2", KEYS[1])]
    assert not any(key in sheet.read_text() for key in KEYS)
    # never over an existing file (its mode may be anyone's), and nothing else written
    sheet.unlink()
    assert main(["sheet", str(keyed_lab), "-o", str(sheet), "--keys-file", str(keys)]) == 2
    assert "exists" in capsys.readouterr().err and not sheet.exists()


def test_a_lab_without_keys_has_none_to_hand_over(tmp_path, capsys):
    keys = tmp_path / "keys.txt"
    assert main(["sheet", str(PROJECT / "labs/seed.yml"), "--keys-file", str(keys)]) == 2
    said = capsys.readouterr().err
    assert "AWS generates them" in said and "--target" in said and not keys.exists()


def test_the_local_target_must_be_applied_first(tmp_path, capsys):
    path = tmp_path / "never.yml"
    path.write_text(lab_with(("name", "never-applied")))  # no state of it on any machine
    assert main(["sheet", str(path), "--target", "local"]) == 2
    assert "vpnlab apply" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_the_documented_sheets_are_what_vpnlab_writes(lang, monkeypatch, capsys):
    monkeypatch.chdir(PROJECT)
    written = sheet_text(capsys, "labs/seed.yml", "--lang", lang)
    assert written == (PROJECT / "docs" / "handoff" / f"seed-sheet.{lang}.md").read_text()


def test_tunnels_with_their_own_options_get_their_own_values_and_device_tables(tmp_path, capsys):
    """Tunnel 2 overrides AWS's startup action, DPD timeout and PFS group: its column
    says so, and each tunnel gets its own table of device words."""
    path = tmp_path / "two.yml"
    path.write_text(
        lab_with(
            ("name", "two"),
            ("vpn.tunnels[1].startup_action", "start"),
            ("vpn.tunnels[1].dpd_timeout", 40),
            ("vpn.tunnels[1].phase2", {"dh_groups": [19], "encryption": ["AES256-GCM-16"]}),
        )
    )
    tables = markdown_tables(sheet_text(capsys, str(path)))
    endpoints = "Endpoints and behaviour"
    first, second = row(tables, endpoints, "Who starts IKE")[:2]
    assert "StartupAction add" in first and "AWS starts IKEv2" in second
    assert [c.split()[0] for c in row(tables, endpoints, "DPD timeout")[:2]] == ["30", "40"]
    pfs = row(tables, "IPsec (phase 2)", "PFS (Diffie-Hellman groups)")
    assert pfs[:2] == ["required: 14 (modp2048)", "required: 19 (ecp256)"]
    assert row(tables, "IPsec (phase 2)", "Encryption")[:2] == ["AES256", "AES256-GCM-16"]
    one, two = (f"The proposals as your device names them (tunnel {n})" for n in (1, 2))
    assert row(tables, two, "IPsec (phase 2): PFS (Diffie-Hellman groups)")[:4] == [
        "19", "ecp256", "dh19", "set pfs group19"
    ]  # fmt: skip
    assert row(tables, two, "IPsec (phase 2): Integrity")[1] == "— (GCM)"
    assert row(tables, one, "IPsec (phase 2): Encryption")[5] == "aes-256-cbc"  # PAN-OS


@pytest.mark.parametrize(
    "argv,said",
    [
        (["-o", "{tmp}/none/sheet.md"], "is no directory: cannot write the sheet"),
        (["-o", "{tmp}/k", "--keys-file", "{tmp}/k"], "name one file"),
        (["--keys-file", "{tmp}/none/keys"], "cannot write the keys file"),
        (["--questionnaire", "-o", "{tmp}/none/q.yml"], "cannot write the questionnaire"),
    ],
)
def test_a_file_that_cannot_be_written_is_refused_before_anything_is(
    keyed_lab, tmp_path, capsys, argv, said
):
    argv = [word.replace("{tmp}", str(tmp_path)) for word in argv]
    assert main(["sheet", str(keyed_lab), *argv]) == 2
    assert said in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keyed.yml"]


@pytest.mark.parametrize(
    "argv,said",
    [
        (["--lang", "ja"], "it goes with --report FILE"),
        (["--report", "{tmp}/none/r.md"], "cannot write the report"),
        (["--report", "{tmp}/r.md", "--cleanup"], "no --report or --junit with it"),
    ],
)
def test_checks_report_arguments_are_refused_before_the_check(tmp_path, capsys, argv, said):
    """Before root is even asked for: nothing runs, nothing is written."""
    argv = [word.replace("{tmp}", str(tmp_path)) for word in argv]
    assert main(["check", str(PROJECT / "labs/seed.yml"), *argv]) == 2
    assert said in capsys.readouterr().err and list(tmp_path.iterdir()) == []
