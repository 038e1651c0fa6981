"""The parameter sheet as data: sections of rows, one cell per tunnel, each row
naming the AWS option its values come from. driver/handoff/markdown.py and
driver/handoff/workbook.py only lay it out, so both formats say the same.

No key is ever read here: a ``Connection``'s keys are for --keys-file alone."""

from __future__ import annotations

from driver.handoff import device_table
from driver.handoff.connection import Connection
from driver.handoff.document import Row, Section, Sheet
from driver.handoff.words import say
from driver.lab import aws_rules

# The AWS user guide's pages the values that are not options come from.
QUOTAS = "Site-to-Site VPN quotas (MTU, MSS, advertised routes)"
ROUTING = "Site-to-Site VPN routing options (BGP timers)"
FIREWALL = "Configuring a firewall between the internet and your customer gateway device"


def sheet(connection: Connection, lab_name: str, lang: str = "en") -> Sheet:
    def s(key: str, **fields) -> str:
        return say(lang, key, **fields)

    tunnels = range(1, len(connection.tunnels) + 1)
    per_tunnel = (s("col.item"), *(s("col.tunnel", n=n) for n in tunnels), s("col.source"))
    sections = [
        Section(s("section.endpoints"), per_tunnel, _endpoints(connection, s)),
        Section(s("section.phase1"), per_tunnel, _phase1(connection, s)),
        Section(s("section.phase2"), per_tunnel, _phase2(connection, s)),
        Section(s("section.traffic"), per_tunnel, _traffic(connection, s)),
        Section(s("section.routing"), per_tunnel, _routing(connection, s)),
        *device_table.sections(connection.tunnels, s),
        _firewall(connection, s),
        Section(s("section.mtu"), per_tunnel, _mtu(connection, s)),
        Section(
            s("section.keys"),
            (s("col.item"), "", s("col.source")),
            (Row(s("row.keys"), (s("v.keys"),), "PreSharedKey"),),
        ),
    ]
    return Sheet(
        lang=lang,
        title=s("sheet.title"),
        facts=(
            (s("sheet.lab"), lab_name),
            (s("sheet.origin"), s(connection.origin[0], **connection.origin[1])),
        ),
        intro=s("sheet.intro"),
        sections=tuple(sections),
    )


def _each(connection: Connection, value) -> tuple[str, ...]:
    return tuple(value(i, t) for i, t in enumerate(connection.tunnels))


def _endpoints(c: Connection, s) -> tuple[Row, ...]:
    def initiator(_, t):
        return s("v.start_start" if t.options.startup_action == "start" else "v.start_add")

    def dpd_action(_, t):
        return s(f"v.dpd_{t.options.dpd_action}")

    return (
        Row(
            s("row.outside"),
            _each(c, lambda i, _: c.outside_addresses[i] or s("v.assigned")),
            "TunnelOptions.OutsideIpAddress",
        ),
        Row(
            s("row.cgw"),
            _each(c, lambda *_: c.customer_gateway_ip or s("v.cgw_unknown")),
            "CustomerGateway.IpAddress",
        ),
        Row(s("row.initiator"), _each(c, initiator), "StartupAction"),
        Row(
            s("row.dpd_timeout"),
            _each(c, lambda _, t: s("v.dpd_timeout", n=t.options.dpd_timeout)),
            "DPDTimeoutSeconds",
        ),
        Row(s("row.dpd_action"), _each(c, dpd_action), "DPDTimeoutAction"),
    )


def _phase1(c: Connection, s) -> tuple[Row, ...]:
    def mode(_, t):
        return s("v.mode" if "ikev1" in t.options.ike_versions else "v.mode_v2")

    return (
        Row(
            s("row.version"),
            _each(c, lambda _, t: device_table.aws_words(t.options)["version"]),
            "IKEVersions",
        ),
        Row(s("row.mode"), _each(c, mode), "IKEVersions"),
        *_phase_rows(c, s, 1),
    )


def _phase2(c: Connection, s) -> tuple[Row, ...]:
    def rekey(_, t):
        return s("v.rekey", margin=t.options.rekey_margin, fuzz=t.options.rekey_fuzz)

    return (
        Row(s("row.esp"), _each(c, lambda *_: s("v.esp")), "—"),
        *_phase_rows(c, s, 2),
        Row(s("row.rekey"), _each(c, rekey), "RekeyMarginTimeSeconds, RekeyFuzzPercentage"),
        Row(
            s("row.replay"),
            _each(c, lambda _, t: s("v.replay", n=t.options.replay_window)),
            "ReplayWindowSize",
        ),
    )


def _phase_rows(c: Connection, s, n: int) -> tuple[Row, ...]:
    def phase(t):
        return t.options.phase1 if n == 1 else t.options.phase2

    def groups(_, t):
        named = ", ".join(f"{g} ({aws_rules.DH_GROUPS[g]})" for g in phase(t).dh_groups)
        return s("v.pfs", groups=named) if n == 2 else named

    return (
        Row(
            s("row.encryption"),
            _each(c, lambda _, t: ", ".join(phase(t).encryption)),
            f"Phase{n}EncryptionAlgorithms",
        ),
        Row(
            s("row.integrity"),
            _each(c, lambda _, t: ", ".join(phase(t).integrity)),
            f"Phase{n}IntegrityAlgorithms",
        ),
        Row(s("row.dh" if n == 1 else "row.pfs"), _each(c, groups), f"Phase{n}DHGroupNumbers"),
        Row(
            s("row.lifetime"),
            _each(c, lambda _, t: s("v.seconds", n=phase(t).lifetime)),
            f"Phase{n}LifetimeSeconds",
        ),
    )


def _traffic(c: Connection, s) -> tuple[Row, ...]:
    def inside(t, host: int) -> str:
        return f"{t.inside_cidr[host]}/{t.inside_cidr.prefixlen}"

    return (
        Row(
            s("row.selectors_local"),
            _each(c, lambda *_: str(c.local_network_cidr)),
            "LocalIpv4NetworkCidr",
        ),
        Row(
            s("row.selectors_remote"),
            _each(c, lambda *_: str(c.remote_network_cidr)),
            "RemoteIpv4NetworkCidr",
        ),
        Row(s("row.sa_pair"), _each(c, lambda *_: s("v.sa_pair")), "—"),
        Row(s("row.inside_aws"), _each(c, lambda _, t: inside(t, 1)), "TunnelInsideCidr"),
        Row(s("row.inside_cgw"), _each(c, lambda _, t: inside(t, 2)), "TunnelInsideCidr"),
    )


def _routing(c: Connection, s) -> tuple[Row, ...]:
    aws_networks = ", ".join(str(n) for n in c.aws_networks)
    if c.static_routes_only:
        routes = ", ".join(str(r) for r in c.static_routes)
        return (
            Row(
                s("row.routing"),
                _each(c, lambda *_: s("v.static", cidrs=routes)),
                "StaticRoutesOnly, Routes",
            ),
            Row(s("row.aws_networks"), _each(c, lambda *_: aws_networks), "VPC CIDR"),
        )
    return (
        Row(s("row.routing"), _each(c, lambda *_: s("v.bgp")), "StaticRoutesOnly"),
        Row(s("row.asn_cgw"), _each(c, lambda *_: str(c.customer_gateway_asn)), "BgpAsn"),
        Row(s("row.asn_aws"), _each(c, lambda *_: str(c.amazon_side_asn)), "AmazonSideAsn"),
        Row(s("row.neighbor"), _each(c, lambda _, t: str(t.inside_cidr[1])), "TunnelInsideCidr"),
        Row(
            s("row.timers"),
            _each(
                c,
                lambda *_: s(
                    "v.timers", keepalive=aws_rules.BGP_KEEPALIVE, hold=aws_rules.BGP_HOLD_TIME
                ),
            ),
            ROUTING,
        ),
        Row(
            s("row.prefix_limit"),
            _each(c, lambda *_: s("v.prefix_limit", n=c.advertised_prefix_limit)),
            QUOTAS,
        ),
        Row(s("row.advertised"), _each(c, lambda *_: aws_networks), "VPC CIDR"),
    )


def _firewall(c: Connection, s) -> Section:
    rows = []
    customer = c.customer_gateway_ip or s("v.cgw_unknown")
    for i, _ in enumerate(c.tunnels):
        aws = c.outside_addresses[i] or s("col.tunnel", n=i + 1) + ": " + s("v.assigned")
        for port in ("v.udp500", "v.udp4500", "v.esp_proto"):
            rows.append(Row(s(port), (customer, aws, s("v.both_ways")), FIREWALL))
    header = (s("col.port"), s("col.from"), s("col.to"), s("col.direction"), s("col.source"))
    return Section(s("section.firewall"), header, tuple(rows))


def _mtu(c: Connection, s) -> tuple[Row, ...]:
    return (
        Row(s("row.mtu"), _each(c, lambda *_: s("v.mtu", n=aws_rules.MAX_MTU)), QUOTAS),
        Row(s("row.mss"), _each(c, lambda *_: s("v.mss", n=aws_rules.MAX_MSS)), QUOTAS),
    )
