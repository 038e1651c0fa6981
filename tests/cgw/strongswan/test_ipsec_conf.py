"""strongSwan's configuration files, mutated the way hand edits break them: the
parsers and lint end in a result or ConfigSyntaxError within 2 s, never a
traceback or a hang."""

import pytest
from hypothesis import HealthCheck, given, settings

from driver.analysis.cgw_rules import lint_config
from driver.cgw.settings import ConfigSyntaxError
from driver.cgw.strongswan.ipsec_conf import effective_conns, parse_ipsec_conf, parse_ipsec_secrets
from driver.cgw.strongswan.swanctl_conf import parse_swanctl
from driver.core.paths import PROJECT
from driver.lab.loader import load_lab
from tests.conftest import SEED
from tests.input_bounds import mutations, within

VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
SWANCTL = PROJECT / "tests" / "golden" / "seed-swanctl" / "etc" / "swanctl"
FIXTURES = {
    "ipsec.conf": (VENDOR / "ipsec.conf").read_text(),
    "ipsec.secrets": (VENDOR / "ipsec.secrets").read_text(),
    "swanctl.conf": (SWANCTL / "swanctl.conf").read_text()
    + (SWANCTL / "conf.d" / "vpnlab-secrets.conf").read_text(),
}
MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_refuses(name: str, text: str) -> None:
    with within():
        try:
            if name == "ipsec.conf":
                effective_conns(parse_ipsec_conf(text, name))
            elif name == "ipsec.secrets":
                parse_ipsec_secrets(text, name)
            else:
                parse_swanctl(text, name)
        except ConfigSyntaxError as exc:
            assert exc.line is None or exc.line >= 1


@pytest.mark.parametrize("name", list(FIXTURES))
def test_the_fixtures_parse(name):
    parses_or_refuses(name, FIXTURES[name])


@MANY
@given(mutations(FIXTURES["ipsec.conf"]))
def test_ipsec_conf_edited_by_hand(text):
    parses_or_refuses("ipsec.conf", text)


@MANY
@given(mutations(FIXTURES["ipsec.secrets"]))
def test_ipsec_secrets_edited_by_hand(text):
    parses_or_refuses("ipsec.secrets", text)


@MANY
@given(mutations(FIXTURES["swanctl.conf"]))
def test_swanctl_conf_edited_by_hand(text):
    parses_or_refuses("swanctl.conf", text)


LAB = load_lab(SEED)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(FIXTURES["ipsec.conf"]), mutations(FIXTURES["swanctl.conf"]))
def test_lint_judges_any_mutated_configuration(tmp_path_factory, ipsec_conf, swanctl_conf):
    folder = tmp_path_factory.mktemp("cgw")
    secrets = folder / "ipsec.secrets"
    secrets.write_text(FIXTURES["ipsec.secrets"])
    for name, text in (("ipsec.conf", ipsec_conf), ("swanctl.conf", swanctl_conf)):
        config = folder / name
        config.write_text(text)
        with within():
            findings = lint_config(LAB, config, secrets if name == "ipsec.conf" else None)
        assert all(f.rule and f.message for f in findings)


def test_ipsec_conf_reads_as_starter_reads_it():
    """starter's parser (src/starter/parser/ at 5.9.8): a conn written twice is one,
    key= unsets what %default gave, # inside quotes is no comment, also= must resolve."""
    text = (
        "conn %default\n  ike=aes128-sha1-modp1024\n  leftid=@gw\n"
        "conn a\n  right=198.51.100.1\n  ike=\n"
        'conn a\n  leftid="@#0a0b"\n  auto=start  # a comment\n'
    )
    (a,) = effective_conns(parse_ipsec_conf(text))
    assert (a.get("right"), a.get("ike"), a.get("leftid"), a.get("auto")) == (
        "198.51.100.1",
        None,
        "@#0a0b",
        "start",
    )
    with pytest.raises(ConfigSyntaxError, match=r"also=missing names no conn") as caught:
        effective_conns(parse_ipsec_conf("conn a\n  right=198.51.100.1\n  also=missing\n"))
    assert caught.value.line == 3


def test_an_include_inside_a_conn_continues_it():
    def include(pattern, including, line):
        return [("more.conf", "  rightsubnet=10.0.0.0/16\n")]

    (a,) = effective_conns(
        parse_ipsec_conf("conn a\n  right=198.51.100.1\n  include more.conf\n", include=include)
    )
    assert a.get("rightsubnet") == "10.0.0.0/16"
