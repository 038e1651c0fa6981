"""swanctl.conf's grammar as libstrongswan's settings parser has it (5.9.8)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings

from driver.cgw.settings import ConfigSyntaxError
from driver.cgw.strongswan.swanctl_conf import parse_swanctl
from tests.fixtures import cgw_fixture
from tests.input_bounds import mutations


def test_values_end_at_a_brace_a_hash_or_the_line_and_words_join_with_one_space():
    root = parse_swanctl(
        "connections { a { local { auth = psk } remote_addrs = 198.51.100.1   # tunnel 1\n"
        '  remote { auth = psk; id = 198.51.100.1 }\n  version = "2" } }\n'
    )
    conn = root.child("connections").child("a")
    assert conn.child("local").get("auth") == "psk"
    assert conn.get("remote_addrs") == "198.51.100.1"
    assert conn.child("remote").get("auth") == "psk; id = 198.51.100.1"  # charon refuses it
    assert conn.get("version") == "2"


def test_a_section_written_twice_is_one_and_its_last_value_wins():
    root = parse_swanctl(
        "connections {\n a {\n  remote_addrs = 198.51.100.1\n }\n}\n"
        "connections {\n a {\n  remote_addrs = 198.51.100.9\n }\n b {\n }\n}\n"
    )
    connections = root.child("connections")
    assert [c.name for c in connections.children] == ["a", "b"]
    setting = connections.child("a").setting("remote_addrs")
    assert (setting.value, setting.line) == ("198.51.100.9", 8)


def test_includes_land_in_the_section_they_are_written_in():
    files = {"children.conf": "t1 { local_ts = 10.0.0.0/16 }\n"}

    def include(pattern, including, line):
        assert (pattern, including, line) == ("children.conf", "main.conf", 2)
        return [(pattern, files[pattern])]

    root = parse_swanctl(
        "connections { a { children {\n include children.conf\n} } }\n", "main.conf", include
    )
    child = root.child("connections").child("a").child("children").child("t1")
    assert (child.get("local_ts"), child.settings[0].where) == ("10.0.0.0/16", "children.conf:1")


def test_a_quoted_value_keeps_its_hash_and_references_are_kept():
    root = parse_swanctl('secrets { ike-1 { secret = "a#b c" } }\nconnections { b : a, x { } }\n')
    assert root.child("secrets").child("ike-1").get("secret") == "a#b c"
    assert root.child("connections").child("b").references == ["a", "x"]


@pytest.mark.parametrize(
    "text,line,words",
    [
        ("connections {\n  a {\n    version = 2\n", 2, "never closed"),
        ("connections {\n}\n}\n", 3, "no section is open"),
        ("connections {\n  a.b = 1\n}\n", 2, "unexpected '.'"),
        ("connections {\n  a b = 1\n}\n", 2, "unexpected .b. after .a."),
        ('connections {\n  a = "open\n}\n', 4, "unterminated string"),
    ],
)
def test_syntax_errors_name_their_line(text, line, words):
    with pytest.raises(ConfigSyntaxError, match=words) as caught:
        parse_swanctl(text, "swanctl.conf")
    assert caught.value.line == line


# --- against strongSwan's own parser --------------------------------------------
# swanctl reads strongswan.conf with the same settings parser at start-up, so
# `STRONGSWAN_CONF=FILE swanctl --version` parses FILE exactly as swanctl.conf is
# parsed, and prints "FILE:LINE: syntax error …" where it stops (no charon, no root).

SWANCTL = shutil.which("swanctl", path="/usr/sbin:/sbin:/usr/bin:/bin")
FIXTURE = (
    cgw_fixture("debian-confd-swanctl") / "swanctl" / "conf.d" / "aws-tunnel1.conf"
).read_text()


def strongswan_verdict(tmp_path: Path, text: str) -> tuple[bool, int | None]:
    """(strongSwan parses it, the line it reports if not)."""
    path = tmp_path / "swanctl.conf"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    out = subprocess.run(
        [SWANCTL, "--version"],
        env={"STRONGSWAN_CONF": str(path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        errors="replace",
        timeout=10,
    )
    if "invalid config file" not in out.stdout + out.stderr:
        return True, None
    lines = re.findall(rf"{re.escape(str(path))}:(\d+):", out.stdout + out.stderr)
    return False, int(lines[0]) if lines else None


@pytest.mark.strongswan
@pytest.mark.skipif(SWANCTL is None, reason="needs strongSwan's swanctl (make setup)")
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=mutations(FIXTURE))
def test_vpnlab_refuses_what_strongswan_refuses_at_the_same_line(tmp_path_factory, text):
    assume("\x00" not in text and "include" not in text)  # C strings; no files to include
    accepted, line = strongswan_verdict(tmp_path_factory.mktemp("conf"), text)
    try:
        parse_swanctl(text, "swanctl.conf")
    except ConfigSyntaxError as exc:
        assert not accepted, f"strongSwan parses it, vpnlab refuses it: {exc}"
        if line is not None:  # strongSwan names no line at the end of the file
            assert exc.line == line, f"strongSwan: line {line}, vpnlab: {exc}"
    else:
        assert accepted, f"strongSwan refuses it (line {line}), vpnlab parses it"
