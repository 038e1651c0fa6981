"""The report's text without a run: a key that reached a row of the check (a log
line quoted in a detail) is replaced before the report is written."""

from __future__ import annotations

from driver.checks.report import Report
from driver.checks.runner import CheckResult
from driver.core.paths import PROJECT
from driver.handoff.report import Customer, report_markdown
from driver.lab.loader import load_lab

SEED = PROJECT / "labs" / "seed.yml"
BLOG = PROJECT / "tests" / "fixtures" / "seed-vendor" / "ipsec.conf"
KEY = "Leaked.key_0123456789abcdefghij"


def test_a_key_quoted_in_a_row_is_replaced(tmp_path):
    secrets = tmp_path / "ipsec.secrets"
    secrets.write_text(f'203.0.113.10 198.51.100.1 : PSK "{KEY}"\n')
    report = Report(
        "seed",
        False,
        [CheckResult("vgw: tunnel Tunnel1", False, 0.1, f"charon said: secret '{KEY}'")],
        customer_gateway=f"{BLOG} (ipsec.conf), run by strongSwan 5.9.8",
    )
    for lang in ("en", "ja"):
        text = report_markdown(report, load_lab(SEED), SEED, Customer(BLOG, secrets, None), lang)
        assert KEY not in text and "<pre-shared key>" in text


SWANCTL = """\
connections {
    aws1 {
        remote_addrs = 198.51.100.1
        local { auth = psk }
        remote { auth = psk }
        children { t1 { local_ts = 192.168.0.0/16
                        remote_ts = 10.0.0.0/16 } }
        proposals = aes256-sha256-modp1024
    }
}
secrets { eap-carol { secret = Eap.password_SuperSecret99 }
    ike-1 { id = 198.51.100.1
            secret = Their.secret_0123456789abcdefg } }
"""


def test_a_secret_near_an_edited_line_is_blanked_in_the_diff(tmp_path):
    """Any secret = value the diff's context shows, known to vpnlab or not (an EAP
    password here), is blanked."""
    (tmp_path / "swanctl").mkdir()
    (tmp_path / "swanctl" / "swanctl.conf").write_text(SWANCTL)
    report = Report("seed", False, [], customer_gateway="swanctl")
    text = report_markdown(report, load_lab(SEED), SEED, Customer(tmp_path, None, None), "en")
    assert "+        proposals = aes256-sha256-modp2048" in text
    assert "SuperSecret99" not in text and "0123456789abcdefg" not in text
    assert "secrets { eap-carol { secret = <secret> }" in text  # the diff's context
