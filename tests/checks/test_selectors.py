"""AWS's one-SA-pair rule and the selector verdicts, from charon's own log lines."""

from driver.checks import selectors

# Lines as the VGW's charon writes them (5.9.8, cfg level 2), from a seed run.
PROPOSED = "03:03:09 01[CFG] <Tunnel1|1> looking for a child config for {us} === {other}"
INSTALLED = (
    "03:03:09 01[IKE] <Tunnel1|1> CHILD_SA Tunnel1{{{n}}} established with SPIs "
    "8077b989_i 3f12979a_o and TS {us} === {other}"
)
CONNECTION = ("192.168.0.0/16", "10.0.0.0/16")  # local (customer), remote (AWS)


def log(*pairs, rekeys: int = 0) -> str:
    lines = []
    for n, (us, other) in enumerate(pairs, start=1):
        lines += [PROPOSED.format(us=us, other=other), INSTALLED.format(n=n, us=us, other=other)]
    first = pairs[0]
    lines += [INSTALLED.format(n=10 + i, us=first[0], other=first[1]) for i in range(rekeys)]
    return "\n".join(lines)


def row(text: str):
    (only,) = selectors.rows(text, *CONNECTION, ["Tunnel1"])
    return only


def test_the_connections_cidrs_are_one_pair_even_after_rekeys():
    result = row(log(("10.0.0.0/16", "192.168.0.0/16"), rekeys=3))
    assert (result.verdict, result.detail) == (
        "PASS",
        "one SA pair, 10.0.0.0/16 === 192.168.0.0/16 (the VPN connection's CIDRs)",
    )


def test_a_second_pair_fails_with_awss_rule():
    result = row(log(("10.0.0.0/16", "192.168.0.0/24"), ("10.0.0.0/16", "192.168.1.0/24")))
    assert result.verdict == "FAIL"
    assert result.detail.startswith("2 SA pairs on one tunnel")
    assert "'a single unique SA pair'" in result.detail
    assert "leftsubnet=192.168.0.0/16 rightsubnet=10.0.0.0/16" in result.detail


def test_narrower_passes_and_wider_warns():
    assert row(log(("10.0.1.0/24", "192.168.0.0/23"))).verdict == "PASS"
    wider = log(("0.0.0.0/0", "192.168.0.0/16")).replace(
        "and TS 0.0.0.0/0 ===", "and TS 10.0.0.0/16 ==="
    )
    result = row(wider)
    assert result.verdict == "WARN" and result.passed
    assert "proposed 0.0.0.0/0 === 192.168.0.0/16, wider than" in result.detail
    assert "narrowed it to 10.0.0.0/16 === 192.168.0.0/16" in result.detail


def test_ports_and_several_selectors_in_one_sa_are_read():
    """IKEv1 and port-restricted selectors print as 'net|/0'; one SA may carry several."""
    text = log(("10.0.0.0/16|/0 10.1.0.0/16|/0", "192.168.0.0/16|/0"))
    tunnel = selectors.read(text)["Tunnel1"]
    assert tunnel.established == [(("10.0.0.0/16", "10.1.0.0/16"), ("192.168.0.0/16",))]
    assert row(text).verdict == "WARN"  # 10.1.0.0/16 is outside the AWS side's CIDR


def test_a_tunnel_that_never_came_up_has_no_row():
    assert selectors.rows(log(("10.0.0.0/16", "192.168.0.0/16")), *CONNECTION, ["Tunnel2"]) == []
